"""Reading an article file: bytes to text, refusing what is not plain text."""

import codecs
import unicodedata

MAX_BYTES = 2 * 1024 * 1024
MAX_LINE = 20_000
# An article has about a hundred lines. Each line is read several ways
# (heading, bullet, caption, sentence), so 100 KB of one-character lines
# cost seconds; a file of more lines than this is refused at once.
MAX_LINES = 10_000


class ArticleImportError(Exception):
    """The file cannot be imported; the message is one line for the person
    who asked, naming the file and the reason."""


def decode(content, *, name):
    """The text of ``content`` (bytes), with newlines normalized."""
    if not content or not content.strip():
        raise ArticleImportError(f"{name} is empty: there is no article to import.")
    if len(content) > MAX_BYTES:
        raise ArticleImportError(
            f"{name} is {len(content) / 1e6:.1f} MB; an article file may be at most "
            f"{MAX_BYTES // (1024 * 1024)} MB."
        )
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ArticleImportError(f"{name} is UTF-16 text; save it as UTF-8 and import it again.")
    if b"\x00" in content:
        raise ArticleImportError(f"{name} is a binary file, not a plain-text article.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleImportError(
            f"{name} is not UTF-8 text (byte 0x{content[exc.start]:02x} at position "
            f"{exc.start}); save it as UTF-8 and import it again."
        )
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(3, len(text) // 200):
        raise ArticleImportError(f"{name} is a binary file, not a plain-text article.")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise ArticleImportError(
            f"{name} has {len(lines):,} lines; an article has at most {MAX_LINES:,}. "
            "Is this one article?"
        )
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            raise ArticleImportError(
                f"{name}: line {number} is {len(line):,} characters long; an article's "
                f"paragraphs are at most {MAX_LINE:,}. Is this an article?"
            )
    return text.replace("\u00a0", " ")
