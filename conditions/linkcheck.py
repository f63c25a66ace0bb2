"""The link checker: are the organizations' and references' addresses
still answering? Run weekly by the worker-side schedule (and by
``manage.py check_links``); results are kept per URL in LinkCheck, shown
on the admin dashboard and as warnings in the publish gate.

Each URL gets a HEAD request, then a GET when HEAD fails or is refused
(many servers answer HEAD with 403/405). Requests to one host are spaced
by LINKCHECK_HOST_DELAY seconds, hosts taking turns, so no site sees a
burst from us; each request gives up after LINKCHECK_TIMEOUT seconds.
"""

import logging
import time
import urllib.error
import urllib.request
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .models import LinkCheck, Organization, Reference

logger = logging.getLogger(__name__)

USER_AGENT = "healthlib-linkcheck/1.0 (+{site}; checks links cited in health articles)"


@dataclass
class Result:
    url: str
    ok: bool
    status_code: int | None = None
    error: str = ""


@dataclass
class Report:
    checked: int = 0
    broken: list = field(default_factory=list)
    offline: bool = False  # no server answered at all: nothing was stored


def _timeout():
    return getattr(settings, "LINKCHECK_TIMEOUT", 10)


def _host_delay():
    return getattr(settings, "LINKCHECK_HOST_DELAY", 1.0)


def _request(url, method):
    # Only http(s) reaches here (check_url refuses other schemes).
    request = urllib.request.Request(  # noqa: S310
        url,
        method=method,
        headers={
            "User-Agent": USER_AGENT.format(site=settings.SITE_URL),
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        },
    )
    # Redirects are followed (urllib's default, at most 10): a moved page
    # that still answers is not broken.
    with urllib.request.urlopen(request, timeout=_timeout()) as response:  # noqa: S310 - http(s) only, checked below
        if method == "GET":
            response.read(1024)
        return response.status


def check_url(url):
    """HEAD, then GET if HEAD did not say yes. Never raises."""
    if urlsplit(url).scheme not in ("http", "https"):
        return Result(url, False, error="Not a web address (http or https).")
    last = Result(url, False, error="No answer.")
    for method in ("HEAD", "GET"):
        try:
            status = _request(url, method)
        except urllib.error.HTTPError as exc:
            last = Result(url, False, exc.code, f"{method}: HTTP {exc.code} {exc.reason}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            last = Result(url, False, error=f"{method}: {reason}")
        else:
            return Result(url, 200 <= status < 400, status)
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
    if results and all(r.status_code is None for r in results):
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
