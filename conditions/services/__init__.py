"""Domain operations on articles: every write the admin, the commands and
the tests make goes through these functions, each one transaction.

Workflow: draft → in review → published → archived. Readers only ever see
the live copy, which only ``publish`` (directly or through a schedule)
writes, from a saved revision.

By concern:

* ``articles``: create, edit, restore, delete; the revision every save stores;
* ``workflow``: who may do what, and the steps (submit, request changes,
  publish, unpublish, archive, record a review);
* ``schedule``: approved revisions going live at their time;
* ``translations``: starting a translation, keeping it current with its
  English article;
* ``feedback``: readers' "Was this page helpful?" answers;
* ``errors``: what these refuse, and why.

The names below are the package's interface: ``services.publish(...)``.
"""

from django.core.exceptions import PermissionDenied

from conditions.models import PUBLISH_PERMISSION, REVIEW_PERMISSION
from conditions.publishing import snapshots
from conditions.services.articles import (
    create_article,
    delete_article,
    newer_revision_than,
    purge_revisions,
    record_revision,
    restore_revision,
    status_after_edit,
    unchanged_since_latest_revision,
    update_article,
)
from conditions.services.errors import GateClosed, StaleRevision, WorkflowError
from conditions.services.feedback import mark_feedback_handled, record_feedback
from conditions.services.schedule import ScheduledRun, publish_scheduled
from conditions.services.translations import (
    create_translation,
    missing_translations,
    record_source_change_unaffecting,
)
from conditions.services.workflow import (
    allowed_actions,
    archive,
    publish,
    record_review,
    request_changes,
    save_byline,
    submit_for_review,
    unpublish,
)

__all__ = [
    # Errors
    "GateClosed",
    "StaleRevision",
    "WorkflowError",
    # Articles and their revisions
    "create_article",
    "delete_article",
    "newer_revision_than",
    "purge_revisions",
    "record_revision",
    "restore_revision",
    "status_after_edit",
    "unchanged_since_latest_revision",
    "update_article",
    # The workflow
    "allowed_actions",
    "archive",
    "publish",
    "record_review",
    "request_changes",
    "save_byline",
    "submit_for_review",
    "unpublish",
    "ScheduledRun",
    "publish_scheduled",
    # Translations
    "create_translation",
    "missing_translations",
    "record_source_change_unaffecting",
    # Readers' feedback
    "mark_feedback_handled",
    "record_feedback",
    # What callers of the services use beside them (the permissions the
    # workflow checks, the snapshot format, the refusal of a missing one).
    "PUBLISH_PERMISSION",
    "REVIEW_PERMISSION",
    "PermissionDenied",
    "snapshots",
]
