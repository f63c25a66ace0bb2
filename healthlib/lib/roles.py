"""The editorial roles, as Django groups that exist after ``migrate``.

Editors write and submit for review; medical reviewers also publish,
archive and record reviews; newsletter editors run the newsletter.

Each app says which of its permissions each role gets, in its AppConfig's
``role_permissions`` ({group name: ["app_label.codename", …]}); this module
only creates the groups and gives them what the apps asked for.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
REVIEWERS = "Medical reviewers"
NEWSLETTER_EDITORS = "Newsletter editors"


def requested():
    """{group name: {(app_label, codename)}} from every app that asks."""
    wanted = {}
    for config in apps.get_app_configs():
        for group, perms in getattr(config, "role_permissions", {}).items():
            wanted.setdefault(group, set()).update(tuple(p.split(".", 1)) for p in perms)
    return wanted


def _last_app_with_models():
    return [c for c in apps.get_app_configs() if c.models_module is not None][-1]


def ensure_groups(app_config=None, **kwargs):
    """Create the groups with their permissions. Connected to post_migrate,
    which is sent once per app: acts once, after the last one."""
    if app_config is not None and app_config is not _last_app_with_models():
        return
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = requested()
    labels = {label for perms in wanted.values() for label, _ in perms}
    for label in labels:
        create_permissions(apps.get_app_config(label), verbosity=0)
    for name, perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = [
            p
            for p in Permission.objects.filter(
                content_type__app_label__in={label for label, _ in perms},
                codename__in={codename for _, codename in perms},
            ).select_related("content_type")
            if (p.content_type.app_label, p.codename) in perms
        ]
        group.permissions.add(*found)
