"""Reading a CDS client's FHIR server, when it prefetched less than a
service needs: a search or a read with the access token the client gave
(``fhirAuthorization``), as CDS Hooks 2.0 "FHIR Resource Access" says.

The address comes from the request, so it obeys the link checker's rules
(``conditions.review.linkcheck``): every address the host resolves to must
be a public one (``LINKCHECK_ALLOWED_NETWORKS`` adds networks, as the
tests' 127.0.0.1), and the connection goes to the address checked. HTTPS
only unless ``CDS_HOOKS_FHIR_HTTPS_ONLY`` is off (tests, a sandbox on the
same machine). No redirect is followed (the token would go with it);
each request gives up after ``CDS_HOOKS_FHIR_TIMEOUT`` seconds and reads
at most ``CDS_HOOKS_FHIR_MAX_BYTES`` of the answer. Whatever goes wrong is
``Unavailable``, which the services answer 412 (CDS Hooks: the service
cannot retrieve the FHIR data it needs); what the server wrote is never
repeated.
"""

import http.client
import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from conditions.review import linkcheck

USER_AGENT = "healthlib-cds-hooks/1.0 (+{site})"
ACCEPT = "application/fhir+json, application/json;q=0.9"


class Unavailable(Exception):
    """The FHIR server could not be read; the message says why, in words
    safe to show the client (never the server's own)."""


def check_base(url):
    """None when ``url`` may be a FHIR server's base, else why not."""
    parts = urlsplit(url)
    schemes = ("https",) if settings.CDS_HOOKS_FHIR_HTTPS_ONLY else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        return "fhirServer must be an https:// address."
    if parts.query or parts.fragment or parts.username or parts.password:
        return "fhirServer must be a base address, without query, fragment or user."
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "fhirServer has a port that is not a number."
    return None


def _connection(url):
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        address = linkcheck.resolve(parts.hostname, port)
    except linkcheck.Refused as exc:
        reason = "internal" if str(exc) == linkcheck.INTERNAL else "unknown"
        raise Unavailable(f"The address {parts.hostname} is {reason}: it is not read.") from None
    pinned = (
        linkcheck._PinnedHTTPSConnection
        if parts.scheme == "https"
        else linkcheck._PinnedHTTPConnection
    )
    return pinned(parts.hostname, port, address, settings.CDS_HOOKS_FHIR_TIMEOUT)


def read(base, path, params, token):
    """GET ``base``/``path``?``params`` as JSON, with ``token`` as the
    bearer: the parsed JSON, or ``Unavailable``."""
    problem = check_base(base)
    if problem:
        raise Unavailable(problem)
    url = base.rstrip("/") + "/" + path + (f"?{urlencode(params)}" if params else "")
    return get_json(url, {"Accept": ACCEPT, "Authorization": f"Bearer {token}"}, path)


def get_json(url, headers, what):
    """GET ``url`` (an http(s) address) as JSON within the rules above;
    ``what`` names it in the messages."""
    target = urlsplit(url)
    connection = _connection(url)
    limit = settings.CDS_HOOKS_FHIR_MAX_BYTES
    try:
        connection.request(
            "GET",
            (target.path or "/") + (f"?{target.query}" if target.query else ""),
            headers={**headers, "User-Agent": USER_AGENT.format(site=settings.SITE_URL)},
        )
        response = connection.getresponse()
        if response.status != 200:
            raise Unavailable(f"The server answered {response.status} to {what}.")
        body = response.read(limit + 1)
    except TimeoutError:
        raise Unavailable(f"The server did not answer {what} in time.") from None
    except (OSError, http.client.HTTPException, ValueError):
        raise Unavailable(f"The server of {what} could not be reached.") from None
    finally:
        connection.close()
    if len(body) > limit:
        raise Unavailable(f"The answer to {what} is over {limit} bytes.")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise Unavailable(f"The answer to {what} is not JSON.") from None
