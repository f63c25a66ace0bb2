"""Citations as scraped into reference fields.

Three shapes are read, in AMA or Vancouver style:

* journal articles: "Dalmau J, Rosenfeld MR. Paraneoplastic syndromes of the
  CNS. Lancet Neurology. 2008;7:327-340." — titles may contain full stops
  ("Clinical practice. Plantar fasciitis."), dates may be a month only
  ("August 2001", "2004 May 20"), pages may be an e-locator ("348:g474"),
  a DOI or PMID may follow;
* books: authors or editors, title, edition, place, publisher and year
  ("… eds. Dermatology. 4th ed. Philadelphia, PA: Elsevier; 2018.");
* websites: page title, organization, URL and dates ("Rosacea. American
  Academy of Dermatology website. Available at: https://…. Accessed April 4,
  2021.").

A citation is split into sentences first and each sentence is matched on its
own by a short anchored pattern, so the work stays linear in its length
(one long pattern over the whole citation backtracked badly). What does not
fit is kept whole as ``citation_text``, with its year and URL when it has
them, so no citation is ever lost, only left for an editor to split.
"""

import re
from functools import cache

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from conditions.importer.vocabulary import ENGLISH, for_language

_YEAR_RE = r"(?:1[89]|20)\d\d"


@cache
def _journal_date(months):
    """The date, volume, issue and pages of a journal article: "2008;7:327-340",
    "2004 May 20;350(21):2159-66", "August 2001", "2014;348:g474", "2016 Nov";
    ``months``: the months' names of the languages read, an alternation."""
    month = rf"(?:{months})\.?"
    return re.compile(
        rf"(?:(?P<month>{month})(?: \d{{1,2}})?,? )?(?P<year>{_YEAR_RE})"
        rf"(?: (?P<month2>{month})(?:[ \-][A-Za-z0-9]{{1,9}})?)?"
        r"(?:;(?P<volume>[\w\-]{1,20})?(?:\((?P<issue>[^()]{1,20})\))?)?"
        r"(?::(?P<pages>[A-Za-z]{0,2}\d{1,9}(?:[-–][A-Za-z]{0,2}\d{1,9})?))?",
        re.IGNORECASE,
    )


# "Philadelphia, PA: Elsevier; 2018", "Elsevier; 2018", "New York (NY): McGraw-Hill; 2019".
_PUBLISHER = re.compile(
    rf"(?:(?P<place>[^:;]{{1,100}}): )?(?P<publisher>[^:;]{{1,200}}); (?P<year>{_YEAR_RE})"
    r"(?::(?P<pages>\d{1,6}(?:[-–]\d{1,6})?))?"
)
_EDITION = re.compile(r"(?:\d{1,3}(?:st|nd|rd|th)|Rev|Revised) ed", re.IGNORECASE)
# A Vancouver/AMA author ("Louis ED", "van Zuuren EJ", "Garcia-Borreguero D").
_PERSON = re.compile(
    r"(?:[a-z]{1,4} ){0,2}[A-Z][\w'’\-]{0,40}(?: [A-Z][\w'’\-]{0,40}){0,3} [A-Z]{1,4}"
)
_GROUP_AUTHOR = re.compile(r"[A-Z][\w'’\-]{0,40}(?: [\w'’\-]{1,40}){0,12}")
_DOI = re.compile(r"\b(?:doi:\s?|https?://(?:dx\.)?doi\.org/)(10\.\S{1,200})", re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s?(\d{1,12})\b")
_PMCID = re.compile(r"\bPMCID:?\s?PMC\d{1,12}\b")
_URL = re.compile(r"https?://[^\s<>\"]{1,500}")
_NUMBERING = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}[.)]|[•·▪◦*\-–])\s+")
_YEAR = re.compile(rf"\b{_YEAR_RE}\b")
_SENTENCE_END = re.compile(r"(?<=[.?!]) (?=\S)")
MAX_LENGTH = 2000  # a longer line is not one citation

EMPTY = {
    "authors": "",
    "title": "",
    "journal": "",
    "publisher": "",
    "edition": "",
    "year": None,
    "month": "",
    "volume": "",
    "issue": "",
    "pages": "",
    "doi": "",
    "pmid": "",
    "url": "",
    "accessed_on": None,
    "citation_text": "",
}
LIMITS = {
    "authors": 500,
    "title": 500,
    "journal": 300,
    "month": 20,
    "volume": 20,
    "issue": 20,
    "pages": 50,
}
JOURNAL, BOOK, WEBSITE = "journal article", "book", "website"


def clean(line):
    """The citation without list numbering and with the spaces that lost
    links leave before punctuation ("Neurologic Clinics . August") removed."""
    line = _NUMBERING.sub("", " ".join(line.split()))
    return re.sub(r" ([.,;:])(?= |$)", r"\1", line)


def looks_like_citation(line, language=ENGLISH):
    line = clean(line)
    if len(line) > MAX_LENGTH:
        return False
    if parse(line, language)["title"]:
        return True
    lowered = line.lower()
    if any(mark in lowered for mark in ("doi:", "pmid", "available at:", "accessed ")):
        return True
    words = for_language(language).citations
    if language != ENGLISH and (words.available.search(line) or words.website_hint.search(line)):
        return True
    return bool(_YEAR.search(line)) and line.count(". ") >= 2


def _url(text):
    match = _URL.search(text)
    if not match:
        return ""
    url = match.group(0).rstrip(".,;)")
    try:
        URLValidator()(url)
    except ValidationError:
        return ""
    return url


def _sentences(text):
    """The citation's sentences as written, each with its closing mark."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _bare(sentence):
    """A sentence without its closing full stop."""
    return sentence[:-1].rstrip() if sentence.endswith(".") else sentence


def _joined(sentences):
    return _bare(" ".join(sentences))


def _is_author_list(text):
    """ "Louis ED, Ferreira JJ", "Zesiewicz TA, Elble R, Louis ED, et al",
    "Papadakis MA, McPhee SJ, eds"."""
    names = text.split(", ")
    if names[-1] in ("ed", "eds", "editor", "editors"):
        names = names[:-1]
    if names and names[-1] in ("et al", "et al, eds", "et al, ed"):
        names = names[:-1]
    return bool(names) and len(names) <= 60 and all(_PERSON.fullmatch(n) for n in names)


def _identifiers(text, fields):
    """Takes the DOI, PMID and PMCID out of ``text``; returns what is left."""
    doi = _DOI.search(text)
    if doi:
        fields["doi"] = doi.group(1).rstrip(".,;")
        text = text[: doi.start()] + text[doi.end() :]
    pmid = _PMID.search(text)
    if pmid:
        fields["pmid"] = pmid.group(1)
        text = text[: pmid.start()] + text[pmid.end() :]
    pmcid = _PMCID.search(text)
    if pmcid:
        text = text[: pmcid.start()] + text[pmcid.end() :]
    return " ".join(text.replace(" .", ".").split()).rstrip(" .;")


def _journal(sentences, fields, words):
    # The date sentence is the last one that is nothing but a date, volume
    # and pages; the journal is the sentence before it, the title before that.
    for d in range(len(sentences) - 1, 0, -1):
        match = _journal_date(words.months).fullmatch(_bare(sentences[d]))
        if match is None:
            continue
        before = sentences[:d]
        journal = _bare(before.pop())
        if not before or not journal or journal.endswith(("?", "!")):
            return False
        authors = ""
        if len(before) > 1 and _is_author_list(_bare(before[0])):
            authors = _bare(before.pop(0))
        fields.update(
            authors=authors,
            title=_joined(before),
            journal=journal,
            year=int(match.group("year")),
            volume=match.group("volume") or "",
            issue=match.group("issue") or "",
            pages=(match.group("pages") or "").replace("–", "-"),
        )
        # AMA gives the month only when there is no volume to find the issue by.
        month = match.group("month") or match.group("month2") or ""
        fields["month"] = month.rstrip(".") if not fields["volume"] else ""
        return True
    return False


def _book(sentences, fields, found):
    if len(sentences) < 2:
        return False
    match = _PUBLISHER.fullmatch(_bare(sentences[-1]))
    if match is None:
        return False
    before = [_bare(s) for s in sentences[:-1]]
    edition = before.pop() if before and _EDITION.fullmatch(before[-1]) else ""
    if not before:
        return False
    title = before.pop()
    authors = ". ".join(before)
    if authors and not (_is_author_list(authors) or _GROUP_AUTHOR.fullmatch(authors)):
        return False
    place, publisher = (match.group("place") or "").strip(), match.group("publisher").strip()
    statement = f"{place}: {publisher}" if place else publisher
    fields.update(
        authors=authors,
        title=title,
        # No publisher field: the edition and imprint go where a journal's
        # name would, so the AMA line reads "Title. 4th ed. Place: Publisher. 2018."
        journal=f"{edition}. {statement}" if edition else statement,
        year=int(match.group("year")),
        pages=match.group("pages") or "",
    )
    found.update(kind=BOOK, edition=edition, place=place, publisher=publisher)
    return True


def _dated(sentence, words):
    """(which date, match) when ``sentence`` is a website's date, else None."""
    for pattern, which in words.dated:
        match = pattern.fullmatch(sentence)
        if match:
            return which[" ".join(match.group("what").split()).casefold()], match
    return None


def _website(sentences, fields, found, url, words):
    dates = {}
    kept = []
    for sentence in sentences:
        bare = _bare(sentence)
        if words.available.match(bare) or _URL.fullmatch(bare):
            continue
        dated = _dated(bare, words)
        if dated:
            dates[dated[0]] = dated[1]
            continue
        kept.append(sentence)
    if not (url or dates) or len(kept) < 2:
        return False
    site = _bare(kept.pop())
    label = words.website.search(site)  # "… website": the organization's name before it
    organization = site[: label.start()].rstrip() if label else site
    date = dates.get("updated") or dates.get("published") or dates.get("reviewed")
    date = date or dates.get("revised")
    # Without a date of its own, the page is dated by the year it was read.
    year = date or dates.get("accessed")
    fields.update(
        title=_joined(kept),
        journal=organization,
        url=url,
        year=int(year.group("year")) if year else None,
        month=(date.group("month") or "").rstrip(".") if date else "",
    )
    accessed = dates.get("accessed")
    found.update(
        kind=WEBSITE,
        organization=organization,
        accessed=accessed.group(0) if accessed else "",
    )
    return True


def parse_citation(line, language=ENGLISH):
    """(fields, found): the reference fields, and what the citation was read
    as (``found["kind"]``: journal article, book, website, or "" when kept
    whole) with the parts that have no field of their own."""
    text = clean(line)
    fields = dict(EMPTY)
    found = {"kind": ""}
    if len(text) > MAX_LENGTH:
        fields["citation_text"] = text
        return fields, found
    rest = _identifiers(text, fields)
    url = _url(rest)  # a DOI's address is not the page's
    sentences = _sentences(rest)
    words = for_language(language).citations
    website = url or words.website_hint.search(rest)
    if website:
        read = _website(sentences, fields, found, url, words)
    elif _journal(sentences, fields, words):
        found["kind"] = JOURNAL
        read = True
    else:
        read = _book(sentences, fields, found)
    if read and all(len(str(fields[f] or "")) <= n for f, n in LIMITS.items()) and fields["title"]:
        return fields, found
    year = _YEAR.search(text)
    kept = {**EMPTY, "doi": fields["doi"], "pmid": fields["pmid"]}
    kept.update(citation_text=text, url=_url(text), year=int(year.group(0)) if year else None)
    return kept, {"kind": ""}


def parse(line, language=ENGLISH):
    """Reference fields for one citation; ``title`` is blank when it could
    not be split and the whole text is in ``citation_text``."""
    return parse_citation(line, language)[0]
