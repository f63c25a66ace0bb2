from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from healthlib.lib.roles import EDITORS, NEWSLETTER_EDITORS, REVIEWERS

_CONTENT_MODELS = [
    "condition", "section", "druggroup", "druggroupitem", "reference",
    "articleorganization", "figure", "medicalcode", "drug", "organization", "glossaryterm",
    # Topics' names in other languages (on the topic's page in the admin).
    "topicname",
]  # fmt: skip
_EDITORS = [
    *(
        f"conditions.{action}_{model}"
        for model in _CONTENT_MODELS
        for action in ("add", "change", "view")
    ),
    *(f"conditions.delete_{model}" for model in _CONTENT_MODELS if model != "condition"),
    "conditions.view_revision",
    "conditions.view_pendingchange",
    # Readers' feedback: read it, mark it handled.
    "conditions.view_feedback",
    "conditions.change_feedback",
    # Topics are taggit's tags, shown in the admin as conditions.Topic.
    *(f"conditions.{action}_topic" for action in ("add", "change", "view")),
    *(f"taggit.{action}_taggeditem" for action in ("add", "change", "delete", "view")),
]


class ConditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conditions"
    # What the admin calls this app: the library of articles and the shared
    # records (drugs, organizations, topics, glossary) they use.
    verbose_name = _("Library")
    role_permissions = {
        EDITORS: _EDITORS,
        REVIEWERS: [
            *_EDITORS,
            "conditions.publish_condition",
            "conditions.review_condition",
            "conditions.delete_condition",
            # Specialists' decisions and their links' audit log (read-only).
            "conditions.view_signoff",
            "conditions.view_signoffaccess",
        ],
        # To link research summaries to articles.
        NEWSLETTER_EDITORS: ["conditions.view_condition"],
    }
    # The worker-side schedule (healthlib.schedule): name, task, seconds.
    schedule = [
        ("publish-scheduled", "conditions.tasks.publish_scheduled_task", 60),
        ("check-links", "conditions.tasks.check_links_task", 7 * 24 * 3600),
    ]

    def ready(self):

        from conditions.publishing import (
            edge,
            events,
            handouts,
            invalidation,
            records,
            rendering,
        )
        from conditions.review import content_checks
        from conditions.search import indexing
        from conditions.search.library import register_sources

        # The stores derived from what readers see follow the one
        # live-change event; none reads what another writes.
        events.connect(rendering.on_live_change, "conditions.publishing.rendering")
        events.connect(invalidation.on_live_change, "conditions.publishing.invalidation")
        events.connect(indexing.on_live_change, "conditions.search")
        events.connect(content_checks.on_live_change, "conditions.content_checks")
        events.connect(edge.on_live_change, "conditions.publishing.edge")
        events.connect(handouts.on_live_change, "conditions.publishing.handouts")
        # Saved shared records send it.
        records.connect()
        # Partners: the change feed's log (and webhooks, from it).
        from conditions.partners import feed

        feed.connect()
        register_sources()
