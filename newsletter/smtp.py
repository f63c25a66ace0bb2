"""One message to one recipient over an open smtplib connection, with the
commands pipelined (RFC 2920) when the server offers it.

``smtplib.SMTP.sendmail`` waits for an answer after each command: MAIL,
RCPT, DATA, then the message, four round trips a message. A server that
announces PIPELINING (Postfix, Exim, Sendmail, Amazon SES, Gmail, …) takes
MAIL, RCPT and DATA together and answers them together, so a message costs
two round trips, and the sender fewer system calls. The newsletter sends
one message per recipient, so this is most of what sending waits on.

``send`` raises what ``sendmail`` raises, in the same cases, and leaves the
connection in the same state (reset, or closed after a 421), so callers
treat both alike. ``REFUSED``, ``bounced`` and ``describe`` say what such
an error means: not sent (retry), a recipient refused for good, in words.
"""

import contextlib
import re
import smtplib

CRLF = b"\r\n"


def quote_periods(data):
    """``data`` ready to follow DATA: a line that starts with a dot gets a
    second one (RFC 5321 4.5.2), and it ends with CRLF."""
    quoted = re.sub(rb"(?m)^\.", b"..", data)
    return quoted if quoted.endswith(CRLF) else quoted + CRLF


def can_pipeline(smtp):
    """Whether the server on ``smtp`` (an open connection) offers PIPELINING.
    A connection that fails here says no: ``sendmail`` then meets, and
    raises, the same fault where the caller expects it."""
    if smtp is None:
        return False
    try:
        smtp.ehlo_or_helo_if_needed()
    except (smtplib.SMTPException, OSError):
        return False
    return smtp.has_extn("pipelining")


# An address that is only a mailbox (no name, comment, quotes or brackets):
# what a subscriber's address is. smtplib.quoteaddr parses each address
# fully, a fifth of the sender's time a message.
_BARE_ADDRESS = re.compile(r"[^\s<>()\[\]\\\",;:@]+@[^\s<>()\[\]\\\",;:@]+")


def _path(address):
    """``address`` as an SMTP path, as smtplib.quoteaddr writes it."""
    if _BARE_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


def send(smtp, sender, recipient, quoted, *, size=None):
    """Send ``quoted`` (see ``quote_periods``) from ``sender`` to
    ``recipient`` over ``smtp``, which offers PIPELINING (``can_pipeline``).
    ``size``: the message's size before its dots were doubled (RFC 1870),
    announced when the server takes SIZE."""
    size = f" SIZE={size}" if size is not None and smtp.has_extn("size") else ""
    smtp.send(
        f"MAIL FROM:{_path(sender)}{size}\r\nRCPT TO:{_path(recipient)}\r\nDATA\r\n".encode("ascii")
    )
    # Answers in order. A 421 means the server is closing the connection:
    # the answers after it never come, and the refusal is the 421's.
    mail, mail_text = smtp.getreply()
    if mail == 421:
        smtp.close()
        raise smtplib.SMTPSenderRefused(mail, mail_text, sender)
    rcpt, rcpt_text = smtp.getreply()
    if rcpt == 421:
        smtp.close()
        raise smtplib.SMTPRecipientsRefused({recipient: (rcpt, rcpt_text)})
    data, data_text = smtp.getreply()
    if data == 354 and (mail != 250 or rcpt not in (250, 251)):
        # A server should refuse DATA when nobody was accepted; one that
        # does not gets an empty message, which it then refuses.
        smtp.send(b".\r\n")
        smtp.getreply()
    if mail != 250:
        _abort(smtp, mail)
        raise smtplib.SMTPSenderRefused(mail, mail_text, sender)
    if rcpt not in (250, 251):
        _abort(smtp, rcpt)
        raise smtplib.SMTPRecipientsRefused({recipient: (rcpt, rcpt_text)})
    if data != 354:
        _abort(smtp, data)
        raise smtplib.SMTPDataError(data, data_text)
    smtp.send(quoted + b"." + CRLF)
    code, text = smtp.getreply()
    if code != 250:
        _abort(smtp, code)
        raise smtplib.SMTPDataError(code, text)


def _abort(smtp, code):
    """What sendmail does after a refusal: 421 means the server is closing
    the connection; anything else, reset the transaction and go on."""
    if code == 421:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


# SMTP answers that say the message was *not* accepted: safe to retry.
REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPHeloError,
    smtplib.SMTPNotSupportedError,
    smtplib.SMTPResponseException,
    ValueError,  # a header Django refuses to write (BadHeaderError)
)


def bounced(exc):
    """Whether the server refused this *recipient* permanently (5xx). A
    refused sender or a 5xx to the whole message is our problem, not the
    subscriber's, so it is not a bounce."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code in (550, 551, 553)  # mailbox unavailable / not local / bad name
    return False


def describe(exc):
    """A mail error in words an editor can read: the mail server's answer
    (code and text) where it gave one, else the exception."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{code} {_text(message)}" for code, message in exc.recipients.values())
        return f"Recipient refused: {answers}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"Sender refused: {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}"


def _text(answer):
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
