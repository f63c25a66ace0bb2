"""Builds the demo library through the same services editors use."""

from django.utils.text import slugify

from . import services
from .demo import MYOCLONUS
from .images import placeholder_image
from .models import Condition, Drug, Figure, Organization


def _drug(entry):
    drug, _ = Drug.objects.get_or_create(
        name=entry["name"], defaults={"slug": entry.get("slug") or slugify(entry["name"])}
    )
    return {"id": drug.pk, "name": drug.name, "slug": drug.slug}


def _organization(entry):
    org, _ = Organization.objects.get_or_create(
        name=entry["name"], defaults={"region": entry["region"], "url": entry.get("url", "")}
    )
    return {"id": org.pk, "name": org.name, "region": org.region}


def load_myoclonus():
    """(condition, created). Leaves an existing article alone."""
    data = MYOCLONUS
    existing = Condition.objects.editable().filter(slug=data["slug"]).first()
    if existing is not None:
        return existing, False
    article = {key: value for key, value in data.items() if key not in ("figures", "review")}
    article["drug_groups"] = [
        {**group, "drugs": [_drug(d) for d in group["drugs"]]} for group in data["drug_groups"]
    ]
    article["organizations"] = [_organization(o) for o in data["organizations"]]
    article["references"] = [
        {"order": r["order"], **{k: v for k, v in r.items() if k != "order"}}
        for r in data["references"]
    ]
    condition = services.create_article(data=article, comment="Demo content")
    for n, fig in enumerate(data["figures"]):
        Figure(
            condition=condition,
            image=placeholder_image(fig["caption"]),
            order=n,
            **{k: fig[k] for k in ("caption", "alt_text", "credit", "placement")},
        ).save()
    services.record_revision(condition=condition, comment="Added the figure placeholder")
    review = data["review"]
    services.publish(
        condition=condition,
        update_note=review["update_note"],
        reviewer_name=review["reviewer_name"],
        reviewer_credentials=review["reviewer_credentials"],
    )
    return condition, True


def load_extras():
    """Other apps' demo content (the newsletter adds its editions here)."""
    from newsletter import demo as newsletter_demo

    return [*newsletter_demo.load()]
