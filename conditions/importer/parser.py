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

from conditions.importer import citations, medicines, placement
from conditions.importer.report import (
    KIND_LABELS,
    FoundDrug,
    FoundFigure,
    FoundGroup,
    FoundOrganization,
    FoundReference,
    FoundSection,
    ImportReport,
)
from conditions.importer.sentences import unglue
from conditions.importer.source import ArticleImportError, decode
from conditions.importer.vocabulary import (
    BODY_KINDS,
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
    URL,
    UnsupportedLanguage,
    clean_text,
    first_sentence,
    for_language,
    is_org_like,
)
from conditions.importer.vocabulary import supported as vocabulary_supported
from conditions.publishing import snapshots
from healthlib.lib.markdown import BODY_MAX_LENGTH, content_gaps


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
class Item:
    text: str
    number: int
    children: list = field(default_factory=list)


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


def _normalize_heading(text):
    text = re.sub(r"[:.]+$", "", " ".join(text.split())).strip().casefold()
    return text


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


class _Parser:
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
        heading_lines = sum(1 for ln in body if self._heading(ln, markdown) is not None)
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

        for ln in body:
            found = self._heading(ln, markdown)
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
        i = 0
        previous_line = None  # the paragraph line just before, for soft wraps
        while i < len(lines):
            line = lines[i]
            if line.blank:
                previous_line = None
                i += 1
                continue
            text = line.text.strip()
            if BULLET.match(line.text):
                items, i = self._list(lines, i)
                out.append(("list", items))
                previous_line = None
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            captioned = nxt is not None and not nxt.blank and CREDIT.match(nxt.text.strip())
            if captioned and len(text.split()) <= 15 and text[-1] not in ".:?!":
                out.append(("figure", clean_text(text), clean_text(nxt.text)))
                i += 2
                previous_line = None
                continue
            if CREDIT.match(text):
                out.append(("figure", "", clean_text(text)))
                i += 1
                continue
            cleaned = clean_text(text)
            if (
                previous_line is not None
                and out
                and out[-1][0] == "p"
                and out[-1][1][-1] not in TERMINAL
                and cleaned[:1].islower()
            ):
                joined = f"{out[-1][1]} {cleaned}"
                out.pop()
                out.extend(("p", part) for part in self._unglue(joined))
            else:
                out.extend(("p", part) for part in self._unglue(cleaned))
            previous_line = line
            i += 1
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

    def split_medicines(self, items, intro, label):
        """([(heading, [names])], [text items]): the medicines of a Treatment
        list as drug groups, everything else kept as the list's text."""
        last_sentence = re.split(r"(?<=[.!?])\s+", intro)[-1] if intro else ""
        intro_names = bool(last_sentence) and medicines.names_medicines(
            last_sentence, self.language
        )
        grouped = {
            id(item): item
            for item in items
            if item.children and item.text.endswith(":") and not _deeper(item)
        }
        siblings = any(
            medicines.names_medicines(item.text[:-1], self.language) for item in grouped.values()
        )
        groups, text_items, loose = [], [], None

        def verdict(text, context, sibling=False):
            found = medicines.classify(
                text,
                known=self.known_drugs,
                context=context,
                siblings=sibling,
                language=self.language,
            )
            if found.kind == medicines.UNCERTAIN:
                self.report.check.append((label, text, found.why))
            return found.kind == medicines.MEDICINE

        for item in items:
            if id(item) in grouped:
                heading = item.text[:-1].strip()
                context = medicines.names_medicines(heading, self.language) or intro_names
                names, rest = [], []
                for child in item.children:
                    (names if verdict(child.text, context) else rest).append(child)
                if names:
                    groups.append((heading, [c.text for c in names]))
                    loose = None
                if rest:
                    text_items.append(Item(item.text, item.number, rest))
            elif not item.children and verdict(item.text, intro_names, siblings):
                if loose is None:
                    loose = ("", [])
                    groups.append(loose)
                loose[1].append(item.text)
            else:
                text_items.append(item)
        return groups, text_items

    # 5. Everything together.

    def parse(self):
        body = self.body_lines()
        blocks = self.blocks(body)
        if len(blocks) > MAX_BLOCKS:
            raise ArticleImportError(
                f"{self.name} has {len(blocks):,} paragraphs and lists; an article has at most "
                f"{MAX_BLOCKS:,}. Is this one article?"
            )
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
        return data

    def _section(self, kind, heading, how, lines, data):
        if kind not in BODY_KINDS:
            kind = "other"
        display = KIND_LABELS[kind]
        standard = self.words.standard_headings
        if heading.casefold() in (display.casefold(), *standard):
            heading = ""  # a standard name: the page shows the kind's own label
        chunks = []
        intro_to_drugs = None
        for element in self.elements(lines):
            if element[0] == "p":
                chunks.append(_escape(element[1]))
            elif element[0] == "figure":
                caption, credit = element[1], element[2]
                data["figures"].append(
                    {
                        "caption": caption[:300],
                        "credit": credit[:300],
                        "alt_text": (caption or "Figure: image to be described")[:300],
                        "placement": kind,
                        "order": len(data["figures"]),
                    }
                )
                self.report.figures.append(FoundFigure(caption, credit, kind))
            elif kind != "treatment":
                chunks.append(_list_markdown(element[1]))
            else:
                intro = chunks[-1] if chunks and chunks[-1].endswith(":") else ""
                groups, text_items = self.split_medicines(element[1], intro, heading or display)
                if text_items:
                    chunks.append(_list_markdown(text_items))
                elif intro:
                    intro_to_drugs = intro
                for group_heading, names in groups:
                    self._drug_group(group_heading, names, data)
        body = "\n\n".join(chunks) + "\n" if chunks else ""
        if len(body) > BODY_MAX_LENGTH:
            # The editor would refuse to save it; say so before anything is written.
            raise ArticleImportError(
                f"{self.name}: the section “{heading or display}” is {len(body):,} characters"
                f" long; a section may be at most {BODY_MAX_LENGTH:,}. Split it in two."
            )
        order = len(data["sections"])
        data["sections"].append(
            {"kind": kind, "heading": heading[:200], "body": body, "order": order}
        )
        self.report.sections.append(FoundSection(kind, heading, how))
        label = heading or display
        for sentence in content_gaps(body) if ":" in body else ():
            if intro_to_drugs is None or not intro_to_drugs.endswith(sentence):
                self.report.gaps.append((label, sentence))

    def _drug_group(self, heading, names, data):
        seen, drugs = set(), []
        for name in names:
            if name.casefold() in seen:
                self.report.notes.append(f"“{name}” is listed twice under “{heading}”; kept once")
                continue
            seen.add(name.casefold())
            drugs.append({"name": name})
        data["drug_groups"].append(
            {"heading": heading[:200], "order": len(data["drug_groups"]), "drugs": drugs}
        )
        self.report.drug_groups.append(FoundGroup(heading, [FoundDrug(d["name"]) for d in drugs]))

    def _references(self, lines, data):
        for line in lines:
            if line.blank:
                continue
            fields, found = citations.parse_citation(line.text, self.language)
            fields["order"] = len(data["references"])
            data["references"].append({f: fields[f] for f in snapshots.REFERENCE_FIELDS})
            parsed = bool(fields["title"])
            text = citations.clean(line.text)
            self.report.references.append(FoundReference(text, parsed, found["kind"]))
            if not parsed:
                why = "kept whole: not read as a journal article, book or website"
                self.report.check.append(("References", text[:120], why))

    def _organizations(self, lines, kind, data, seen):
        for line in lines:
            if line.blank:
                continue
            raw = BULLET.sub(r"\2", line.text) if BULLET.match(line.text) else line.text
            text = clean_text(raw)
            url_match = URL.search(text)
            url = url_match.group(0) if url_match else ""
            name = URL.sub("", text).strip(" -–—:,()[]") if url else text
            if not name and url and data["organizations"]:
                last = data["organizations"][-1]
                if not last.get("url"):
                    last["url"] = url[:500]
                    continue
            if not name or not is_org_like(name):
                self.report.dropped.append((line.number, text))
                continue
            if name.casefold() in seen:
                continue
            seen.add(name.casefold())
            region = REGION[kind]
            data["organizations"].append({"name": name[:300], "region": region, "url": url[:500]})
            self.report.organizations.append(FoundOrganization(name, region))

    def _also_called(self, paragraph):
        """The other names the first paragraph gives ("also called …"), one a line."""
        found = {}
        for match in self.words.also_called.finditer(paragraph):
            for name in match.group(1).split(self.words.alternatives):
                name = name.strip()
                if name and len(name.split()) <= 6:
                    found.setdefault(name.casefold(), name)
        found = list(found.values())
        if found:
            self.report.notes.append("other names found: " + ", ".join(found))
        return "\n".join(found)

    def _check(self, data):
        prose = [
            p
            for s in data["sections"]
            for p in s["body"].split("\n\n")
            if p.strip() and not p.startswith("- ")
        ]
        words = sum(len(p.split()) for p in prose)
        sentences = sum(1 for p in prose if self.words.sentence.search(p))
        if words < 12 or sentences == 0:
            raise ArticleImportError(
                f"{self.name}: no article found (expected paragraphs of text separated by "
                "blank lines, in the seed's plain-text format)."
            )


def _escape(text):
    """Plain text as a Markdown paragraph that renders as the same text."""
    if re.match(r"^(#|>|[-+*]\s|\d+[.)]\s|=+$|-+$)", text):
        return "\\" + text
    return text


def _deeper(item):
    """Has the group item a third level? Such a list is text, not drug groups."""
    return any(child.children for child in item.children)


def _list_markdown(items, depth=0):
    out = []
    for item in items:
        out.append(f"{'  ' * depth}- {item.text}")
        if item.children:
            out.append(_list_markdown(item.children, depth + 1))
    return "\n".join(out)


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
