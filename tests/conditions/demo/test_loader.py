"""The demo: a history that reads as a real one, a live article that passes
every content check, a drawn figure, and an account for each role."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conditions.demo import figure as demo_figure
from conditions.models import Condition, Drug, DrugGroup
from conditions.review import content_checks as checks
from healthlib.lib.markdown import content_gaps

pytestmark = pytest.mark.django_db


def history(condition):
    return [
        (r.author.username if r.author else None, r.comment, r.status_before, r.status_after)
        for r in condition.revisions.order_by("created_at", "pk")
    ]


def test_demo_history_reads_as_a_real_one(load_demo):
    load_demo(debug=True)
    working = Condition.objects.editable().get(slug="myoclonus")
    assert history(working) == [
        (None, "Imported from the seed (myoclonus.txt)", "", "draft"),
        (
            "editor",
            "Removed the sentences that introduced lists of links lost when the seed was "
            "scraped: “Possible causes include:”, “This can be done with:”",
            "draft",
            "draft",
        ),
        (
            "editor",
            "Replaced the placeholder figure with an illustration drawn for the demo, "
            "with alt text that describes it and its credit",
            "draft",
            "draft",
        ),
        (
            "editor",
            "Ready for review: lead-ins of the lost lists removed, illustration in place.",
            "draft",
            "in_review",
        ),
        ("reviewer", "Published", "in_review", "published"),
    ]
    published = working.revisions.order_by("created_at", "pk").last()
    assert published.approved_by.username == "reviewer"
    assert published.update_note.startswith("Removed sentences that introduced lists")
    assert working.live_revision == published and not working.has_unpublished_changes
    # The import still shows what the seed lost; the editor's revision does not.
    imported = working.revisions.order_by("created_at", "pk").first()
    imported_gaps = [g for s in imported.snapshot["sections"] for g in content_gaps(s["body"])]
    assert imported_gaps == [
        "Possible causes include:",
        "This can be done with:",
        "This can be done with:",
    ]
    # What the seed says stays: only the lead-ins went.
    live = working.live_copy
    diagnosis = live.sections.get(kind="diagnosis").body
    assert "You may have your brain and muscle activity measured and recorded.\n" in diagnosis
    assert "Pictures may be taken of your brain and spinal cord.\n" in diagnosis
    assert "This can be done with blood tests." in diagnosis


@pytest.mark.parametrize("debug", [True, False])
def test_live_demo_article_passes_every_content_check(load_demo, debug):
    load_demo(debug=debug)
    working = Condition.objects.editable().get(slug="myoclonus")
    # Only the seed's hard sections remain, warned and acknowledged by the reviewer.
    assert working.check_problems == []  # nothing for "Content checks to fix"
    found = checks.problems(working.live_revision.snapshot)
    assert {p.code for p in found} <= {"reading_level"}
    if debug:  # the demo reviewer published through the gate, acknowledging them
        acknowledged = {a["key"] for a in working.live_revision.acknowledged_warnings}
        assert {p.key for p in found} <= acknowledged
    for section in working.live_copy.sections.all():
        assert content_gaps(section.body) == [], section.kind


def test_without_debug_the_system_makes_the_history(load_demo):
    output = load_demo(debug=False)
    assert "Demo account" not in output
    assert not User.objects.exists()
    working = Condition.objects.editable().get(slug="myoclonus")
    assert {author for author, *_ in history(working)} == {None}
    assert working.status == "published"


def test_load_demo_twice_changes_nothing(load_demo):
    load_demo(debug=True)
    working = Condition.objects.editable().get(slug="myoclonus")
    before = history(working)
    output = load_demo(debug=True)
    assert "Already present: /conditions/myoclonus/" in output
    assert history(working) == before
    assert Condition.objects.filter(slug="myoclonus").count() == 2


def test_newsletter_editor_account_logs_in_and_opens_the_newsletter_admin(load_demo, client):
    output = load_demo(debug=True)
    accounts = dict(re.findall(r"Demo account: (\w+) / (\S+) \(", output))
    assert set(accounts) == {"editor", "reviewer", "newsletter"}
    assert "Demo account: newsletter / " in output and "(Newsletter editors)" in output
    assert client.login(username="newsletter", password=accounts["newsletter"])
    assert client.get(reverse("admin:newsletter_edition_changelist")).status_code == 200
    index = client.get(reverse("admin:index")).content.decode()
    assert "Newsletter drafts" in index and "Sending progress" in index
    assert "My drafts" not in index
    # The others can log in too, and see their own dashboards.
    client.logout()
    assert client.login(username="reviewer", password=accounts["reviewer"])
    index = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for your review" in index and "Myoclonus" in index


def test_demo_without_accounts_emails_reviewers_who_exist(
    load_demo, mailoutbox, django_capture_on_commit_callbacks
):
    # The system submits the demo for review when there are no demo
    # accounts; reviewers who do exist are told, and the email says who.
    User.objects.create_superuser("admin", "admin@example.org", "pw")
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(debug=False)
    submitted = [m for m in mailoutbox if m.subject.startswith("Review requested")]
    # The article, then its Spanish translation (its review is its own).
    assert len(submitted) == 2
    assert submitted[0].body.startswith("An editor submitted “Myoclonus” for medical review.")
    assert submitted[1].body.startswith("An editor submitted “Mioclonía” for medical review.")


def test_demo_has_a_glossary_and_loading_again_adds_nothing(load_demo):
    from conditions.models import GlossaryTerm

    output = load_demo(debug=True)
    assert "Glossary terms added: 5" in output
    assert GlossaryTerm.objects.get(term="myoclonus").plain == "muscle twitching"
    assert "Glossary terms added: 0" in load_demo(debug=True)


def test_demo_spanish_translation_reads_as_a_real_history(load_demo):
    load_demo(debug=True)
    english = Condition.objects.editable().get(slug="myoclonus")
    spanish = Condition.objects.editable("es").get(slug="mioclonia")
    assert (spanish.title, spanish.translation_of, spanish.language) == ("Mioclonía", english, "es")
    assert spanish.translated_from == english.live_revision
    assert history(spanish) == [
        (None, "Imported from the seed's Spanish translation (myoclonus.es.txt)", "", "draft"),
        (
            "editor",
            "Removed the sentences that introduced lists of links lost when the seed was "
            "scraped: “Las causas posibles incluyen:”, “Esto se puede hacer con:”",
            "draft",
            "draft",
        ),
        ("editor", "Described the illustration in Spanish: alt text and credit", "draft", "draft"),
        (
            "editor",
            "Ready for review: lead-ins of the lost lists removed, illustration in place.",
            "draft",
            "in_review",
        ),
        ("reviewer", "Published", "in_review", "published"),
    ]
    published = spanish.revisions.order_by("created_at", "pk").last()
    assert published.approved_by.username == "reviewer"
    # Its own sign-off, as the English article has one.
    assert (spanish.reviewer_name, spanish.reviewer_credentials) == (
        english.reviewer_name,
        english.reviewer_credentials,
    )
    assert spanish.last_reviewed is not None and spanish.source_updated_at is None
    assert published.update_note.startswith("Primera versión en español")
    live = Condition.objects.live("es").get()
    assert live.sections.get(kind="diagnosis").body.startswith("El médico le preguntará")
    for section in live.sections.all():
        assert content_gaps(section.body) == [], section.kind
    # The same drugs as the English article, with their Spanish names.
    assert [g.heading for g in live.drug_groups.order_by("order")] == [
        "Sedantes",
        "Anticonvulsivos",
        "",
    ]
    english_drugs = {d.pk for g in english.live_copy.drug_groups.all() for d in g.drugs.all()}
    assert {d.pk for g in live.drug_groups.all() for d in g.drugs.all()} == english_drugs
    figure = live.figures.get()
    assert figure.image.name == english.live_copy.figures.get().image.name
    assert figure.alt_text == demo_figure.ALT_TEXT_ES and figure.credit == demo_figure.CREDIT_ES


@pytest.mark.parametrize("debug", [True, False])
def test_demo_spanish_translation_passes_every_content_check_and_loads_once(load_demo, debug):
    output = load_demo(debug=debug)
    assert "Created: /es/conditions/mioclonia/ (the Spanish translation)" in output
    spanish = Condition.objects.editable("es").get()
    assert spanish.status == "published" and spanish.check_problems == []
    found = checks.problems(spanish.live_revision.snapshot, language="es")
    assert {p.code for p in found} <= {"reading_level"}
    revisions = spanish.revisions.count()
    again = load_demo(debug=debug)
    assert "Already present: /es/conditions/mioclonia/ (the Spanish translation)" in again
    assert Condition.objects.editable("es").get().revisions.count() == revisions
    assert Condition.objects.editable(None).count() == 2


def test_demo_spanish_page_and_drug_names(load_demo, client):
    from conditions.models import Drug
    from conditions.pages.translations import display_name

    load_demo(debug=True)
    html = client.get("/es/conditions/mioclonia/").content.decode()
    assert '<h1 id="article-title">Mioclonía</h1>' in html
    assert "La mioclonía es una sacudida breve y rápida" in html
    assert "Demo Medical Reviewer, MD" in html
    assert ">Tetrabenazina</a>" in html and ">Sedantes<" in html
    # The shared drugs carry the translation's names for Spanish pages.
    tetrabenazine = Drug.objects.get(name="Tetrabenazine")
    assert display_name(tetrabenazine, "es") == "Tetrabenazina"
    assert display_name(Drug.objects.get(name="Lorazepam"), "es") == "Lorazepam"


def _visible_text(html):
    """What a reader of ``html`` reads: the text of the page's body, without
    its scripts, tags or attributes."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<script\b.*?</script>", " ", body, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_demo_spanish_page_names_every_shared_record_in_spanish(load_demo, client):
    """Drugs, organizations and topics are shared with the English article:
    the Spanish page shows each one's Spanish name wherever it has one, in
    the text, the metadata and the JSON-LD."""
    from conditions.models import Organization, TopicName

    load_demo(debug=True)
    live = Condition.objects.live("es").get(slug="mioclonia")
    html = client.get("/es/conditions/mioclonia/").content.decode()
    text = _visible_text(html)
    head = html.split("<body", 1)[0]
    drugs = Drug.objects.filter(group_items__group__condition=live).distinct()
    organizations = Organization.objects.filter(links__condition=live)
    records = [(d.name, d.names.get("es")) for d in drugs]
    records += [(o.name, o.names.get("es")) for o in organizations]
    topic_names = dict(TopicName.objects.filter(language="es").values_list("tag_id", "name"))
    records += [(t.name, topic_names.get(t.pk)) for t in live.tags.all()]
    named = [(english, spanish) for english, spanish in records if spanish]
    # The demo's: its topics, the drugs the Spanish text names differently.
    assert {
        ("Movement disorders", "Trastornos del movimiento"),
        ("Nervous system", "Sistema nervioso"),
        ("5-hydroxytryptophan (5-HTP)", "5-hidroxitriptófano (5-HTP)"),
        ("Adrenocorticotropic hormone (ACTH)", "Hormona adrenocorticotrópica (ACTH)"),
        ("Tetrabenazine", "Tetrabenazina"),
    } <= set(named)
    for english, spanish in named:
        assert spanish in text, spanish
        # As a name of its own ("Gabapentin" is in "Gabapentina").
        alone = re.compile(rf"(?<!\w){re.escape(english)}(?!\w)")
        assert not alone.search(text), english
        assert not alone.search(head), english  # article:tag, the JSON-LD
    # The records without a Spanish name are shown as they are named.
    for english, spanish in records:
        if not spanish:
            assert english in text, english


def test_demo_drugs_have_their_rxnorm_codes_approved_by_the_reviewer(load_demo, client):
    from conditions.demo import RXNORM_CODES
    from conditions.models import PendingChange

    load_demo(debug=True)
    codes = dict(Drug.objects.exclude(rxnorm_code="").values_list("name", "rxnorm_code"))
    assert codes == RXNORM_CODES
    assert not PendingChange.objects.exists()
    html = client.get("/drugs/clonazepam/").content.decode()
    assert "mainSearchCriteria.v.c=2598" in html and "Official labels for Clonazepam" in html
    # A drug whose code is not known links nowhere; nothing is written for it.
    html = client.get("/drugs/piracetam/").content.decode()
    assert "MedlinePlus" not in html and "DailyMed" not in html
    assert "used for" not in html


@pytest.mark.django_db
def test_load_demo_builds_myoclonus_through_the_importer(load_demo):
    load_demo()
    load_demo()  # idempotent
    working = Condition.objects.editable().get(slug="myoclonus")
    assert Condition.objects.filter(slug="myoclonus").count() == 2  # working + live copy
    live = working.live_copy
    assert [s.kind for s in live.sections.all()] == [
        "definition",
        "causes",
        "risk_factors",
        "symptoms",
        "diagnosis",
        "treatment",
        "prevention",
    ]
    group_list = [(g.heading, g.items.count()) for g in live.drug_groups.all()]
    assert group_list == [("Sedatives", 5), ("Anticonvulsants", 6), ("", 2)]
    assert Drug.objects.filter(name="Clonazepam").count() == 1
    assert DrugGroup.objects.filter(condition=live, items__drug__name="Clonazepam").count() == 2
    orgs = [
        (link.organization.region, link.organization.url) for link in live.organization_links.all()
    ]
    assert orgs == [
        ("US", "https://www.ninds.nih.gov/"),
        ("CA", "https://cann.ca/"),
        ("CA", "https://www.canada.ca/en/health-canada.html"),
    ]
    assert live.references.count() == 2
    figure = live.figures.get()
    assert figure.placement == "causes" and figure.renditions
    assert figure.alt_text.startswith("A simple drawing made for the healthlib demo")
    assert [(c.system, c.code) for c in live.codes.all()] == [("icd10cm", "G25.3")]
    assert sorted(t.name for t in live.tags.all()) == ["Movement disorders", "Nervous system"]
    assert (live.reviewer_name, live.reviewer_credentials) == ("Demo Medical Reviewer", "MD")
    assert live.update_notes[0]["note"].startswith("Removed sentences that introduced lists")
    assert working.revisions.last().comment == "Imported from the seed (myoclonus.txt)"
