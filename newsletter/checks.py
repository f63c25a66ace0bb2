"""System checks for the newsletter (``manage.py check --deploy``)."""

from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def webhook_secret_set(app_configs, **kwargs):
    """Without ANYMAIL_WEBHOOK_SECRET the providers' webhooks refuse every
    request (newsletter.webhook_urls): safe, but bounces and spam
    complaints then never reach the subscriber list."""
    from newsletter.webhook_urls import webhook_secrets

    if webhook_secrets():
        return []
    return [
        checks.Warning(
            "ANYMAIL_WEBHOOK_SECRET is not set: the email provider's bounce and complaint "
            "webhooks (/anymail/…) refuse every request, so bounced and complaining "
            "addresses are not suppressed.",
            hint="Set ANYMAIL_WEBHOOK_SECRET to a random user:password and give the provider "
            "the webhook URL with it (https://user:password@host/anymail/<provider>/tracking/).",
            id="newsletter.W001",
        )
    ]


@checks.register(deploy=True)
def postal_address_set(app_configs, **kwargs):
    """Every newsletter email carries the sender's postal address (CAN-SPAM
    requires one); without NEWSLETTER_POSTAL_ADDRESS the emails have none."""
    from django.conf import settings

    if str(getattr(settings, "NEWSLETTER_POSTAL_ADDRESS", "") or "").strip():
        return []
    return [
        checks.Warning(
            "NEWSLETTER_POSTAL_ADDRESS is not set: newsletter emails carry no postal "
            "address, which the CAN-SPAM Act requires of commercial email.",
            hint="Set NEWSLETTER_POSTAL_ADDRESS to the sender's postal address "
            "(lines separated by newlines or commas).",
            id="newsletter.W002",
        )
    ]
