"""The links outside specialists sign off by: signed, with a random key.

A link is ``/review/<token>/`` where the token is the invitation's id and a
random key, signed with the project's secret key (``django.core.signing``,
its own salt). The database keeps only the key's SHA-256, so neither a
copy of the database nor a guessed id makes a working link, and a new link
for the same invitation (sent again) makes the old one useless.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "conditions.signoff-link"


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def make(invitation_id):
    """A new token for the invitation ``invitation_id``, and the hash of its
    key to store on the invitation."""
    key = secrets.token_urlsafe(24)
    return signing.dumps([invitation_id, key], salt=SALT), key_hash(key)


def read(token):
    """(invitation id, key) from a token, or None when it is not one this
    site signed."""
    try:
        value = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or type(value[0]) is not int
        or not isinstance(value[1], str)
    ):
        return None
    return value[0], value[1]


def matches(invitation, key):
    """Whether ``key`` is the key of ``invitation``'s current link."""
    return hmac.compare_digest(invitation.key_hash, key_hash(key))


def url(token):
    """The link's absolute address, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("conditions:signoff", args=[token])
    return f"{settings.SITE_URL}{path}"
