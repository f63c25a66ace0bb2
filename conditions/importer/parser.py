"""Plain-text articles (the seed's scraped format) into a snapshot-shaped dict.

Pure: no database. The shape of the input:

* sections are blocks separated by runs of blank lines, in the library's
  fixed order (``ORDER``); most headings were lost in scraping. Each block is
  classified by its content (the vocabulary of causes, risk, symptoms, …;
  citations are References, organization names are Resources) with the
  fixed order as a prior and the headings that survive ("Risk Factors") as
  anchors, so a missing part does not shift the others (``placement``). Files
  with explicit heading lines or Markdown ``##`` headings are read by their
  headings;
* ``•`` bullets nest by indentation; in Treatment, a bullet becomes a drug
  only when it evidently is a medicine (``medicines.classify``): in a group
  whose heading names medicines ("Sedatives:"), after a sentence that does,
  already in the library, or reading as one. The rest stays in the text as
  a list, and the uncertain ones are listed in the report to check;
* a caption line followed by "Copyright © …" is a figure;
* "Revision Information" and the page chrome below it end the article.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import PurePath

from django.utils.text import slugify

from conditions.importer import placement, urgent
from conditions.importer.report import (
    KIND_LABELS,
    FoundSection,
    ImportReport,
)
from conditions.importer.sections import Item, SectionData
from conditions.importer.sentences import unglue
from conditions.importer.source import ArticleImportError, decode
from conditions.importer.vocabulary import (
    BULLET,
    CANADIAN,
    CREDIT,
    END,
    ENGLISH,
    MARKDOWN_HEADING,
    MAX_BLOCKS,
    MAX_DEPTH,
    REFERENCES,
    REGION,
    RESOURCES,
    TERMINAL,
    UnsupportedLanguage,
    clean_text,
    first_sentence,
    for_language,
)
from conditions.importer.vocabulary import supported as vocabulary_supported
from conditions.publishing import snapshots


@dataclass
class Line:
    number: int
    text: str

    @property
    def blank(self):
        return not self.text.strip()


@dataclass
class Block:
    lines: list
    anchor: str | None = None  # the kind a heading gave it
    heading: str = ""
    how: str = ""
    continues: bool = False  # under the same heading as the block before
    new_heading: bool = False  # the first block after its heading
    kind: str = ""
    evidence: dict = field(default_factory=dict)  # kind → how much its content speaks for it
    first: bool = False  # the article's first block of text


@dataclass
class ParsedArticle:
    title: str
    slug: str
    data: dict
    report: ImportReport


def markdown_heading(text):
    """(level, heading) of a Markdown heading line ("## Causes ##"), or None."""
    match = MARKDOWN_HEADING.fullmatch(text)
    if match is None:
        return None
    heading = match.group(2).rstrip()
    without_closing = heading.rstrip("#")
    if without_closing != heading and (not without_closing or without_closing[-1] in " \t"):
        heading = without_closing.rstrip()
    if not heading:
        return None
    return len(match.group(1)), heading


def title_from_filename(name):
    """``essential-tremor.txt`` → "Essential tremor"."""
    stem = PurePath(name).stem
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return words[:1].upper() + words[1:] if words else ""


_HEADING_END = re.compile(r"[:.]+$")


def _normalize_heading(text):
    return _HEADING_END.sub("", " ".join(text.split())).strip().casefold()


def heading_kind(text, words=None):
    """The kind a heading names, or None when it names none we know;
    ``words``: the article's language's ``Vocabulary`` (English by default)."""
    words = words or for_language(ENGLISH)
    key = _normalize_heading(text)
    if key in words.headings:
        return words.headings[key]
    for prefix, kind in words.heading_prefixes:
        if key.startswith(prefix):
            return kind
    return None


class _Lazy:
    """A collection read only when something is looked up in it."""

    def __init__(self, load):
        self.load = load

    def __contains__(self, item):
        return item in self.load()


class _Parser(SectionData):
    def __init__(self, text, *, name, title, known_drugs=(), language=ENGLISH):
        self.name = name
        self.language = language
        self.words = for_language(language)
        self.title = title
        self._known_drugs = known_drugs
        self.report = ImportReport()
        self.lines = [
            Line(n, raw.expandtabs(4).rstrip()) for n, raw in enumerate(text.split("\n"), 1)
        ]

    @functools.cached_property
    def known_drugs(self):
        """Casefolded names of the library's drugs, asked for only when a
        Treatment list or a glued sentence needs them (a file refused early
        never touches the database)."""
        names = self._known_drugs() if callable(self._known_drugs) else self._known_drugs
        return frozenset(" ".join(n.split()).casefold() for n in names if n and n.strip())

    # 1. Where the article is.

    def body_lines(self):
        lines = self.lines
        end = len(lines)
        for i, line in enumerate(lines):
            text = line.text.strip()
            md = markdown_heading(text)
            if heading_kind(md[1] if md else text, self.words) == END or self.words.chrome.match(
                text
            ):
                end = i
                break
        self.report.dropped.extend(
            (ln.number, ln.text.strip()) for ln in lines[end:] if not ln.blank
        )
        body = lines[:end]
        first = next((i for i, ln in enumerate(body) if not ln.blank), None)
        if first is not None:
            text = body[first].text.strip()
            md = markdown_heading(text)
            if (md and md[0] == 1) or text.casefold() == self.title.casefold():
                self.report.dropped.append((body[first].number, text))
                self.report.dropped.sort()
                body = body[first + 1 :]
        return body

    # 2. Blocks, and the headings that survived.

    def blocks(self, body):
        markdown = any(
            markdown_heading(ln.text.strip()) and not BULLET.match(ln.text) for ln in body
        )
        headings = [self._heading(ln, markdown) for ln in body]
        heading_lines = sum(1 for found in headings if found is not None)
        # With a heading on most parts, a part runs to the next heading; with
        # a few survivors, a heading only names the block right after it.
        self.headed = markdown or heading_lines >= 3
        longest_gap = gap = 0
        for ln in body:
            gap = gap + 1 if ln.blank else 0
            longest_gap = max(longest_gap, gap)
        separator = 2 if longest_gap >= 2 else 1

        blocks, current, blanks = [], [], 0
        pending = None  # (kind, heading, how) of a heading line waiting for its text
        under = None  # the heading the current text is under (headed files)

        def close():
            nonlocal current, pending
            if any(not ln.blank for ln in current):
                block = Block(lines=current)
                if pending is not None:
                    block.anchor, block.heading, block.how = pending
                    block.new_heading = True
                    pending = None
                elif self.headed and under is not None:
                    block.anchor, block.heading, block.how = under
                    block.continues = True
                blocks.append(block)
            current = []

        for ln, found in zip(body, headings, strict=True):
            if found is not None:
                close()
                if pending is not None:
                    self.report.notes.append(f"the heading “{pending[1]}” has no text under it")
                pending = found
                under = found
                blanks = 0
                continue
            if ln.blank:
                blanks += 1
                current.append(ln)
                continue
            if blanks >= separator:
                close()
            blanks = 0
            current.append(ln)
        close()
        if pending is not None and pending[0] != END:
            self.report.notes.append(f"the heading “{pending[1]}” has no text under it")
        return blocks

    def _heading(self, line, markdown):
        text = line.text.strip()
        if not text or BULLET.match(line.text):
            return None
        md = markdown_heading(text)
        if md:
            heading = md[1]
            return (heading_kind(heading, self.words) or "other", heading, "Markdown heading")
        if line.text[:1].isspace() or len(text.split()) > 6:
            return None
        kind = heading_kind(text, self.words)
        if kind is None:
            return None
        return (kind, text.rstrip(":"), "heading line")

    # 4. Sections, from the blocks.

    def sections(self, blocks):
        """[(kind, heading, how, lines)], consecutive blocks of one part joined."""
        parts = []
        for block in blocks:
            same = (
                parts
                and parts[-1][0] == block.kind
                and not block.new_heading
                and (block.continues or block.anchor is None)
            )
            if same:
                parts[-1][3].extend([Line(0, ""), *block.lines])
                continue
            if block.anchor is not None:
                how = block.how
                heading = block.heading
            else:
                sure, rival = placement.certainty(block)
                how = f"guessed from its place and content, {sure}"
                if sure == "unsure":
                    label = KIND_LABELS.get(block.kind, block.kind)
                    first = next((ln for ln in block.lines if not ln.blank), block.lines[0])
                    why = "placed by its position only"
                    if rival is not None:
                        rival_label = KIND_LABELS.get(rival, rival).lower()
                        why = f"{why}; its content reads more like {rival_label}"
                    self.report.check.append((f"Section {label}", clean_text(first.text)[:80], why))
                heading = ""
            parts.append((block.kind, heading, how, list(block.lines)))
        return parts

    def elements(self, lines):
        """Paragraphs, lists (as item trees) and figures, in order."""
        out = []
        # The lines of the paragraph being read: a line that goes on with
        # the sentence before it (a soft wrap) joins it. The paragraph is
        # split into sentences once, when it ends (splitting it again at
        # every line took time quadratic in its number of lines: 18 s for
        # 100 KB of one-word lines).
        paragraph = []

        def end_paragraph():
            if paragraph:
                out.extend(("p", part) for part in self._unglue(" ".join(paragraph)))
                paragraph.clear()

        i = 0
        while i < len(lines):
            line = lines[i]
            if line.blank:
                end_paragraph()
                i += 1
                continue
            text = line.text.strip()
            if BULLET.match(line.text):
                end_paragraph()
                items, i = self._list(lines, i)
                out.append(("list", items))
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            captioned = nxt is not None and not nxt.blank and CREDIT.match(nxt.text.strip())
            if captioned and len(text.split()) <= 15 and text[-1] not in ".:?!":
                end_paragraph()
                out.append(("figure", clean_text(text), clean_text(nxt.text)))
                i += 2
                continue
            if CREDIT.match(text):
                end_paragraph()
                out.append(("figure", "", clean_text(text)))
                i += 1
                continue
            cleaned = clean_text(text)
            if not (paragraph and paragraph[-1][-1] not in TERMINAL and cleaned[:1].islower()):
                end_paragraph()
            paragraph.append(cleaned)
            i += 1
        end_paragraph()
        return out

    def _unglue(self, text):
        return unglue(text, _Lazy(lambda: self.known_drugs), self.language)

    def _list(self, lines, i):
        roots, stack = [], []  # stack of (indent, item)
        while i < len(lines):
            line = lines[i]
            if line.blank:
                # A list continues over a blank line when a bullet follows.
                j = i
                while j < len(lines) and lines[j].blank:
                    j += 1
                if j < len(lines) and BULLET.match(lines[j].text):
                    i = j
                    continue
                break
            match = BULLET.match(line.text)
            if not match:
                if stack and line.text[:1].isspace():
                    # An indented line without a bullet continues the item.
                    stack[-1][1].text += " " + clean_text(line.text)
                    i += 1
                    continue
                break
            indent = len(match.group(1))
            item = Item(clean_text(match.group(2)), line.number)
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if len(stack) >= MAX_DEPTH:
                # Deeper lists are not an article's; and the Markdown of
                # 1,000 levels would end in a RecursionError further on.
                raise ArticleImportError(
                    f"{self.name}: line {line.number}: a list nested more than {MAX_DEPTH} "
                    "levels deep; an article's lists have at most three levels."
                )
            (stack[-1][1].children if stack else roots).append(item)
            stack.append((indent, item))
            i += 1
        return roots, i

    def parse(self):
        body = self.body_lines()
        blocks = self.blocks(body)
        if len(blocks) > MAX_BLOCKS:
            raise ArticleImportError(
                f"{self.name} has {len(blocks):,} paragraphs and lists; an article has at most "
                f"{MAX_BLOCKS:,}. Is this one article?"
            )
        blocks, emergencies = urgent.extract(blocks, language=self.language, unglue=self._unglue)
        blocks = placement.assign(blocks, self.language)
        data = {
            "format": snapshots.FORMAT,
            "title": self.title,
            "slug": "",
            "alternate_names": "",
            "summary": "",
            "audience": "patient",
            "last_reviewed": None,
            "reviewer_name": "",
            "reviewer_credentials": "",
            "next_review_due": None,
            "update_notes": [],
            "tags": [],
            "related": [],
            "codes": [],
            "sections": [],
            "drug_groups": [],
            "references": [],
            "organizations": [],
            "figures": [],
        }
        org_names = set()
        for kind, heading, how, lines in self.sections(blocks):
            if kind == REFERENCES:
                self._references(lines, data)
            elif kind in REGION:
                self._organizations(lines, kind, data, org_names)
            else:
                self._section(kind, heading, how, lines, data)
            if kind in (REFERENCES, *REGION):
                label = (
                    heading
                    or {
                        REFERENCES: "References",
                        RESOURCES: "Resources",
                        CANADIAN: "Canadian resources",
                    }[kind]
                )
                self.report.sections.append(FoundSection(kind, label, how))
        self._check(data)
        if data["sections"]:
            first = data["sections"][0]["body"].split("\n\n", 1)[0]
            if not first.startswith("- "):
                data["summary"] = first_sentence(first.replace("\n", " "))[:500]
                data["alternate_names"] = self._also_called(first)
        if emergencies:
            self._urgent_help(emergencies, data)
        return data


def parse_article(content, *, name, title=None, slug=None, known_drugs=(), language=ENGLISH):
    """A ``ParsedArticle`` from the file's bytes; raises ``ArticleImportError``.

    ``known_drugs``: the names and other names of the library's drugs (or a
    function giving them, called once if needed); a Treatment bullet with
    one of them is a medicine whatever it looks like. ``language``: the
    article's, one of ``vocabulary.supported()``.
    """
    try:
        for_language(language)
    except UnsupportedLanguage:
        codes = ", ".join(vocabulary_supported())
        raise ArticleImportError(
            f"{name}: articles in “{language}” cannot be imported; the importer reads {codes}."
        ) from None
    text = decode(content, name=name)
    title = " ".join((title or title_from_filename(name)).split())
    if not title:
        raise ArticleImportError(f"{name}: no title; give one with --title.")
    slug = slug or slugify(title)
    if not slug:
        raise ArticleImportError(f"{name}: the title “{title}” gives no address; use --slug.")
    parser = _Parser(text, name=name, title=title, known_drugs=known_drugs, language=language)
    data = parser.parse()
    data["title"] = title[:200]
    data["slug"] = slug[:200]
    return ParsedArticle(title=title, slug=slug, data=data, report=parser.report)
