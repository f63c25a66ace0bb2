"""Citations as scraped ("Dalmau J, Rosenfeld MR. Paraneoplastic syndromes
of the CNS. Lancet Neurology. 2008;7:327-340.") into reference fields.

What does not fit the AMA shape is kept whole as ``citation_text``, so no
citation is ever lost, only left for an editor to split.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_AUTHOR = r"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)* [A-Z]{1,4}"
_GROUP = r"[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)* (?:Group|Committee|Association|Society)"
_AUTHORS = rf"(?:{_AUTHOR}|{_GROUP})(?:, (?:{_AUTHOR}|et al))*"
_DATE = (
    rf"(?:(?P<month>{MONTHS})\.?(?: \d{{1,2}})?,? )?(?P<year>(?:1[89]|20)\d\d)"
    rf"(?: (?P<month2>{MONTHS})\.?(?: \d{{1,2}})?)?"
)
_AMA = re.compile(
    rf"^(?:(?P<authors>{_AUTHORS})\. )?"
    r"(?P<title>(?:[^.?!]+[?!] )*[^.?!]+[.?!]) "
    r"(?P<journal>[^.;:]+?)\. "
    rf"{_DATE}"
    r"(?:;(?P<volume>[\w\-]{1,20})(?:\((?P<issue>[^)]{1,20})\))?)?"
    r"(?::(?P<pages>[A-Za-z]?\d+(?:[-–][A-Za-z]?\d+)?))?"
    r"\.?$"
)
_DOI = re.compile(r"\s*\bdoi:\s*(10\.\S+?)\.?$", re.IGNORECASE)
_PMID = re.compile(r"\s*\bPMID:?\s*(\d{1,12})\.?$")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;)]")
_NUMBERING = re.compile(r"^(?:\[\d+\]|\d+[.)]|[•·▪◦*\-–])\s+")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")

EMPTY = {
    "authors": "",
    "title": "",
    "journal": "",
    "year": None,
    "month": "",
    "volume": "",
    "issue": "",
    "pages": "",
    "doi": "",
    "pmid": "",
    "url": "",
    "citation_text": "",
}
LIMITS = {"authors": 500, "title": 500, "journal": 300, "month": 20, "volume": 20, "issue": 20}


def clean(line):
    """The citation without list numbering and with the spaces that lost
    links leave before punctuation ("Neurologic Clinics . August") removed."""
    line = _NUMBERING.sub("", " ".join(line.split()))
    return re.sub(r"\s+([.,;:])(?=\s|$)", r"\1", line)


def looks_like_citation(line):
    line = clean(line)
    if parse(line)["title"]:
        return True
    lowered = line.lower()
    if any(mark in lowered for mark in ("doi:", "pmid", "available at:", "accessed ")):
        return True
    return bool(_YEAR.search(line)) and line.count(". ") >= 2


def _url(text):
    match = _URL.search(text)
    if not match:
        return ""
    try:
        URLValidator()(match.group(0))
    except ValidationError:
        return ""
    return match.group(0) if len(match.group(0)) <= 500 else ""


def parse(line):
    """Reference fields for one citation; ``title`` is blank when it could
    not be split and the whole text is in ``citation_text``."""
    text = clean(line)
    fields = dict(EMPTY)
    rest = text
    doi = _DOI.search(rest)
    if doi and len(doi.group(1)) <= 200:
        fields["doi"] = doi.group(1)
        rest = rest[: doi.start()].rstrip()
    pmid = _PMID.search(rest)
    if pmid:
        fields["pmid"] = pmid.group(1)
        rest = rest[: pmid.start()].rstrip()
    match = _AMA.match(rest)
    if match and all(len(match.group(f) or "") <= n for f, n in LIMITS.items()):
        fields["authors"] = match.group("authors") or ""
        fields["title"] = match.group("title").rstrip(".").strip()
        fields["journal"] = match.group("journal").strip()
        fields["year"] = int(match.group("year"))
        month = match.group("month") or match.group("month2") or ""
        fields["volume"] = match.group("volume") or ""
        fields["issue"] = match.group("issue") or ""
        fields["pages"] = (match.group("pages") or "").replace("–", "-")
        # AMA gives the month only when there is no volume to find the issue by.
        fields["month"] = month if not fields["volume"] else ""
        return fields
    return {**EMPTY, "citation_text": text, "url": _url(text)}
