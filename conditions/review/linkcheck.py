"""The link checker: are the organizations' and references' addresses
still answering? Run weekly by the worker-side schedule (and by
``manage.py check_links``); results are kept per URL in LinkCheck, shown
on the admin dashboard and as warnings in the publish gate.

Each URL gets a HEAD request, then a GET when HEAD fails or is refused
(many servers answer HEAD with 403/405). Requests to one host are spaced
by LINKCHECK_HOST_DELAY seconds, hosts taking turns, so no site sees a
burst from us; each request gives up after LINKCHECK_TIMEOUT seconds.

The addresses are typed by editors, so the checker must not become a way
to reach this machine's or its network's own services (SSRF): the host
name is resolved, every address it resolves to must be a public one
(not loopback, private, link-local, shared, reserved, multicast or
unspecified, also in IPv4-mapped or 6to4 IPv6 form), and the connection
goes to the very address that was checked, so a second DNS answer cannot
swap it. Redirects are followed here, one hop at a time (at most
MAX_REDIRECTS), each hop checked again. LINKCHECK_ALLOWED_NETWORKS lists
networks let through all the same (an intranet; the tests' 127.0.0.1).
Only a category of result is kept and shown ("broken (404)", "timeout"…),
never what the remote server wrote; the categories are defined beside the
model (``conditions.models.linkchecks``).
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from conditions.models import Organization, Reference
from conditions.models.linkchecks import (
    INTERNAL,
    NOT_WEB,
    TIMEOUT,
    TOO_MANY_REDIRECTS,
    UNREACHABLE,
    LinkCheck,
    category,
)
from healthlib.lib.proxy import parse_networks

logger = logging.getLogger(__name__)

USER_AGENT = "healthlib-linkcheck/1.0 (+{site}; checks links cited in health articles)"
MAX_REDIRECTS = 10
REDIRECTS = frozenset({301, 302, 303, 307, 308})

# Nothing answered: says nothing about the link (see check_all).
NO_ANSWER = frozenset({UNREACHABLE, TIMEOUT})


@dataclass
class Result:
    url: str
    ok: bool
    status_code: int | None = None
    error: str = ""  # a category, empty when ok


@dataclass
class Report:
    checked: int = 0
    broken: list = field(default_factory=list)
    offline: bool = False  # no server answered at all: nothing was stored


class Refused(Exception):
    """A URL the checker will not fetch; its message is the category."""


def _timeout():
    return getattr(settings, "LINKCHECK_TIMEOUT", 10)


def _host_delay():
    return getattr(settings, "LINKCHECK_HOST_DELAY", 1.0)


def _allowed_networks():
    return parse_networks(getattr(settings, "LINKCHECK_ALLOWED_NETWORKS", ()))


# IANA's special-purpose blocks, refused whatever the running Python's
# ``is_global`` says: its answer has changed between releases (3.11.7 calls
# 192.0.0.255 global, which the property tests found).
SPECIAL_NETWORKS = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        "::/127", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "fc00::/7",
        "fe80::/10", "fec0::/10", "ff00::/8",
    )
]  # fmt: skip


def is_internal(address):
    """True for an address that is not a public one on the internet."""
    address = ipaddress.ip_address(address)
    if address.version == 6:
        # An IPv4 address carried in IPv6 is judged as the IPv4 address.
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None and is_internal(embedded):
            return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or (address.version == 6 and address.is_site_local)
        or any(address in network for network in SPECIAL_NETWORKS)
    )


def resolve(host, port):
    """The address to connect to for ``host``: refused (``Refused``) when
    any address the name resolves to is internal and not allowed; a name
    that sometimes answers with an internal address is not trusted."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise Refused(UNREACHABLE) from exc
    allowed = _allowed_networks()
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if is_internal(address) and not any(address in network for network in allowed):
            raise Refused(INTERNAL)
        addresses.append(address)
    if not addresses:
        raise Refused(UNREACHABLE)
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, not to whatever the
    host name resolves to by then; the Host header keeps the name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """The same over TLS; the certificate is checked against the name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _request(url, method):
    """The final status code for ``url``, following redirects one hop at a
    time, each hop's address checked. Raises ``Refused`` or OSError."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refused(NOT_WEB)
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:  # a port that is not a number, or out of range
            raise Refused(NOT_WEB) from exc
        address = resolve(parts.hostname, port)
        pinned = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = pinned(parts.hostname, port, address, _timeout())
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                method,
                target,
                headers={
                    "User-Agent": USER_AGENT.format(site=settings.SITE_URL),
                    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                },
            )
            response = connection.getresponse()
            location = response.getheader("Location")
            if response.status in REDIRECTS and location:
                # A moved page that still answers is not broken.
                url = urljoin(url, location.strip())
                continue
            if method == "GET":
                response.read(1024)
            return response.status
        finally:
            connection.close()
    raise Refused(TOO_MANY_REDIRECTS)


def check_url(url):
    """HEAD, then GET if HEAD did not say yes. Never raises."""
    last = Result(url, False, error=UNREACHABLE)
    for method in ("HEAD", "GET"):
        try:
            status = _request(url, method)
        except Refused as exc:
            # The same answer for GET: the address, not the method, is refused.
            return Result(url, False, error=str(exc))
        except TimeoutError:
            last = Result(url, False, error=TIMEOUT)
        except (OSError, http.client.HTTPException, ValueError):
            last = Result(url, False, error=UNREACHABLE)
        else:
            if 200 <= status < 400:
                return Result(url, True, status)
            last = Result(url, False, status, category(status))
    return last


def urls_to_check():
    """url → what uses it (for the log); working copies' references and
    every organization with an address."""
    urls = OrderedDict()
    for name, url in Organization.objects.exclude(url="").values_list("name", "url"):
        urls.setdefault(url, f"organization “{name}”")
    references = Reference.objects.filter(condition__is_live=False).only("doi", "pmid", "url")
    for reference in references.iterator(chunk_size=500):
        link = reference.link
        if link:
            urls.setdefault(link, "a reference")
    return urls


def _polite_order(urls):
    """Round-robin over hosts, so that one host's URLs are spread out."""
    by_host = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).hostname or ""].append(url)
    queues = list(by_host.values())
    while queues:
        for queue in list(queues):
            yield queue.pop(0)
            if not queue:
                queues.remove(queue)


def check_all(*, urls=None, sleep=time.sleep, clock=time.monotonic):
    """Check every URL (or ``urls``) and store the results."""
    urls = list(urls if urls is not None else urls_to_check())
    report = Report()
    last_request = {}
    delay = _host_delay()
    results = []
    for url in _polite_order(urls):
        host = urlsplit(url).hostname or ""
        wait = last_request.get(host, -1e9) + delay - clock()
        if wait > 0:
            sleep(wait)
        results.append(check_url(url))
        last_request[host] = clock()
    if results and all(r.error in NO_ANSWER for r in results):
        # Not one server answered: this machine is offline (or its DNS is),
        # which says nothing about the links. Keep what the last run found
        # rather than call every link broken.
        report.offline = True
        logger.warning("Link check: no server answered; %d results not stored", len(results))
        return report
    for result in results:
        record(result)
        report.checked += 1
        if not result.ok:
            report.broken.append(result.url)
    logger.info("Link check: %d checked, %d broken", report.checked, len(report.broken))
    return report


def record(result):
    """Store one result. ``failing_since`` keeps the first failure's time."""
    now = timezone.now()
    check, _ = LinkCheck.objects.get_or_create(url=result.url[:1000])
    if result.ok:
        LinkCheck.objects.filter(pk=check.pk).update(
            ok=True, status_code=result.status_code, error="", checked_at=now,
            failing_since=None, failures=0,
        )  # fmt: skip
    else:
        LinkCheck.objects.filter(pk=check.pk).update(
            ok=False, status_code=result.status_code, error=result.error[:1000], checked_at=now,
            failing_since=check.failing_since or now, failures=F("failures") + 1,
        )  # fmt: skip


def broken_urls(urls):
    """The subset of ``urls`` whose last check failed."""
    urls = [u for u in urls if u]
    if not urls:
        return {}
    return {check.url: check for check in LinkCheck.objects.filter(url__in=urls, ok=False)}
