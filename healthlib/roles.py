"""The editorial roles, as Django groups that exist after ``migrate``.

Editors write and submit for review; medical reviewers also publish,
archive and record reviews; newsletter editors run the newsletter.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
REVIEWERS = "Medical reviewers"
NEWSLETTER_EDITORS = "Newsletter editors"

_CONTENT_MODELS = [
    "condition", "section", "druggroup", "druggroupitem", "reference",
    "articleorganization", "figure", "medicalcode", "drug", "organization", "glossaryterm",
]  # fmt: skip


def _codenames_for_editors():
    names = [
        f"{action}_{model}" for model in _CONTENT_MODELS for action in ("add", "change", "view")
    ]
    names += [f"delete_{m}" for m in _CONTENT_MODELS if m != "condition"]
    names += [
        "view_revision",
        "view_pendingchange",
        "add_tag",
        "change_tag",
        "view_tag",
        "add_taggeditem",
        "change_taggeditem",
        "delete_taggeditem",
        "view_taggeditem",
    ]
    return names


def ensure_groups(**kwargs):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in ("conditions", "newsletter", "taggit"):
        try:
            create_permissions(apps.get_app_config(label), verbosity=0)
        except LookupError:
            continue

    editor_perms = list(
        Permission.objects.filter(
            content_type__app_label__in=["conditions", "taggit"],
            codename__in=_codenames_for_editors(),
        )
    )
    reviewer_perms = editor_perms + list(
        Permission.objects.filter(
            content_type__app_label="conditions",
            codename__in=["publish_condition", "review_condition", "delete_condition"],
        )
    )
    newsletter_perms = list(Permission.objects.filter(content_type__app_label="newsletter")) + list(
        Permission.objects.filter(
            content_type__app_label="conditions", codename__in=["view_condition"]
        )
    )
    for name, perms in (
        (EDITORS, editor_perms),
        (REVIEWERS, reviewer_perms),
        (NEWSLETTER_EDITORS, newsletter_perms),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)
