"""Keeping readers' personal data out of what we store.

A feedback comment is free text: a reader may type an email address or a
phone number ("call me on 555 123 4567"). We do not need them and must not
keep them, so they are masked before the comment is saved.

The patterns run on at most ``MAX_COMMENT_CHARS`` characters and have no
nested repetition, so hostile text cannot make them slow.
"""

import re

MAX_COMMENT_CHARS = 1000
EMAIL_MASK = "[email removed]"
PHONE_MASK = "[phone number removed]"

# local@domain.tld, also with spaces around "@" or "(at)"/"[at]" spelled out.
_EMAIL = re.compile(
    r"[\w.+%-]{1,64}\s?(?:@|\(at\)|\[at\])\s?[\w-]{1,63}(?:\s?(?:\.|\(dot\)|\[dot\])\s?[\w-]{1,63}){1,6}",
    re.IGNORECASE,
)
# Seven or more digits, with the separators people type between them.
_PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]{0,2}\d){6,19}(?![\w])")


def mask_personal_data(text):
    """``text`` with email addresses and phone numbers replaced by a mask."""
    text = _EMAIL.sub(EMAIL_MASK, text or "")
    return _PHONE.sub(PHONE_MASK, text)
