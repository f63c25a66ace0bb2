"""Signed links for subscribers (django.core.signing).

A token carries the subscriber's id and their random ``secret``, signed
with the site's SECRET_KEY and a salt per purpose. Nobody can make one
from an address, a forgotten subscriber's links stop working, and a
confirmation link cannot be used to unsubscribe or the other way round.
"""

from datetime import timedelta

from django.core import signing
from django.utils.crypto import constant_time_compare

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"
CONFIRM_MAX_AGE = timedelta(days=7)


class InvalidToken(Exception):
    """The link was altered, cut short, or is not one of ours."""


class ExpiredToken(InvalidToken):
    """A confirmation link older than CONFIRM_MAX_AGE."""


def confirmation_token(subscriber):
    return signing.dumps([subscriber.pk, subscriber.secret], salt=CONFIRM_SALT)


def unsubscribe_token(subscriber_id, secret):
    # Plain arguments, not a model: the sender makes thousands of these
    # from values() rows.
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object([subscriber_id, secret])


def read_confirmation(token):
    """(subscriber id, secret) from a confirmation token less than 7 days old."""
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise ExpiredToken
    except (signing.BadSignature, ValueError):
        raise InvalidToken
    return _pair(value)


def read_unsubscribe(token):
    """(subscriber id, secret) from an unsubscribe token; these never expire."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        raise InvalidToken
    return _pair(value)


def _pair(value):
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or not isinstance(value[1], str)
    ):
        raise InvalidToken
    return value[0], value[1]


def matches(subscriber, secret):
    return subscriber is not None and constant_time_compare(subscriber.secret, secret)
