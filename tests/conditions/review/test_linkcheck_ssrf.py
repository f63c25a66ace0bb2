"""Issue 25, item 5: the link checker must not reach this machine's or its
network's own services (SSRF). Addresses that resolve to loopback,
private, link-local, shared, reserved, multicast or unspecified addresses
are refused before any connection, whatever their spelling, and again on
every redirect; only a category of result is stored and shown, never the
remote server's words. A real HTTP server on 127.0.0.1 plays the internal
service."""

import ipaddress
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conditions.models import LinkCheck, Organization
from conditions.publishing import snapshots
from conditions.review import content_checks as checks
from conditions.review import linkcheck
from tests import factories

INTERNAL = "refused: internal address"


class Teapot(BaseHTTPRequestHandler):
    """The internal service: answers 418 with words of its own, or (on
    /bounce) redirects to ``Teapot.redirect_to``."""

    seen = []
    redirect_to = ""

    def log_message(self, *args):
        pass

    def _answer(self):
        self.seen.append((self.server.server_address[0], self.command, self.path, self.headers))
        if self.path.startswith("/bounce") and self.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"internal secret: db password hunter2"
        self.send_response(418, "I'm a Teapot (internal-admin-panel)")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    do_GET = do_HEAD = _answer


def _serve(host):
    server = ThreadingHTTPServer((host, 0), Teapot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def teapot():
    """Servers on 127.0.0.1 (internal) and 127.0.0.2 (the tests let the
    checker reach this one, as a stand-in for a public site)."""
    Teapot.seen, Teapot.redirect_to = [], ""
    servers = [_serve("127.0.0.1"), _serve("127.0.0.2")]
    try:
        yield [s.server_address[1] for s in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture(autouse=True)
def fast(settings):
    settings.LINKCHECK_TIMEOUT = 2
    settings.LINKCHECK_HOST_DELAY = 0
    settings.LINKCHECK_ALLOWED_NETWORKS = []


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "127.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1",
     "[::ffff:127.0.0.1]", "[::1]", "[2002:7f00:1::1]"],
)  # fmt: skip
def test_the_internal_service_is_never_reached(teapot, host):
    port = teapot[0]
    for path in ("/admin", "/reference?id=1&format=json"):
        result = linkcheck.check_url(f"http://{host}:{port}{path}")
        assert result == linkcheck.Result(f"http://{host}:{port}{path}", False, None, INTERNAL)
    assert Teapot.seen == []


@pytest.mark.django_db
def test_an_organization_and_a_draft_reference_show_only_a_category(teapot, editor_client):
    port = teapot[0]
    article = factories.article("Tremor", publish=False)
    org = Organization.objects.get(name="Organization 0")
    org.url = f"http://127.0.0.1:{port}/status"
    org.save()
    reference = article.references.first()
    reference.url = f"http://127.0.0.1:{port}/lookup?q=internal&key=1"
    reference.save()

    report = linkcheck.check_all()
    assert sorted(report.broken) == sorted([org.url, reference.url])
    assert Teapot.seen == []
    assert set(LinkCheck.objects.filter(ok=False).values_list("error", flat=True)) == {INTERNAL}

    html = editor_client.get("/admin/").content.decode()
    assert INTERNAL in html
    assert "Teapot" not in html and "418" not in html
    found = [p for p in checks.problems(snapshots.take(article)) if p.code == "broken_link"]
    assert len(found) == 2
    assert all(INTERNAL in p.message and "Teapot" not in p.message for p in found)


def test_an_allowed_server_is_checked_and_its_words_are_not_kept(teapot, settings):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    result = linkcheck.check_url(f"http://127.0.0.2:{teapot[1]}/x")
    assert result == linkcheck.Result(f"http://127.0.0.2:{teapot[1]}/x", False, 418, "broken (418)")
    assert [m for _, m, _, _ in Teapot.seen] == ["HEAD", "GET"]


@pytest.mark.parametrize("form", ["http://127.0.0.1:{port}/", "http://localhost:{port}/", "/x"])
def test_a_redirect_to_an_internal_address_is_refused(teapot, settings, form):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    internal, allowed = teapot
    # The allowed site redirects; its own relative redirect stays allowed,
    # so "/x" is followed to the allowed server's 418.
    Teapot.redirect_to = form.format(port=internal)
    result = linkcheck.check_url(f"http://127.0.0.2:{allowed}/bounce")
    if form == "/x":
        assert result.error == "broken (418)"
    else:
        assert result.error == INTERNAL
        assert {host for host, *_ in Teapot.seen} == {"127.0.0.2"}


def test_a_redirect_loop_is_given_up(teapot, settings):
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    Teapot.redirect_to = "/bounce-again"
    result = linkcheck.check_url(f"http://127.0.0.2:{teapot[1]}/bounce")
    assert result.error == "too many redirects"
    assert len(Teapot.seen) == linkcheck.MAX_REDIRECTS + 1


def test_a_name_resolving_to_one_internal_address_is_refused(monkeypatch):
    public, private = "93.184.215.14", "10.0.0.7"
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, 80)) for addr in (public, private)
        ],
    )
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    assert linkcheck.check_url("http://rebinding.example/").error == INTERNAL
    assert connected == []


def test_the_connection_goes_to_the_address_that_was_checked(teapot, settings, monkeypatch):
    """DNS rebinding: a second resolution answering 127.0.0.1 changes
    nothing, the checker connects to the address it validated."""
    settings.LINKCHECK_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    real = socket.getaddrinfo
    answers = iter(["127.0.0.2"])

    def rebinding(host, port, *args, **kwargs):
        if host == "site.example":
            address = next(answers, "127.0.0.1")
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    result = linkcheck.check_url(f"http://site.example:{teapot[1]}/page")
    # HEAD went to 127.0.0.2; GET's fresh resolution said 127.0.0.1: refused.
    assert result.error == INTERNAL
    [(host, method, _, headers)] = Teapot.seen
    assert (host, method, headers["Host"]) == ("127.0.0.2", "HEAD", f"site.example:{teapot[1]}")


INTERNAL_NETWORKS = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4",
    "240.0.0.0/4",
]  # fmt: skip


def _spellings(address):
    """Ways of writing one IPv4 address in a URL that resolvers accept."""
    n = int(address)
    a, b, c, d = address.packed
    return [
        str(address),
        str(n),
        hex(n),
        "0" + oct(n)[2:],
        f"0{a:o}.0{b:o}.0{c:o}.0{d:o}",
        f"{a}.{(b << 16) | (c << 8) | d}",
        f"[::ffff:{address}]",
        f"[{ipaddress.IPv6Address((0x2002 << 112) | (n << 80))}]",
    ]


@st.composite
def internal_ipv4(draw):
    network = ipaddress.ip_network(draw(st.sampled_from(INTERNAL_NETWORKS)))
    offset = draw(st.integers(0, network.num_addresses - 1))
    return network.network_address + offset


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(address=internal_ipv4(), port=st.integers(1, 65535))
# Found by this test: Python 3.11.7's is_global calls it public.
@example(address=ipaddress.IPv4Address("192.0.0.255"), port=80)
def test_no_spelling_of_an_internal_ipv4_address_is_connected_to(address, port):
    connected = []
    real = socket.create_connection
    socket.create_connection = lambda *a, **k: connected.append(a)
    try:
        for spelling in _spellings(address):
            result = linkcheck.check_url(f"http://{spelling}:{port}/")
            assert result.error == INTERNAL, (spelling, result)
    finally:
        socket.create_connection = real
    assert connected == []


@hsettings(max_examples=60, deadline=None)
@given(
    address=st.one_of(
        st.ip_addresses(v=6, network="fe80::/10"),
        st.ip_addresses(v=6, network="fc00::/7"),
        st.ip_addresses(v=6, network="ff00::/8"),
        st.ip_addresses(v=6, network="::/127"),
        st.ip_addresses(v=6, network="::ffff:0:0/96"),
    )
)
def test_internal_ipv6_addresses_are_internal(address):
    assert linkcheck.is_internal(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_not_internal(address):
    assert not linkcheck.is_internal(address)
