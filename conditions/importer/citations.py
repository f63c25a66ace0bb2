"""Citations as scraped into reference fields.

Three shapes are read, in AMA or Vancouver style:

* journal articles: "Dalmau J, Rosenfeld MR. Paraneoplastic syndromes of the
  CNS. Lancet Neurology. 2008;7:327-340." — titles may contain full stops
  ("Clinical practice. Plantar fasciitis."), dates may be a month only
  ("August 2001", "2004 May 20"), pages may be an e-locator ("348:g474"),
  a DOI or PMID may follow;
* books: authors or editors, title, edition, place, publisher and year
  ("… eds. Dermatology. 4th ed. Philadelphia, PA: Elsevier; 2018."): the
  edition ("4th ed") and the publisher with its place ("Philadelphia, PA:
  Elsevier") have fields of their own;
* web pages: authors (people or the organization that wrote it), page
  title, the website's name (the publisher: "MedlinePlus website", "Sitio
  web de MedlinePlus"), a version ("2023 update": a guideline), the URL
  and dates ("Rosacea. American Academy of Dermatology website. Available
  at: https://…. Updated May 5, 2022. Accessed April 4, 2021."; "Consultado
  el 3 de marzo de 2021", "[cited 2021 Mar 3]"). The year is the page's
  (published, updated, reviewed, or its version's), never the year it was
  read: that date is ``accessed_on``. The labels ("website", "Sitio web de",
  "Available at:", "Disponible en:", "Accessed", "Consultado el",
  "[Internet]") are read, not kept.

A citation is split into sentences first and each sentence is matched on its
own by a short anchored pattern, so the work stays linear in its length
(one long pattern over the whole citation backtracked badly). What does not
fit is kept whole as ``citation_text``, with its year and URL when it has
them, so no citation is ever lost, only left for an editor to split.
"""

import datetime
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
_BRACKETS = re.compile(r"\[([^\[\]]{1,200})\]")
# An organization's name: every longer word capitalized ("American College of
# Rheumatology", "Centros para el Control y la Prevención de Enfermedades").
_ORGANIZATION = re.compile(r"[A-Z0-9ÁÉÍÓÚÑ][\w'’&\-]{0,40}(?:,? [\w'’&\-()]{1,40}){0,15}")
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
    "publisher": 300,
    "edition": 100,
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


def _is_organization(text):
    if not _ORGANIZATION.fullmatch(text):
        return False
    words = [w.strip(",()") for w in text.split()]
    return all(w[:1].isupper() or w[:1].isdigit() or len(w) <= 3 for w in words if w) and (
        len(words) > 1 or text.isupper()
    )


def _authors_and_title(parts):
    """(authors, title) of the sentences before a source's name: the first
    is the authors when it reads as people or an organization and a title
    follows it."""
    if len(parts) > 1 and (_is_author_list(parts[0]) or _is_organization(parts[0])):
        return parts[0], ". ".join(parts[1:])
    return "", ". ".join(parts)


def _book(sentences, fields, found, words):
    if len(sentences) < 2:
        return False
    match = _PUBLISHER.fullmatch(_bare(sentences[-1]))
    if match is None:
        return False
    before = [_bare(s) for s in sentences[:-1]]
    edition = before.pop() if before and words.edition.fullmatch(before[-1]) else ""
    if not before:
        return False
    authors, title = _authors_and_title(before)
    place, publisher = (match.group("place") or "").strip(), match.group("publisher").strip()
    fields.update(
        authors=authors,
        title=title,
        edition=edition.rstrip("."),
        # As cited: "New York, NY: Springer" (AMA 10th edition style).
        publisher=f"{place}: {publisher}" if place else publisher,
        year=int(match.group("year")),
        pages=match.group("pages") or "",
    )
    found.update(kind=BOOK, edition=edition, place=place, publisher=publisher)
    return True


def _month_number(month, words):
    return words.month_numbers.get(month.casefold()[:3]) if month else None


def read_date(text, words):
    """(year, month as written, the date or None) of a date as a citation
    writes it ("June 1, 2022", "3 de marzo del 2021", "2021 Mar 3",
    "2021-03-03", "June 2022", "2022"), or None."""
    text = text.strip(" .,;")
    for form in words.date_forms:
        match = form.fullmatch(text)
        if match is None:
            continue
        found = match.groupdict()
        year, month = int(found["year"]), (found.get("month") or "").rstrip(".")
        number, day = _month_number(month, words), found.get("day")
        if found.get("first"):
            first, second = int(found["first"]), int(found["second"])
            number, day = (first, second) if words.numeric_dates == "mdy" else (second, first)
        elif found.get("number"):
            number = int(found["number"])
        try:
            date = datetime.date(year, number, int(day)) if number and day else None
        except ValueError:
            return None  # "February 30": not a date
        return year, month, date
    return None


def _dated(sentence, words):
    """{which date: (year, month, date, as written)} when ``sentence`` is
    nothing but a web page's dates ("Updated May 5, 2022", "Consultado el
    3 de marzo de 2021", "updated 2020 Jan 5; cited 2021 Mar 3", or a bare
    date: when it was published), else None."""
    found = {}
    for part in sentence.split("; "):
        part = part.strip(" .")
        lead = words.lead.match(part)
        which = words.leads[lead.group("what").casefold()] if lead else "published"
        date = read_date(part[lead.end() :] if lead else part, words)
        if date is None:
            return None
        found[which] = (*date, part)
    return found


def _label(text, words):
    """``text`` without what says it is a website: "MedlinePlus website",
    "Sitio web de MedlinePlus", "En: Sitio web de …"."""
    label = words.website.search(text)
    if label:
        text = text[: label.start()].rstrip()
    prefix = words.website_prefix.match(text)
    if prefix:
        text = text[prefix.end() :]
    return text.strip(" :")


def _without_brackets(sentence, words, dates):
    """The sentence without its bracketed dates ("[updated 2020 Jan 5;
    cited 2021 Mar 3]", recorded in ``dates``) and medium ("[Internet]")."""

    def replace(match):
        inside = match.group(1).strip()
        if words.medium.fullmatch(inside):
            return ""
        found = _dated(inside, words)
        if found is None:
            return match.group(0)
        dates.update(found)
        return ""

    kept = _BRACKETS.sub(replace, sentence)
    return " ".join(kept.split()).strip(" ;,") if kept != sentence else sentence


def _website(sentences, fields, found, url, words):
    dates, kept = {}, []
    for sentence in sentences:
        bare = _without_brackets(_bare(sentence), words, dates)
        if not bare or words.available.match(bare) or _URL.fullmatch(bare):
            continue
        dated = _dated(bare, words)
        if dated:
            dates.update(dated)
            continue
        kept.append(bare)
    if not (url or dates) or not kept:
        return False
    edition = next((k for k in reversed(kept) if words.edition.fullmatch(k)), "")
    if edition:
        kept.remove(edition)
    if not kept:
        return False
    if edition and len(kept) == 2 and not words.website.search(kept[1]):
        # "Global Initiative for Asthma. Global strategy for asthma management
        # and prevention. 2023 update.": who wrote it, then its title.
        authors, title, site = *_authors_and_title(kept), ""
    elif len(kept) >= 2:
        site = _label(kept[-1], words)
        authors, title = _authors_and_title(kept[:-1])
    else:
        authors, title, site = "", kept[0], ""
    if not title:
        return False
    date = dates.get("updated") or dates.get("published") or dates.get("reviewed")
    date = date or dates.get("revised")
    year = date[0] if date else None
    if year is None and edition:
        version = _YEAR.search(edition)  # "2023 update"
        year = int(version.group(0)) if version else None
    accessed = dates.get("accessed")
    fields.update(
        authors=authors,
        title=title,
        publisher=site,
        edition=edition.rstrip("."),
        url=url,
        year=year,
        month=date[1] if date else "",
        accessed_on=accessed[2].isoformat() if accessed and accessed[2] else None,
    )
    found.update(kind=WEBSITE, organization=site, accessed=accessed[3] if accessed else "")
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
    if website and _website(sentences, fields, found, url, words):
        read = True
    elif _journal(sentences, fields, words):
        found["kind"] = JOURNAL
        read = True
    else:
        read = _book(sentences, fields, found, words)
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
