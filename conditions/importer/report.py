"""What an import found, for the person who ran it."""

from dataclasses import dataclass, field

from conditions.models import Organization, Section

KIND_LABELS = dict(Section.Kind.choices)
REGION_LABELS = dict(Organization.Region.choices)


@dataclass
class FoundSection:
    kind: str
    heading: str
    how: str  # "heading line", "Markdown heading", "guessed from position", ...

    @property
    def label(self):
        return self.heading or KIND_LABELS.get(self.kind, self.kind)


@dataclass
class FoundDrug:
    name: str
    status: str = ""  # "new" or "matched <name>", filled in when written


@dataclass
class FoundGroup:
    heading: str
    drugs: list = field(default_factory=list)


@dataclass
class FoundReference:
    text: str
    parsed: bool
    kind: str = ""  # "journal article", "book", "website"; "" when kept whole


@dataclass
class FoundOrganization:
    name: str
    region: str
    status: str = ""


@dataclass
class FoundFigure:
    caption: str
    credit: str
    placement: str
    status: str = ""


@dataclass
class ImportReport:
    sections: list = field(default_factory=list)
    drug_groups: list = field(default_factory=list)
    references: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    gaps: list = field(default_factory=list)  # [(section label, sentence)]
    dropped: list = field(default_factory=list)  # [(line number, text)]
    notes: list = field(default_factory=list)
    # [(where, text, why)]: what the import was unsure of and left for an
    # editor: bullets that may be medicines (kept as text, no Drug made),
    # sections placed with little evidence, citations kept whole.
    check: list = field(default_factory=list)

    def lines(self):
        """The report as lines of text."""
        out = [f"Sections ({len(self.sections)}):"]
        for s in self.sections:
            out.append(f"  {s.label} [{s.kind}] ({s.how})")
        out.append(f"Drug groups ({len(self.drug_groups)}):")
        for g in self.drug_groups:
            drugs = ", ".join(f"{d.name} ({d.status or 'found'})" for d in g.drugs)
            out.append(f"  {g.heading or '(ungrouped)'}: {drugs}")
        parsed = sum(1 for r in self.references if r.parsed)
        out.append(
            f"References ({len(self.references)}): {parsed} parsed, "
            f"{len(self.references) - parsed} kept whole"
        )
        for r in self.references:
            what = f"parsed as a {r.kind}" if r.kind else "parsed" if r.parsed else "kept whole"
            out.append(f"  {what}: {r.text}")
        out.append(f"Organizations ({len(self.organizations)}):")
        for o in self.organizations:
            status = f", {o.status}" if o.status else ""
            out.append(f"  {o.name} ({REGION_LABELS.get(o.region, o.region)}{status})")
        out.append(f"Figures ({len(self.figures)}):")
        for f in self.figures:
            status = f"; {f.status}" if f.status else ""
            where = KIND_LABELS.get(f.placement, f.placement)
            out.append(f"  “{f.caption}” in {where}, {f.credit or 'no credit line'}{status}")
        out.append(
            f"Content gaps ({len(self.gaps)}): sentences ending in a colon with nothing after"
        )
        for label, sentence in self.gaps:
            out.append(f"  {label}: “{sentence}”")
        out.append(f"Dropped lines ({len(self.dropped)}):")
        for number, text in self.dropped:
            out.append(f"  line {number}: {text}")
        out.append(f"Check these ({len(self.check)}): left as they are for an editor to decide")
        for where, text, why in self.check:
            out.append(f"  {where}: “{text}” ({why})")
        out.extend(f"Note: {note}" for note in self.notes)
        return out
