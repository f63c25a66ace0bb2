"""Content checks: what a reviewer must know about an article before it
goes live.

Checks read a snapshot (the dict a ``Revision`` stores), so the same code
judges the working copy when it is saved, the revision a reviewer is about
to publish, and the dashboard's stored result. Each problem is either
*blocking* (publishing is refused: a link that would lead readers nowhere)
or a *warning* the reviewer acknowledges, one by one, before publishing.
"""

import re
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db.models import Q

from conditions.models import Condition, Organization, Reference, Section, SlugRedirect
from conditions.models.images import PLACEHOLDER_PREFIX
from conditions.review import readability
from conditions.review.linkcheck import broken_urls
from healthlib.lib.markdown import article_slugs_linked, content_gaps

_GENERIC_ALT = re.compile(
    r"^\s*(?:figure|image|picture|photo(?:graph)?|graphic|illustration|placeholder|img)"
    r"(?:\s*[:#\-]?\s*(?:\d+|image to be described|to be (?:described|supplied)))?\s*\.?\s*$"
    r"|to be described|to be supplied|\.(?:png|jpe?g|gif|webp)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    blocking: bool
    # Stable while the text it is about stays the same: what a reviewer's
    # acknowledgement names.
    key: str

    def as_dict(self):
        return asdict(self)


def _heading(section):
    return section.get("heading") or str(Section.Kind(section["kind"]).label)


def _link_targets(slugs):
    """slug → True if a published article answers there, False if only a
    draft does; slugs nothing answers are absent."""
    if not slugs:
        return {}
    # Published means a live copy answers at that address now.
    live = set(Condition.objects.live().filter(slug__in=slugs).values_list("slug", flat=True))
    drafts = set(Condition.objects.editable().filter(slug__in=slugs).values_list("slug", flat=True))
    targets = {slug: slug in live for slug in drafts | live}
    redirected = SlugRedirect.objects.filter(
        language=settings.LANGUAGE_CODE, old_slug__in=set(slugs) - set(targets)
    ).values_list("old_slug", "condition__live_copy")
    for slug, live_copy in redirected:
        targets[slug] = live_copy is not None
    return targets


def problems(snapshot, *, own_slug=None, reading_levels=True, language=settings.LANGUAGE_CODE):
    """Every problem of the article held in ``snapshot``, blocking ones first.
    ``reading_levels=False`` leaves out the reading-level warnings without
    scoring the text (the costly part), for callers that do not keep them;
    ``language``: the article's, which the reading level is measured in."""
    sections = snapshot.get("sections", [])
    linked = {}
    for section in sections:
        for slug in article_slugs_linked(section.get("body", "")):
            linked.setdefault(slug, section)
    targets = _link_targets([s for s in linked if s != (own_slug or snapshot.get("slug"))])

    found = []
    for slug, section in linked.items():
        if slug == (own_slug or snapshot.get("slug")):
            continue
        where = _heading(section)
        if slug not in targets:
            found.append(
                Problem(
                    "missing_link",
                    f"{where}: links to “{slug}”, but no article has that address. "
                    "Correct the link or remove it.",
                    True,
                    f"missing_link:{slug}",
                )
            )
        elif not targets[slug]:
            found.append(
                Problem(
                    "unpublished_link",
                    f"{where}: links to “{slug}”, which is not published, so readers "
                    "would reach a missing page. Publish that article first or remove the link.",
                    True,
                    f"unpublished_link:{slug}",
                )
            )

    has_drug_groups = bool(snapshot.get("drug_groups"))
    for index, section in enumerate(sections):
        body = section.get("body", "") or ""
        where = _heading(section)
        if not body.strip():
            if section.get("kind") == "treatment" and has_drug_groups:
                continue  # the drug groups are its content
            found.append(
                Problem(
                    "empty_section",
                    f"{where}: the section is empty.",
                    False,
                    f"empty_section:{index}:{section.get('kind')}",
                )
            )
            continue
        for gap in content_gaps(body):
            introduces_drugs = section.get("kind") == "treatment" and has_drug_groups
            if introduces_drugs and body.rstrip().endswith(gap):
                continue  # "Options include:" introduces the drug groups shown after it
            found.append(
                Problem(
                    "content_gap",
                    f"{where}: “{gap}” is followed by no list; a list may have been lost.",
                    False,
                    f"content_gap:{index}:{gap}",
                )
            )

    for index, section in enumerate(sections if reading_levels else ()):
        # Hard text is the reviewer's call (some terms have no plain
        # alternative), so it warns and never blocks.
        score = readability.score_markdown(section.get("body", ""), language)
        if readability.is_above_target(score):
            found.append(
                Problem(
                    "reading_level",
                    f"{_heading(section)}: {readability.harder_than_target(score)}",
                    False,
                    f"reading_level:{index}:{section.get('kind')}:{readability.figure(score):g}",
                )
            )

    for index, figure in enumerate(snapshot.get("figures", [])):
        label = figure.get("caption") or f"Figure {index + 1}"
        name = PurePosixPath(figure.get("image") or "").name
        if name.startswith(PLACEHOLDER_PREFIX):
            found.append(
                Problem(
                    "placeholder_figure",
                    f"Figure “{label}”: the image is a placeholder; upload the real image.",
                    False,
                    f"placeholder_figure:{index}:{name}",
                )
            )
        alt = (figure.get("alt_text") or "").strip()
        # Matched with each run of whitespace made one space: the pattern's
        # neighbouring ``\s*`` would otherwise share a long run every
        # possible way ("Figure" and 20,000 spaces took 15 s).
        if (
            _GENERIC_ALT.search(" ".join(alt.split()))
            or alt.casefold() == (figure.get("caption") or "").casefold()
        ):
            found.append(
                Problem(
                    "alt_text",
                    f"Figure “{label}”: the alt text “{alt}” does not describe the image "
                    "for people who cannot see it.",
                    False,
                    f"alt_text:{index}:{alt}",
                )
            )
    found.extend(_broken_links(snapshot))
    found.sort(key=lambda p: not p.blocking)
    return _unique_keys(found)


def _broken_links(snapshot):
    """Warnings for the article's references and organizations whose
    address failed the last link check (conditions.review.linkcheck). Keyed by
    the URL, so an acknowledgement holds until the address changes."""
    cited = {}
    for reference in snapshot.get("references", []):
        link = Reference(
            doi=reference.get("doi") or "",
            pmid=reference.get("pmid") or "",
            url=reference.get("url") or "",
        ).link
        if link:
            label = reference.get("title") or reference.get("citation_text") or link
            cited.setdefault(link, f"Reference “{label[:80]}”")
    org_ids = [o["id"] for o in snapshot.get("organizations", []) if o.get("id")]
    if org_ids:
        for name, url in (
            Organization.objects.filter(pk__in=org_ids).exclude(url="").values_list("name", "url")
        ):
            cited.setdefault(url, f"Organization “{name}”")
    if not cited:
        return []
    return [
        Problem(
            "broken_link",
            f"{cited[url]}: the link {url} did not work when checked on"
            f" {check.checked_at:%Y-%m-%d} ({check.problem}). Check it, or"
            " correct or remove it.",
            False,
            f"broken_link:{url}",
        )
        for url, check in sorted(broken_urls(list(cited)).items())
    ]


def _unique_keys(found):
    """The same gap twice in one section is two warnings to acknowledge."""
    seen = {}
    unique = []
    for problem in found:
        n = seen[problem.key] = seen.get(problem.key, 0) + 1
        if n > 1:
            problem = Problem(problem.code, problem.message, problem.blocking, f"{problem.key}#{n}")
        unique.append(problem)
    return unique


def to_store(snapshot):
    """The problems kept on the working copy (``Condition.check_problems``),
    as dicts: what the dashboard's "Content checks to fix" lists. Reading
    levels are not among them: they have their own list on the dashboard
    ("Hardest to read") and are stored with each revision already."""
    return [p.as_dict() for p in problems(snapshot, reading_levels=False)]


def blocking(found):
    return [p for p in found if p.blocking]


def warnings(found):
    return [p for p in found if not p.blocking]


def recheck_linking_to(*slugs):
    """Store fresh check results on the working copies that link to these
    addresses: an article going live (or away) there changes whether their
    links lead anywhere."""
    slugs = [s for s in slugs if s]
    if not slugs:
        return
    mentions = Q()
    for slug in slugs:
        mentions |= Q(body__contains=f"article:{slug}") | Q(body__contains=f"/conditions/{slug}")
    linking = (
        Section.objects.filter(mentions, condition__is_live=False)
        .values_list("condition_id", flat=True)
        .distinct()
    )
    drafts = Condition.objects.editable(language=None).filter(pk__in=linking)
    for condition in drafts.select_related("latest_revision"):
        if condition.latest_revision is None:
            continue
        found = to_store(condition.latest_revision.snapshot)
        if found != condition.check_problems:
            Condition.objects.filter(pk=condition.pk).update(check_problems=found)


def on_live_change(sender, change, **kwargs):
    """Receiver of the live-change event (``conditions.publishing.events``):
    an article went live at an address, left one or moved, so the drafts
    that link there are checked again."""
    if change.loaded:
        return  # a load writes every working copy's checks itself
    for article in change.articles:
        slug = article.live.slug if article.live is not None else None
        if slug != article.old_slug:
            recheck_linking_to(slug, article.old_slug)
