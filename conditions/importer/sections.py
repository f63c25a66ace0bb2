"""What each kind of section becomes in the article's snapshot: its text,
drug groups, references, organizations, "also called" names, and the
checks that flag what the importer could not place. Mixed into the
parser, which reads the file's lines into sections first."""

import re
from dataclasses import dataclass, field

from conditions.importer import citations, medicines, urgent
from conditions.importer.report import (
    KIND_LABELS,
    FoundDrug,
    FoundFigure,
    FoundGroup,
    FoundOrganization,
    FoundReference,
    FoundSection,
)
from conditions.importer.source import ArticleImportError
from conditions.importer.vocabulary import (
    BODY_KINDS,
    BULLET,
    REGION,
    URL,
    clean_text,
    is_org_like,
)
from conditions.publishing import snapshots
from healthlib.lib.markdown import BODY_MAX_LENGTH, content_gaps


@dataclass
class Item:
    text: str
    number: int
    children: list = field(default_factory=list)


class SectionData:
    """The parser's half that writes sections (see ``parser._Parser``)."""

    def split_medicines(self, items, intro, label, before=""):
        """([(heading, [names])], [text items]): the medicines of a Treatment
        list as drug groups, everything else kept as the list's text.
        ``intro``: the paragraph ending in a colon before the list;
        ``before``: the paragraph before that."""
        intro_names = bool(intro) and medicines.introduces_medicines(intro, before, self.language)
        grouped = {
            id(item): item
            for item in items
            if item.children and item.text.endswith(":") and not deeper(item)
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

    def _section(self, kind, heading, how, lines, data):
        if kind not in BODY_KINDS:
            kind = "other"
        display = KIND_LABELS[kind]
        standard = self.words.standard_headings
        if heading.casefold() in (display.casefold(), *standard):
            heading = ""  # a standard name: the page shows the kind's own label
        chunks = []
        intro_to_drugs = None
        seen = []  # the kinds of the elements before this one
        for element in self.elements(lines):
            seen.append(element[0])
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
                # The paragraph before the introducing one, which "These can
                # include:" may point back to (never a list or a figure).
                before = chunks[-2] if intro and seen[-3:-1] == ["p", "p"] else ""
                groups, text_items = self.split_medicines(
                    element[1], intro, heading or display, before
                )
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

    def _urgent_help(self, emergencies, data):
        """The emergency blocks found anywhere (``urgent.extract``) as the
        "When to get urgent help" section, first in the article."""
        where = []
        for number, block in emergencies.sources:
            if block is None:
                where.append(f"a block of their own, line {number}")
            else:
                where.append(f"{KIND_LABELS.get(block.kind, block.kind)}, line {number}")
        how = "emergency instructions, moved first from: " + "; ".join(where)
        self._section(urgent.URGENT_HELP, "", how, emergencies.lines, data)
        data["sections"].insert(0, data["sections"].pop())
        for order, section in enumerate(data["sections"]):
            section["order"] = order
        self.report.sections.insert(0, self.report.sections.pop())

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
            elif found.get("accessed") and not fields["accessed_on"]:
                why = "the date it was read has no day; not kept"
                self.report.check.append(("References", found["accessed"], why))

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


def deeper(item):
    """Has the group item a third level? Such a list is text, not drug groups."""
    return any(child.children for child in item.children)


def _list_markdown(items, depth=0):
    out = []
    for item in items:
        out.append(f"{'  ' * depth}- {item.text}")
        if item.children:
            out.append(_list_markdown(item.children, depth + 1))
    return "\n".join(out)
