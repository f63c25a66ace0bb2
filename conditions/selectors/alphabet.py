"""Names filed by letter, in each language's alphabet: the A–Z index's
letters, and a sort key that puts accented letters beside their base."""

import string
import unicodedata

from conditions.pages.translations import current_language

LETTERS = list(string.ascii_lowercase) + ["0-9"]


# Letters a language's alphabet has besides A–Z, each with the letter it
# follows: Spanish files "ñandú" under Ñ, after N. Other accented initials
# file under their base letter ("Úlcera" under U) in every language.
OWN_LETTERS = {"es": {"ñ": "n"}}


def strxfrm_key(name):
    """Sort key for names in any language: accents after the bare letter
    (Á with A), Ñ after N as Spanish dictionaries file it."""
    folded = name.casefold().replace("ñ", "n~")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode(), folded


def base_language(language=None):
    """``language`` (the active language by default) without its region: "es" for "es-mx"."""
    return (language or current_language()).split("-")[0].lower()


def letters(language=None):
    """The A–Z of ``language`` (the active language by default), "0-9" last."""
    own = OWN_LETTERS.get(base_language(language), {})
    result = []
    for letter in LETTERS:
        result.append(letter)
        result.extend(x for x, after in own.items() if after == letter)
    return result


def letter_of(name, language=None):
    """The A–Z letter ``name`` is filed under in ``language``."""
    first = unicodedata.normalize("NFC", name.strip())[:1].lower()
    if first in OWN_LETTERS.get(base_language(language), {}):
        return first
    # Accents folded: "Á" is A, "Ñ" is N where it is not a letter of its own.
    base = unicodedata.normalize("NFD", first)[:1]
    if base in string.ascii_lowercase:
        return base
    return "0-9"
