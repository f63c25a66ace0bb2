"""The CDS client's JWT (CDS Hooks 2.0, "Trusting CDS Clients"), checked
when ``CDS_HOOKS_TRUSTED_ISSUERS`` names the clients trusted: {issuer:
the address of its JSON Web Key Set}. Without it, any client may call.

A call then carries ``Authorization: Bearer <JWT>``, signed ES384 or RS384
(the algorithms the specification requires services to support) with a key
of its issuer's set (found by the header's ``kid``; the set is read from
the address configured, never from the token's ``jku``), whose claims say:
``iss`` a trusted issuer, ``aud`` this service's address (``SITE_URL`` and
the path), ``exp`` and ``iat`` (a minute's leeway; at most five minutes
apart), and ``jti``, which is not accepted twice.

A key set is kept in the cache for ``KEYS_SECONDS``, and read again, at
most once a minute, when a token names a key it does not have (a rotated
key). It is read as the FHIR server is (``fhir_server.get_json``: the link
checker's address rules, HTTPS, time and size limits).
"""

from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.core.cache import cache

from conditions.clinical import fhir_server

ALGORITHMS = ("ES384", "RS384")
LEEWAY = 60
LONGEST = 300  # seconds from iat to exp the specification allows
KEYS_SECONDS = 3600
REFRESH_SECONDS = 60


class Refused(Exception):
    """The call's JWT is missing or not trusted; the message says why."""


def _bearer(request):
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Refused("A JWT from a trusted CDS client is required (Authorization: Bearer).")
    return token.strip()


def _key_set(url, *, fresh=False):
    """The JWK Set at ``url`` (its JSON cached)."""
    key = f"cds-hooks:jwks:{url}"
    data = None if fresh else cache.get(key)
    if data is None:
        schemes = ("https",) if settings.CDS_HOOKS_FHIR_HTTPS_ONLY else ("https", "http")
        if urlsplit(url).scheme not in schemes:
            raise Refused("The issuer's key set is not at an https:// address.")
        try:
            data = fhir_server.get_json(url, {"Accept": "application/json"}, "the key set")
        except fhir_server.Unavailable as exc:
            raise Refused(f"The issuer's key set cannot be read: {exc}") from None
        cache.set(key, data, KEYS_SECONDS)
    try:
        return jwt.PyJWKSet.from_dict(data)
    except (jwt.PyJWTError, TypeError, ValueError, LookupError, AttributeError):
        raise Refused("The issuer's key set is not a JWK Set.") from None


def _signing_key(url, kid):
    """The public key ``kid`` of the set at ``url``."""
    keys = _key_set(url)
    for _attempt in range(2):
        for candidate in keys.keys:
            if candidate.key_id == kid:
                return candidate.key
        if not cache.add(f"cds-hooks:jwks-refresh:{url}", True, REFRESH_SECONDS):
            break
        keys = _key_set(url, fresh=True)
    raise Refused("The JWT is signed with a key its issuer does not publish.")


def verify(request):
    """Nothing when the call may be served, else ``Refused``."""
    trusted = settings.CDS_HOOKS_TRUSTED_ISSUERS
    if not trusted:
        return
    token = _bearer(request)
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise Refused("The bearer token is not a JWT.") from None
    if header.get("alg") not in ALGORITHMS:
        raise Refused(f"The JWT must be signed with {' or '.join(ALGORITHMS)}.")
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or issuer not in trusted:
        raise Refused("The JWT's issuer is not one this site trusts.")
    signing = _signing_key(trusted[issuer], header.get("kid"))
    audience = settings.SITE_URL + request.path
    try:
        claims = jwt.decode(
            token,
            signing,
            algorithms=[header["alg"]],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise Refused("The JWT has expired.") from None
    except jwt.InvalidAudienceError:
        raise Refused(f"The JWT's audience (aud) must be {audience}.") from None
    except jwt.PyJWTError as exc:
        raise Refused(f"The JWT is not valid: {exc}") from None
    lifetime = claims["exp"] - claims["iat"]
    if not isinstance(lifetime, int | float) or lifetime > LONGEST:
        raise Refused("The JWT may live five minutes at most.")
    jti = claims["jti"]
    if not isinstance(jti, str) or not jti or len(jti) > 200:
        raise Refused("The JWT's jti must be a short text.")
    if not cache.add(f"cds-hooks:jti:{issuer}:{jti}", True, LONGEST + 2 * LEEWAY):
        raise Refused("This JWT was used before (its jti is not new).")
