"""Sentences glued by a lost space or line break ("may play a role.A
person"): found in linear time and split, except after abbreviations,
initials, web addresses and the library's drug names."""

from conditions.importer.vocabulary import ENGLISH, TOKEN, for_language


def _glued_at(text, match, known_drugs, abbreviations):
    """Is the punctuation at ``match`` the end of a sentence glued to the next?"""
    at = match.start()
    before = text[at - 1 : at]
    # What comes after: a word starting with the capital ("A person", "There"),
    # after a Spanish opening mark ("¿Qué", "¡No").
    lead = at + 2 if text[at + 1 : at + 2] in ("¿", "¡") else at + 1
    word_end, end = lead, min(len(text), lead + TOKEN)
    while word_end < end and (text[word_end].isalpha() or text[word_end] in "'’-"):
        word_end += 1
    after = text[lead:word_end]
    following = text[word_end : word_end + 1]
    if following.isdigit() or (following == "." and len(after) == 1):
        return False  # "Vitamin.B12", the initials "U.S.A."
    if text[at] == ":":
        return before.isalpha() and len(after) > 1 and after[1:].islower()
    if not (before.islower() or before in ")]%" or before.isdigit()):
        return False  # initials ("J.K. Rowling"), "U.S."
    # The word the full stop ends, looked for at most TOKEN characters back:
    # scanning to the previous space from every candidate was quadratic on
    # a long run without spaces ("a.Bc" × 5,000 took 4 s).
    limit = max(0, at - TOKEN)
    token_start = at
    while token_start > limit and not text[token_start - 1].isspace():
        token_start -= 1
    if token_start == limit and limit > 0 and not text[limit - 1].isspace():
        return False  # a run of 60 characters without a space is no sentence
    token = text[token_start:at].casefold().strip("([\"'“")
    if token in abbreviations or "://" in token or token.startswith("www"):
        return False
    # A name with a full stop in it, as the library lists it.
    glued_word = text[token_start:word_end].casefold()
    if glued_word in known_drugs:
        return False
    return text[at] != "." or len(after) > 1 or following in ("", " ", ",")


def unglue(text, known_drugs=frozenset(), language=ENGLISH):
    """``text`` split where sentences lost the space (or break) between them."""
    words = for_language(language)
    parts, start = [], 0
    for match in words.glued.finditer(text):
        if _glued_at(text, match, known_drugs, words.abbreviations):
            parts.append(text[start : match.end()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]
