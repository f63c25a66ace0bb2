"""Content to export: a library in every state the export must carry, and
an article with its translation."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from taggit.models import Tag

from conditions import services
from conditions.models import Condition, Drug, Organization, TopicName
from conditions.publishing import snapshots
from newsletter.models import Delivery, Edition, Newsletter, ResearchSummary, Subscriber
from tests import factories
from tests.portability import empty_the_database, export


def edit(condition, user=None, comment="Edited", **changes):
    data = snapshots.take(condition)
    data.update(changes)
    return services.update_article(condition=condition, data=data, user=user, comment=comment)


@pytest.fixture
def library(load_demo):
    """Content in every state the export must carry."""
    load_demo()  # Myoclonus and the newsletter
    editor = User.objects.create_user("editor", first_name="Edna", last_name="Editor")
    gout = factories.article(
        "Gout", figures=2, codes=[("icd10cm", "M10.9")], tags=("Joints", "Nervous system")
    )
    draft = factories.article("Draft only", publish=False, user=editor)
    # Published, then edited: the live copy and the working copy differ.
    edit(
        gout,
        user=editor,
        summary="A changed summary.",
        related=[{"id": draft.pk, "slug": draft.slug}],
    )
    services.record_review(condition=gout, note="Checked, still current")
    # Archived, sending readers to Gout.
    old = factories.article("Old name")
    services.archive(condition=old, replaced_by=gout)
    # Approved to go live tomorrow.
    later = factories.article("Scheduled", publish=False)
    services.publish(condition=later, go_live_at=timezone.now() + datetime.timedelta(days=1))
    # A drug renamed, and one deleted, after revisions named them.
    renamed = Drug.objects.get(name="Drug 0-0")
    renamed.name = "Renamed drug"
    renamed.save()
    groups = snapshots.take(draft)["drug_groups"]
    groups[0]["drugs"].append(factories.drug("Withdrawn drug"))
    edit(draft, drug_groups=groups, comment="Added a drug")
    groups[0]["drugs"].pop()
    edit(draft, drug_groups=groups, comment="Dropped it again")
    Drug.objects.filter(name="Withdrawn drug").delete()
    Organization.objects.create(name="Unused organization", region="INT")
    Tag.objects.create(name="Unused topic", slug="unused-topic")
    # The newsletter: a summary about Gout with topics, and subscriber data.
    edition = Edition.objects.order_by("slug").first()
    summary = ResearchSummary.objects.create(
        edition=edition,
        order=5,
        headline="Cherries and gout",
        body="A *small* study.",
        doi="10.1/x",
    )
    summary.related_articles.add(gout)
    summary.tags.add("Joints", "Diet")
    newsletter = Newsletter.objects.get()
    subscriber = Subscriber.objects.create(
        newsletter=newsletter,
        email="reader@example.org",
        status="confirmed",
        consent_text="Yes, send me the newsletter",
        consent_at=timezone.now(),
    )
    Delivery.objects.create(edition=edition, subscriber=subscriber, status="sent")
    # Spanish (issue 19): the demo's translation (Mioclonía), signed off, and
    # the English article published again, so the translation is behind it;
    # a translation not published yet; names of shared records in Spanish.
    myoclonus = Condition.objects.editable().get(slug="myoclonus")
    assert Condition.objects.live("es").filter(translation_of=myoclonus).exists()
    edit(myoclonus, summary="Rewritten after the translation.")
    services.publish(condition=myoclonus, update_note="Summary rewritten")
    translate(draft, title="Solo borrador", slug="solo-borrador", publish=False)
    Drug.objects.filter(name="Renamed drug").update(names={"es": "Fármaco renombrado"})
    Organization.objects.filter(name="Unused organization").update(names={"es": "Organización"})
    TopicName.objects.create(
        tag=Tag.objects.get(name="Joints"), language="es", name="Articulaciones"
    )
    return {"gout": gout, "draft": draft}


def translate(source, *, title, slug, user=None, publish=True):
    translation = services.create_translation(source=source, language="es", user=user)
    translation = edit(translation, user=user, title=title, slug=slug, summary="En español.")
    if publish:
        services.publish(
            condition=translation, reviewer_name="Dra. Ana Ruiz", update_note="Primera versión"
        )
    return translation


@pytest.fixture
def bilingual(tmp_path):
    """A small export with an English article and its Spanish translation,
    and an empty database to import it into."""
    gout = factories.article("Gout", tags=("Joints",))
    translate(gout, title="Gota", slug="gota")
    factories.article("Asthma")
    export(tmp_path / "out.json")
    empty_the_database()
    return json.loads((tmp_path / "out.json").read_text())
