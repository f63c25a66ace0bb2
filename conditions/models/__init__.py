"""The health library's content model, one module per area:

* ``articles``: the article (``Condition``), its working and live copies,
  and the permissions to publish and review it;
* ``article_parts``: what an article is made of: sections, drug groups,
  references, organizations, figures, medical codes;
* ``records``: shared records many articles use: drugs, organizations,
  topics' names, glossary terms, reviewers' bylines;
* ``history``: revisions, changes to shared records waiting for approval,
  old addresses (slug redirects);
* ``search_index``: the search index's table;
* ``feedback``: readers' "Was this page helpful?" answers;
* ``linkchecks``: the link checker's results;
* ``signoffs``: outside specialists' sign-offs by link, and their audit log.
* ``partners``: partners' API keys and usage, the change feed's log,
  webhooks and their deliveries.

Beside them, two modules of plain functions the models use, which import no
model: ``codes`` (medical code systems) and ``images`` (figure images).

Every model is imported here, so ``from conditions.models import X`` works
whichever module defines it.
"""

from conditions.models.article_parts import (
    ArticleOrganization,
    DrugGroup,
    DrugGroupItem,
    Figure,
    MedicalCode,
    Reference,
    Section,
    figure_upload_to,
)
from conditions.models.articles import (
    PUBLISH_PERMISSION,
    REVIEW_PERMISSION,
    Condition,
    review_due_within_q,
    review_overdue_q,
)
from conditions.models.feedback import Feedback
from conditions.models.history import CHANGES_REQUESTED, PendingChange, Revision, SlugRedirect
from conditions.models.linkchecks import LinkCheck
from conditions.models.partners import (
    ApiKey,
    ChangeEntry,
    ChangeFeedLock,
    Partner,
    PartnerUsage,
    WebhookDelivery,
    WebhookEndpoint,
)
from conditions.models.records import (
    Byline,
    Drug,
    GlossaryTerm,
    Organization,
    Topic,
    TopicName,
    validate_names,
)
from conditions.models.search_index import SearchDocument
from conditions.models.signoffs import Signoff, SignoffAccess, SignoffInvitation

__all__ = [
    # articles
    "Condition",
    "PUBLISH_PERMISSION",
    "REVIEW_PERMISSION",
    "review_due_within_q",
    "review_overdue_q",
    # article_parts
    "ArticleOrganization",
    "DrugGroup",
    "DrugGroupItem",
    "Figure",
    "MedicalCode",
    "Reference",
    "Section",
    # records
    "Byline",
    "Drug",
    "GlossaryTerm",
    "Organization",
    "Topic",
    "TopicName",
    # history
    "CHANGES_REQUESTED",
    "PendingChange",
    "Revision",
    "SlugRedirect",
    # signoffs
    "Signoff",
    "SignoffAccess",
    "SignoffInvitation",
    # search_index, feedback, linkchecks
    "SearchDocument",
    "Feedback",
    "LinkCheck",
    # partners
    "ApiKey",
    "ChangeEntry",
    "ChangeFeedLock",
    "Partner",
    "PartnerUsage",
    "WebhookDelivery",
    "WebhookEndpoint",
    # Named by migrations 0001 and 0016 as conditions.models.<name>.
    "figure_upload_to",
    "validate_names",
]
