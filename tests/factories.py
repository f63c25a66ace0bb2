"""Small builders for test data, going through the same services as editors."""

import datetime
import itertools
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.text import slugify
from PIL import Image

from conditions import services
from conditions.models import (
    Drug,
    Figure,
    Organization,
    Partner,
    PartnerUsage,
    Revision,
    WebhookDelivery,
    WebhookEndpoint,
)
from conditions.partners import keys, webhooks

_counter = itertools.count(1)

LOREM = (
    "Muscle twitching can start in childhood or later in life. Your doctor will ask about "
    "your symptoms and may order tests to find the cause. Treatment depends on what is "
    "found and on how much the symptoms affect daily life."
)

# The body of a "When to get urgent help" section.
URGENT = "Call if the jerks come with a seizure or trouble breathing."

# An article with one section and nothing else: for tests about the
# workflow or the lists, where the content does not matter.
SMALL = {"sections": 1, "groups": 0, "references": 0, "organizations": 0, "tags": ()}


def png_bytes(width=800, height=600, color="#336699"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name="figure.png", **kwargs):
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def drug(name):
    """The shared drug ``name``: the one of that name, else the one at its
    address (a drug renamed since keeps its address), else a new one."""
    slug = slugify(name)
    obj = (
        Drug.objects.filter(name=name).first()
        or Drug.objects.filter(slug=slug).first()
        or Drug.objects.create(name=name, slug=slug)
    )
    return {"id": obj.pk, "name": obj.name, "slug": obj.slug}


def organization(name, region="US", url="https://example.org/"):
    obj, _ = Organization.objects.get_or_create(name=name, defaults={"region": region, "url": url})
    return {"id": obj.pk, "name": obj.name, "region": obj.region}


def article_data(
    title=None,
    *,
    sections=3,
    groups=1,
    drugs_per_group=3,
    references=2,
    organizations=1,
    tags=("Nervous system",),
    codes=(),
    alternate_names="",
    summary=None,
):
    n = next(_counter)
    title = title or f"Condition {n}"
    kinds = ["definition", "causes", "symptoms", "diagnosis", "treatment", "prevention"]
    return {
        "title": title,
        "slug": slugify(title),
        "alternate_names": alternate_names,
        "summary": summary if summary is not None else f"About {title}.",
        "audience": "patient",
        "tags": list(tags),
        "codes": [{"system": s, "code": c} for s, c in codes],
        "sections": [
            {
                "kind": kinds[i % len(kinds)],
                "heading": f"Part {i + 1}" if i >= len(kinds) else "",
                "body": f"{LOREM}\n\n- First point {i}\n- Second point {i}\n",
                "order": i,
            }
            for i in range(sections)
        ],
        "drug_groups": [
            {
                "heading": f"Group {g + 1}",
                "order": g,
                "drugs": [drug(f"Drug {g}-{d}") for d in range(drugs_per_group)],
            }
            for g in range(groups)
        ],
        "references": [
            {
                "order": r,
                "authors": "Doe J, Roe R",
                "title": f"A study number {r}",
                "journal": "Journal of Tests",
                "year": 2020,
                "volume": str(r + 1),
                "pages": "1-10",
            }
            for r in range(references)
        ],
        "organizations": [organization(f"Organization {o}") for o in range(organizations)],
    }


def article(title=None, *, publish=True, figures=0, user=None, **kwargs):
    condition = services.create_article(data=article_data(title, **kwargs), user=user)
    for f in range(figures):
        Figure(
            condition=condition,
            image=upload(f"fig{f}.png", width=700, height=400),
            alt_text=f"Figure {f}",
            caption=f"Caption {f}",
            credit="Copyright © Test",
            order=f,
        ).save()
    if figures:
        services.record_revision(condition=condition, comment="Figures")
    if publish:
        services.publish(condition=condition, update_note="First version")
        condition.refresh_from_db()
    return condition


def add_revisions(article, count, comment, start, step):
    """``count`` revisions of the article as it is, "<comment> 0"… at
    ``start``, ``start + step``…, made directly. Returns their snapshot."""
    snapshot = services.snapshots.take(article)
    Revision.objects.bulk_create(
        Revision(
            condition=article,
            snapshot=snapshot,
            comment=f"{comment} {i}",
            created_at=start + step * i,
        )
        for i in range(count)
    )
    return snapshot


HARD = (
    "Pharmacological interventions, particularly anticonvulsant medications, demonstrate "
    "considerable variability in therapeutic effectiveness among individuals experiencing "
    "myoclonic manifestations of neurological pathology."
)


def partner(name="Clinic portal"):
    """A partner with an API key, a day of requests, a webhook (to a public
    address written as an IP, so no DNS is needed) and one delivery."""
    obj = Partner.objects.create(name=name, contact_email="web@clinic.example")
    keys.create_key(partner=obj, label="website")
    PartnerUsage.objects.create(partner=obj, day=datetime.date.today(), requests=12)
    endpoint = WebhookEndpoint.objects.create(
        partner=obj,
        url="https://93.184.215.14/hooks",
        kinds=["condition"],
        secret=webhooks.new_secret(),
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id="msg_example",
        event_type="condition.updated",
        payload='{"type": "condition.updated"}',
        status=WebhookDelivery.DELIVERED,
        attempts=1,
        last_status_code=204,
    )
    return obj
