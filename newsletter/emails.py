"""The newsletter's emails: an edition and the sign-up confirmation.

An edition is rendered once (``render_edition``) with a placeholder where
each subscriber's unsubscribe address goes; ``RenderedEdition.message``
only substitutes that address, so sending thousands of messages costs
string replacements, not template renders. ``RenderedEdition.outgoing``
goes one step further for SMTP: Django builds and encodes the MIME
message once per batch, and each recipient's copy is those bytes with
their address, unsubscribe link and Message-ID put in (building and
encoding a message per recipient was half a worker's time).

Each subscriber reads in their own language: an edition is rendered once
per version (``render_versions``: the English edition and its translations),
each in its language, and the confirmation email and every link in it
(confirm, unsubscribe, the edition's page) are in the subscriber's language.
"""

import re
import textwrap
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from healthlib.lib.markdown import ARTICLE_SCHEME, article_path
from newsletter import selectors, smtp, stats, tokens

UNSUBSCRIBE_PLACEHOLDER = "HEALTHLIB-UNSUBSCRIBE-URL-PLACEHOLDER"
_RELATIVE_HREF_RE = re.compile(r'(href|src)="/(?!/)')
# Neither the words nor the address may contain "[": a scan that starts at
# one "[" stops at the next, so each character is read once. (Words that
# could hold "[" made a summary of 90,000 unclosed "[" take 30 s: every one
# was scanned to the end of the text.)
_MARKDOWN_LINK_RE = re.compile(r"\[([^\[\]]+)\]\(([^)\s\[]+)\)")


def postal_address():
    """The sender's postal address every email carries (CAN-SPAM asks for
    one), on one line: NEWSLETTER_POSTAL_ADDRESS, its lines joined."""
    lines = str(getattr(settings, "NEWSLETTER_POSTAL_ADDRESS", "") or "").splitlines()
    return ", ".join(line.strip() for line in lines if line.strip())


def absolute_url(path):
    """``path`` on this site as an absolute address, from SITE_URL."""
    return f"{settings.SITE_URL}{path}"


def absolutize_html(html):
    """Make every site-relative link in ``html`` absolute (mail has no base URL)."""
    return _RELATIVE_HREF_RE.sub(lambda m: f'{m.group(1)}="{settings.SITE_URL}/', html)


def markdown_as_text(body):
    """A Markdown body for the plain-text part: links become ``text (address)``."""

    def link(match):
        text, target = match.groups()
        if target.startswith(ARTICLE_SCHEME):
            path = article_path(target)
            if path is None:
                return text  # no such address: the words alone, as on the page
            target = absolute_url(path)
        elif target.startswith("/"):
            target = absolute_url(target)
        return f"{text} ({target})"

    text = _MARKDOWN_LINK_RE.sub(link, body or "").strip()
    return "\n".join(_wrap_text_line(line) for line in text.splitlines())


def _wrap_text_line(line, width=76):
    if len(line) <= width:
        return line
    bullet = re.match(r"\s*(?:[-*+]|\d+[.)])\s+", line)
    indent = " " * len(bullet.group(0)) if bullet else re.match(r"\s*", line).group(0)
    return textwrap.fill(
        line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def wrap_html(html, width=200):
    """Break long lines of ``html`` at spaces outside tags.

    Mail lines must stay under 998 characters; a longer one makes the whole
    part quoted-printable, which is larger and several times slower to
    encode for every recipient. A newline is just whitespace in HTML.
    """
    lines = []
    for line in html.splitlines():
        while len(line) > width:
            cut, in_tag = -1, False
            for i, char in enumerate(line):
                if char == "<":
                    in_tag = True
                elif char == ">":
                    in_tag = False
                elif char == " " and not in_tag:
                    cut = i
                    if i >= width:
                        break
            if cut <= 0:
                break
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines)


def unsubscribe_url(subscriber_id, secret, language=None):
    """The subscriber's unsubscribe page, in their ``language`` (the current
    one if not given)."""
    token = tokens.unsubscribe_token(subscriber_id, secret)
    with translation.override(language or translation.get_language()):
        return absolute_url(reverse("newsletter:unsubscribe", args=[token]))


def unsubscribe_urls():
    """``unsubscribe_url`` for many subscribers: the address is reversed
    once per language, and each token put into it (tokens are URL-safe)."""
    marker = "TOKEN-PLACEHOLDER"
    templates = {}

    def url(subscriber_id, secret, language=None):
        language = language or translation.get_language()
        if language not in templates:
            with translation.override(language):
                templates[language] = absolute_url(reverse("newsletter:unsubscribe", args=[marker]))
        return templates[language].replace(marker, tokens.unsubscribe_token(subscriber_id, secret))

    return url


TO_PLACEHOLDER = "healthlib-recipient-placeholder@example.invalid"
MESSAGE_ID_PLACEHOLDER = "<healthlib-message-id-placeholder@example.invalid>"
# In the List-Unsubscribe header, a placeholder as long as a real link, so
# that the header is folded the way it will be with the link (an address
# has no spaces: the one fold is after the colon, past 78 characters).
HEADER_UNSUBSCRIBE_PLACEHOLDER = "https://healthlib-unsubscribe-placeholder.invalid/" + "x" * 60


class Outgoing:
    """Sends one edition to many recipients over ``connection``.

    Over Django's SMTP backend the message is built and encoded by Django
    once, with placeholders, and each copy is those bytes with the
    recipient's own values, handed to the open SMTP connection as Django's
    backend would (the same exceptions come out), with the SMTP commands
    pipelined when the server offers it (``newsletter.smtp``). Anything else (another
    backend, an address that needs encoding, an edition whose body Django
    had to quote-print, which could split a placeholder) is sent the plain
    way, one EmailMessage each.
    """

    def __init__(self, rendered, connection):
        self.rendered = rendered
        self.connection = connection
        self.template = None
        self.pipelining = False
        if isinstance(connection, SMTPBackend):
            message = rendered.message(
                to=TO_PLACEHOLDER, unsubscribe_url=UNSUBSCRIBE_PLACEHOLDER, connection=connection
            )
            message.extra_headers["Message-ID"] = MESSAGE_ID_PLACEHOLDER
            message.extra_headers["List-Unsubscribe"] = f"<{HEADER_UNSUBSCRIBE_PLACEHOLDER}>"
            data = message.message().as_bytes(linesep="\r\n")
            links = (rendered.text + rendered.html).count(UNSUBSCRIBE_PLACEHOLDER)
            # Quoted-printable or base64 parts would need re-encoding (and
            # may split a placeholder); Django uses them for long lines.
            if (
                b"Content-Transfer-Encoding: quoted-printable" not in data
                and b"Content-Transfer-Encoding: base64" not in data
                and data.count(TO_PLACEHOLDER.encode()) == 1
                and data.count(HEADER_UNSUBSCRIBE_PLACEHOLDER.encode()) == 1
                and data.count(MESSAGE_ID_PLACEHOLDER.encode()) == 1
                and data.count(UNSUBSCRIBE_PLACEHOLDER.encode()) == links
            ):
                encoding = message.encoding or settings.DEFAULT_CHARSET
                self.from_email = sanitize_address(message.from_email, encoding)
                self.template = data
                self.pipelining = smtp.can_pipeline(connection.connection)
                if self.pipelining:
                    # Dots are doubled once for every copy: none of the
                    # values put in starts a line.
                    self.template = smtp.quote_periods(data)
                    # What quoting added, for the size announced (RFC 1870
                    # counts the message as it is, not as it travels).
                    self.quoting = len(self.template) - len(data)

    def send(self, *, to, unsubscribe_url):
        if (
            self.template is None
            or not to.isascii()
            or len(unsubscribe_url) < 60  # would not be folded like the placeholder
            or self.connection.connection is None
        ):
            message = self.rendered.message(
                to=to, unsubscribe_url=unsubscribe_url, connection=self.connection
            )
            self.connection.send_messages([message])
            return
        data = (
            self.template.replace(TO_PLACEHOLDER.encode(), to.encode())
            .replace(UNSUBSCRIBE_PLACEHOLDER.encode(), unsubscribe_url.encode())
            .replace(HEADER_UNSUBSCRIBE_PLACEHOLDER.encode(), unsubscribe_url.encode())
            .replace(MESSAGE_ID_PLACEHOLDER.encode(), make_msgid(domain=DNS_NAME).encode())
        )
        if self.pipelining:
            smtp.send(
                self.connection.connection, self.from_email, to, data, size=len(data) - self.quoting
            )
        else:
            self.connection.connection.sendmail(self.from_email, [to], data)


@dataclass(frozen=True)
class RenderedEdition:
    subject: str
    text: str
    html: str
    from_email: str

    def message(self, *, to, unsubscribe_url, connection=None, subject_prefix=""):
        """The edition for one recipient, with their own unsubscribe address."""
        message = EmailMultiAlternatives(
            subject=f"{subject_prefix}{self.subject}",
            body=self.text.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url),
            from_email=self.from_email,
            to=[to],
            connection=connection,
            headers={
                # RFC 2369 and RFC 8058: mail clients show an "Unsubscribe"
                # button that POSTs to this address without opening a page.
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(
            self.html.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribe_url), "text/html"
        )
        return message

    def outgoing(self, connection):
        """Copies of the edition for many recipients, over ``connection``."""
        return Outgoing(self, connection)


@dataclass(frozen=True)
class RenderedVersions:
    """An edition rendered once per language it is written in."""

    by_language: dict
    default: str

    def for_language(self, language):
        """The version for a subscriber reading ``language``: theirs if the
        edition has one, else the English one."""
        return self.by_language.get(language) or self.by_language[self.default]


def render_versions(edition):
    """Render the English ``edition`` and each of its translations."""
    versions = [edition, *edition.translations.select_related("newsletter")]
    return RenderedVersions(
        by_language={
            version.language: render_edition(version, count_clicks=True) for version in versions
        },
        default=edition.language,
    )


def render_edition(edition, *, count_clicks=False):
    """Render ``edition`` once, for every recipient, in its language. With
    ``count_clicks`` (what is sent to subscribers; not previews and tests)
    the HTML part's links go through the click counter (newsletter.stats)."""
    with translation.override(edition.language):
        return _render_edition(edition, count_clicks)


def _render_edition(edition, count_clicks):
    newsletter = edition.newsletter
    summaries = selectors.edition_summaries(edition)
    for summary in summaries:
        summary.body_text = markdown_as_text(summary.body)
    context = {
        "edition": edition,
        "newsletter": newsletter,
        "summaries": summaries,
        "intro_text": markdown_as_text(edition.intro),
        "edition_url": absolute_url(edition.get_absolute_url()),
        "newsletter_url": absolute_url(reverse("newsletter:home")),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
        "postal_address": postal_address(),
        "sender_address": parseaddr(newsletter.sender)[1],
    }
    html = render_to_string("newsletter/email/edition.html", context)
    return RenderedEdition(
        subject=f"{newsletter.name}: {edition.title}",
        text=render_to_string("newsletter/email/edition.txt", context),
        html=wrap_html(_tracked(edition, absolutize_html(html), count_clicks)),
        from_email=newsletter.sender,
    )


def _tracked(edition, html, count_clicks):
    if not count_clicks:
        return html
    return stats.track_links(
        html,
        edition_id=edition.source.pk,
        absolute_url=absolute_url,
        skip=(UNSUBSCRIBE_PLACEHOLDER,),
    )


def confirmation_message(subscriber, *, connection=None):
    """The double opt-in email, in the subscriber's language."""
    with translation.override(subscriber.language):
        return _confirmation_message(subscriber, connection)


def _confirmation_message(subscriber, connection):
    newsletter = subscriber.newsletter
    context = {
        "newsletter": newsletter,
        "subscriber": subscriber,
        "confirm_url": absolute_url(
            reverse("newsletter:confirm", args=[tokens.confirmation_token(subscriber)])
        ),
        "valid_days": tokens.CONFIRM_MAX_AGE.days,
        "site_url": settings.SITE_URL,
        "postal_address": postal_address(),
        "sender_address": parseaddr(newsletter.sender)[1],
    }
    message = EmailMultiAlternatives(
        subject=_("Please confirm your subscription to %(newsletter)s")
        % {"newsletter": newsletter.name},
        body=render_to_string("newsletter/email/confirm.txt", context),
        from_email=newsletter.sender,
        to=[subscriber.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("newsletter/email/confirm.html", context), "text/html"
    )
    return message
