"""The CDS client's JWT (CDS Hooks 2.0 "Trusting CDS Clients"): checked
only when ``CDS_HOOKS_TRUSTED_ISSUERS`` names issuers."""

from django.conf import settings


class Refused(Exception):
    """The call's JWT is missing or not trusted; the message says why."""


def verify(request):
    """Nothing when the call may be served, else ``Refused``."""
    if not settings.CDS_HOOKS_TRUSTED_ISSUERS:
        return None
    raise Refused("A JWT from a trusted CDS client is required.")
