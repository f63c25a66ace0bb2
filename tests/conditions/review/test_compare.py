"""A reviewer sees every change: Compare and the Publish page show all of the snapshot.

The complete-diff test walks every leaf of a rich article's snapshot (every
field of every child, and every list whose order readers see), changes it,
and reads Compare and the Publish page over HTTP as a reviewer: the change
must be there in words, under the field's name. A field added to the
snapshot that Compare does not show fails it, as does one without a name
a reviewer understands. A property test checks, on random pairs of
snapshots, that "no difference shown" means "the same snapshot".
"""

import copy
import datetime
import html as htmllib
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conditions import services
from conditions.models import Condition, Figure, Revision
from conditions.review import compare
from tests import factories

SAME = "These two revisions are the same."


# Lists kept sorted by snapshots.take: their order carries nothing.
UNORDERED = {key for key, kind in compare.KINDS.items() if not kind.ordered}


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        assert value, f"{path} is empty: the article is not rich enough to test it"
        for n, item in enumerate(value):
            yield from _leaves(item, (*path, n))
    else:
        yield path, value


def _ordered_lists(value, path=()):
    """Paths of lists with two entries or more whose order is meaningful."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _ordered_lists(item, (*path, key))
    elif isinstance(value, list):
        if len(value) > 1 and not (len(path) == 1 and path[0] in UNORDERED):
            yield path
        for n, item in enumerate(value):
            yield from _ordered_lists(item, (*path, n))


def _label(path):
    """What Compare calls the field at ``path`` (a KeyError if nothing)."""
    if len(path) == 1:
        return compare.ARTICLE_FIELDS[path[0]]
    kind = compare.KINDS[path[0]]
    if kind.scalar:
        return kind.fields["value"]
    if path[2] in compare.NESTED:
        return compare.NESTED[path[2]].fields[path[4]]
    return kind.fields[path[2]]


def _get(data, path):
    for step in path:
        data = data[step]
    return data


def _set(data, path, value):
    _get(data, path[:-1])[path[-1]] = value


def _diff_region(page):
    html = page.content.decode()
    assert page.status_code == 200
    return html[html.index('<div class="diff">') :]


def _shown_as_new(html, label, words):
    """Whether a field named ``label`` shows ``words`` as added text."""
    for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.DOTALL):
        if dt != escape(label) or "<ins>" not in dd:
            continue
        now = htmllib.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<del>.*?</del>", "", dd)))
        if words in now:
            return True
    return False


def _rich_article():
    """An article with every kind of child, two of each where order counts."""
    other = factories.article("Tics")
    article = factories.article(
        "Gout",
        groups=2,
        references=2,
        organizations=2,
        tags=("Joints", "Pain"),
        codes=(("icd10cm", "M10.9"), ("snomedct", "90560007")),
        alternate_names="Podagra",
        figures=2,
    )
    data = services.snapshots.take(article)
    data["related"] = [{"id": other.pk, "slug": other.slug}]
    data["figures"][1]["placement"] = "treatment"
    for reference in data["references"]:
        reference.update(
            month="Mar", issue="2", doi="10.1000/x", pmid="123", url="https://example.org/r"
        )
        reference["citation_text"] = "Doe J. A study."
    services.update_article(condition=article, data=data)
    services.publish(condition=article, update_note="Second version", reviewer_credentials="MD")
    article.refresh_from_db()
    return article


@pytest.mark.django_db
def test_every_leaf_and_every_order_of_the_snapshot_shows_on_compare_and_publish(reviewer_client):
    article = _rich_article()
    live = article.live_revision
    base = live.snapshot
    assert base == services.snapshots.take(article)
    compare_url = reverse("admin:conditions_condition_compare", args=[article.pk])
    publish_url = reverse("admin:conditions_condition_workflow", args=[article.pk, "publish"])
    choices = {key: list(values) for key, values in compare._CHOICES.items()}
    choices["placement"] = [c for c in choices["placement"] if c]

    def pages(snapshot, n):
        revision = Revision.objects.create(
            condition=article, snapshot=snapshot, comment=f"Change {n}", status_after="in_review"
        )
        Condition.objects.filter(pk=article.pk).update(
            latest_revision=revision, status=Condition.Status.IN_REVIEW
        )
        return [
            _diff_region(reviewer_client.get(compare_url, {"a": live.pk, "b": revision.pk})),
            _diff_region(reviewer_client.get(publish_url)),
        ]

    # Nothing changed: both pages say so.
    assert all(SAME in html for html in pages(copy.deepcopy(base), 0))

    missed, labelled = [], set()
    leaves = list(_leaves(base))
    for n, (path, value) in enumerate(leaves, start=1):
        key = next(step for step in reversed(path) if isinstance(step, str))
        changed = copy.deepcopy(base)
        label = _label(path)
        labelled.add(label)
        if key == "image":
            new = Figure.store_image(f"new-{n}.png", ContentFile(factories.png_bytes()), [])[
                "image"
            ]
            _set(changed, path, new)
            old_url = compare._image(_get(base, path[:-1]))["url"]
            new_url = default_storage.url(new)

            def shown(html, new=new, old_url=old_url, new_url=new_url):
                # Old and new side by side: the old file is still there to show.
                return (
                    f'<img src="{old_url}"' in html
                    and f'<img src="{new_url}"' in html
                    and _shown_as_new(html, "Image", new)
                )

            assert default_storage.exists(value), "the old image file must stay available"
        elif key == "order" and len(path) == 3:
            _set(changed, path, value + 1000)

            def shown(html):
                # It, or what it passed, moved; or, already last, its number changed.
                return "<small>(moved from " in html or "<dt>Order</dt>" in html
        else:
            if key in choices:
                new = next(c for c in choices[key] if c != value)
                words = str(compare._CHOICES[key][new])
            elif key in ("last_reviewed", "next_review_due", "date"):
                new = (datetime.date(2031, 1, 1) + datetime.timedelta(days=n)).isoformat()
                words = "2031"
            elif isinstance(value, bool):
                new = not value
                words = "yes" if new else "no"
            elif isinstance(value, int):
                new = value + 7000 + n
                words = str(new)
            else:
                new = f"{value} Zq{n}x" if value else f"Zq{n}x"
                words = f"Zq{n}x"
            _set(changed, path, new)

            def shown(html, label=label, words=words):
                return _shown_as_new(html, label, words)

        for page, html in zip(("Compare", "Publish"), pages(changed, n), strict=True):
            if SAME in html or not shown(html):
                missed.append(f"{page}: {'.'.join(map(str, path))} = {value!r}")

    orders = list(_ordered_lists(base))
    for n, path in enumerate(orders, start=len(leaves) + 1):
        changed = copy.deepcopy(base)
        entries = _get(changed, path)
        entries[0], entries[1] = entries[1], entries[0]
        if isinstance(entries[0], dict) and "order" in entries[0]:
            entries[0]["order"], entries[1]["order"] = entries[1]["order"], entries[0]["order"]
        if path[-1] == "renditions":
            moved = [re.compile(re.escape(escape(compare.KINDS["figures"].fields["renditions"])))]
        else:
            kind = compare.NESTED.get(path[-1]) or compare.KINDS[path[-1]]
            moved = [
                re.compile(
                    rf"{re.escape(escape(kind.title(entries[k])))} <small>\(moved from "
                    rf"{'2nd to 1st' if k == 0 else '1st to 2nd'} place"
                )
                for k in (0, 1)
            ]
        for page, html in zip(("Compare", "Publish"), pages(changed, n), strict=True):
            if SAME in html or not any(p.search(html) for p in moved):
                missed.append(f"{page}: order of {'.'.join(map(str, path))}")

    print(f"covered {len(leaves)} values + {len(orders)} list orders")
    assert not missed, "\n".join(missed)
    # Every field Compare names was changed by some leaf.
    declared = {
        label
        for kind in (*compare.KINDS.values(), compare.DRUGS)
        for key, label in kind.fields.items()
        if key not in compare.NESTED
    } | set(compare.ARTICLE_FIELDS.values())
    assert declared == labelled
    assert len(leaves) >= 120 and len(orders) >= 10


@pytest.mark.django_db
def test_every_snapshot_key_has_a_label_a_reviewer_understands():
    article = _rich_article()
    for path, _ in _leaves(services.snapshots.take(article)):
        label = _label(path)  # a KeyError names a field Compare does not know
        raw = next(step for step in reversed(path) if isinstance(step, str))
        assert label and label != raw and "_" not in label, (path, label)


@pytest.mark.django_db
def test_a_replaced_image_is_shown_old_and_new_and_the_old_file_stays(reviewer_client):
    article = factories.article("Gout", publish=True, figures=1)
    live = article.live_revision
    old_name = live.snapshot["figures"][0]["image"]
    figure = article.figures.get()
    figure.image = factories.upload("replacement.png", color="#aa3300")
    figure.alt_text = "A swollen big toe"
    figure.save()
    services.record_revision(condition=article, comment="New picture")
    article.refresh_from_db()
    new_name = article.latest_revision.snapshot["figures"][0]["image"]
    assert new_name != old_name and default_storage.exists(old_name)

    url = reverse("admin:conditions_condition_workflow", args=[article.pk, "publish"])
    html = _diff_region(reviewer_client.get(url))
    old_thumb, new_thumb = re.findall(r'<img src="([^"]+)" alt="(Before|After): ', html)
    assert "figures" in old_thumb[0] or "renditions" in old_thumb[0]
    assert old_thumb[0] != new_thumb[0]
    assert _shown_as_new(html, "Alt text (what the image shows)", "A swollen big toe")


_text = st.sampled_from(["", "a", "b", "a b", "*a*", "[a](article:x)", "[a](article:y)"])


_small = st.integers(0, 3)


def _entries(entry, *, ordered=True, max_size=3):
    def numbered(items):
        if ordered:
            for n, item in enumerate(items):
                item["order"] = n
        return items

    return st.lists(entry, max_size=max_size).map(numbered)


_snapshots = st.fixed_dictionaries(
    {
        "format": st.sampled_from([1, 2]),
        "title": _text,
        "slug": st.sampled_from(["a", "b"]),
        "alternate_names": _text,
        "summary": _text,
        "audience": st.sampled_from(["patient", "professional"]),
        "last_reviewed": st.sampled_from([None, "2024-01-01", "2025-02-03"]),
        "reviewer_name": _text,
        "reviewer_credentials": _text,
        "next_review_due": st.sampled_from([None, "2026-01-01"]),
        "update_notes": _entries(
            st.fixed_dictionaries(
                {"date": st.just("2024-01-01"), "note": _text, "reviewer": _text}
            ),
            ordered=False,
        ),
        "tags": st.lists(st.sampled_from(["a", "b", "c"]), unique=True).map(sorted),
        "related": st.lists(st.sampled_from(["x", "y"]), unique=True).map(
            lambda slugs: [{"id": ord(s), "slug": s} for s in sorted(slugs)]
        ),
        "codes": st.lists(
            st.tuples(st.sampled_from(["icd10cm", "snomedct"]), st.sampled_from(["1", "2"])),
            unique=True,
        ).map(lambda codes: [{"system": s, "code": c} for s, c in sorted(codes)]),
        "sections": _entries(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(["definition", "causes"]),
                    "heading": st.sampled_from(["", "A"]),
                    "body": _text,
                }
            )
        ),
        "drug_groups": _entries(
            st.fixed_dictionaries(
                {
                    "heading": st.sampled_from(["", "G"]),
                    "drugs": st.lists(
                        st.sampled_from(["A", "B", "C"]).map(
                            lambda n: {"id": ord(n), "name": n, "slug": n.lower()}
                        ),
                        max_size=3,
                    ),
                }
            )
        ),
        "references": _entries(
            st.fixed_dictionaries(
                {"authors": _text, "title": _text, "year": st.sampled_from([None, 2020, 2021])}
            )
        ),
        "organizations": _entries(
            st.fixed_dictionaries(
                {"id": _small, "name": st.sampled_from(["O", "P"]), "region": st.just("US")}
            ),
            ordered=False,
        ),
        "figures": _entries(
            st.fixed_dictionaries(
                {
                    "image": st.sampled_from(["figures/a.png", "figures/b.png"]),
                    "alt_text": _text,
                    "caption": _text,
                    "credit": _text,
                    "placement": st.sampled_from(["", "causes"]),
                    "width": st.sampled_from([100, 200]),
                    "height": st.just(100),
                    "renditions": st.lists(
                        st.fixed_dictionaries(
                            {
                                "width": st.sampled_from([50, 100]),
                                "name": st.sampled_from(["renditions/a.png", "renditions/b.png"]),
                            }
                        ),
                        max_size=2,
                    ),
                }
            )
        ),
    }
)


@st.composite
def _pairs(draw):
    """Two snapshots, often differing in one small way."""
    old = draw(_snapshots)
    how = draw(st.sampled_from(["same", "other", "leaf", "swap"]))
    if how == "same":
        return old, copy.deepcopy(old)
    if how == "other":
        return old, draw(_snapshots)
    new = copy.deepcopy(old)
    if how == "leaf":
        leaves = [p for p, _ in _leaves_of(new)]
        path = draw(st.sampled_from(leaves))
        value = _get(new, path)
        _set(new, path, draw(st.one_of(_another(value), st.just(value))))
    else:
        lists = list(_ordered_lists(new)) or [()]
        path = draw(st.sampled_from(lists))
        if path:
            # A reorder as editors make it: the order numbers follow the places.
            entries = _get(new, path)
            entries[0], entries[1] = entries[1], entries[0]
            if isinstance(entries[0], dict) and "order" in entries[0]:
                entries[0]["order"], entries[1]["order"] = entries[1]["order"], entries[0]["order"]
    return old, new


def _another(value):
    """Another value the leaf's field could hold, as snapshots hold them:
    text stays text (a body is never a number or None), a number a number,
    and an empty date or year may be filled."""
    if isinstance(value, str):
        return _text
    if isinstance(value, int):
        return _small
    return st.one_of(_text, _small)


def _leaves_of(snapshot):
    def walk(value, path):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for n, item in enumerate(value):
                yield from walk(item, (*path, n))
        else:
            yield path, value

    return list(walk(snapshot, ()))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_pairs())
def test_no_difference_shown_exactly_when_the_snapshots_are_equal(pair):
    old, new = pair
    comparison = compare.compare(old, new)
    html = render_to_string(
        "admin/conditions/condition/_comparison.html", {"comparison": comparison}
    )
    assert comparison.has_changes == (old != new)
    assert (SAME in html) == (old == new)
    if old != new:
        assert "<ins>" in html or "<del>" in html or "moved from" in html


def _html(old, new):
    return render_to_string(
        "admin/conditions/condition/_comparison.html", {"comparison": compare.compare(old, new)}
    )


@pytest.mark.django_db
def test_a_drug_moved_in_its_group_is_shown_as_moved():
    old = factories.article_data("Gout", groups=1, drugs_per_group=3)
    new = copy.deepcopy(old)
    drugs = new["drug_groups"][0]["drugs"]
    drugs.insert(0, drugs.pop())
    html = _html(old, new)
    assert "Group 1 <small>(changed)</small>" in html
    assert "Drug 0-2 <small>(moved from 3rd to 1st place)</small>" in html
    assert "Drug 0-0 <small>(moved" not in html  # only the one that moved


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(range(5)))
def test_every_drug_whose_place_changed_is_shown_moved_or_kept_in_order(order):
    """Reordering a group: a drug not called moved is in its old place, or
    keeps its order with the others not called moved; a reversed group moves
    every drug but the middle one (the first, sent last, was once called
    unchanged)."""
    old = factories.article_data("Gout", groups=1, drugs_per_group=5)
    new = copy.deepcopy(old)
    drugs = old["drug_groups"][0]["drugs"]
    new["drug_groups"][0]["drugs"] = [drugs[i] for i in order]
    html = _html(old, new)
    moved = {n for n in range(5) if f"Drug 0-{n} <small>(moved from" in html}
    for n in moved:
        assert f"Drug 0-{n} <small>(moved from {compare.ordinal(n + 1)} to " in html
    if list(order) == list(range(5)):
        assert "These two revisions are the same." in html
        return
    assert moved, html
    shifted = [i for p, i in enumerate(order) if i not in moved and p != i]
    assert shifted == sorted(shifted)
    if list(order) == [4, 3, 2, 1, 0]:
        assert moved == {0, 1, 3, 4}


def test_a_changed_link_target_is_shown_though_the_words_are_the_same():
    old = {
        "sections": [
            {"kind": "causes", "heading": "", "body": "See [gout](article:gout).", "order": 0}
        ]
    }
    new = copy.deepcopy(old)
    new["sections"][0]["body"] = "See [gout](article:pseudogout)."
    html = _html(old, new)
    assert SAME not in html
    assert _shown_as_new(html, "Links or formatting in the text", "pseudogout")


@pytest.mark.django_db
def test_compare_of_snapshots_shows_added_sections_for_nothing():
    article = factories.article("Gout", publish=False, sections=3)
    comparison = compare.compare(None, services.snapshots.take(article))
    assert [s.status for s in comparison.sections] == ["added"] * 3
