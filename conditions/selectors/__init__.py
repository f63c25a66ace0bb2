"""Reads that need care: what the readers' pages and the admin show, in a
fixed, small number of queries whatever the article's size.

By concern:

* ``pages``: the readers' pages (an article with its parts, the A–Z index,
  drugs, topics, recent articles, reading levels);
* ``alphabet``: names filed by letter in each language's alphabet;
* ``codes``: published articles and drugs by their medical codes, as the
  code look-up finds them (the CDS Hooks services);
* ``dashboard``: the admin's dashboard, reviews due, broken links;
* ``workflow``: who reviews, whose article a reviewer answers, requested changes;
* ``editing``: what the article form offers (links, glossary, languages);
* ``feedback``: readers' feedback, for editors.

The names below are the package's interface: ``selectors.article_page(...)``.
"""

from conditions.selectors.alphabet import (
    LETTERS,
    OWN_LETTERS,
    base_language,
    letter_of,
    letters,
    strxfrm_key,
)
from conditions.selectors.codes import (
    articles_for_code,
    articles_listing,
    drugs_by_rxnorm,
    in_language,
    match_codes,
)
from conditions.selectors.dashboard import (
    DASHBOARD_ROWS,
    ArticleDashboard,
    BrokenLinks,
    article_dashboard,
    broken_links,
    hardest_articles,
    review_due,
)
from conditions.selectors.editing import (
    LINK_CHOICES,
    glossary,
    link_choices,
    source_changes_url,
    translation_panel,
)
from conditions.selectors.feedback import FEEDBACK_ROWS, article_feedback, feedback_dashboard
from conditions.selectors.pages import (
    ArticlePage,
    DrugGroupView,
    IndexEntry,
    article_page,
    az_entries,
    az_index,
    drug_classes,
    embed_page,
    live_articles_listing,
    live_articles_tagged,
    live_drugs,
    live_topics,
    reading_levels,
    recent_articles,
    with_topic_names,
)
from conditions.selectors.workflow import (
    author_of,
    changes_requested,
    reviewers,
    reviewers_can_be_emailed,
)

__all__ = [
    # The alphabet
    "LETTERS",
    "OWN_LETTERS",
    "base_language",
    "letter_of",
    "letters",
    "strxfrm_key",
    # Readers' pages
    "ArticlePage",
    "DrugGroupView",
    "IndexEntry",
    "article_page",
    "az_entries",
    "az_index",
    "drug_classes",
    "embed_page",
    "live_articles_listing",
    "live_articles_tagged",
    "live_drugs",
    "live_topics",
    "reading_levels",
    "recent_articles",
    "with_topic_names",
    # Medical codes
    "articles_for_code",
    "articles_listing",
    "drugs_by_rxnorm",
    "in_language",
    "match_codes",
    # The admin's dashboard
    "DASHBOARD_ROWS",
    "ArticleDashboard",
    "BrokenLinks",
    "article_dashboard",
    "broken_links",
    "hardest_articles",
    "review_due",
    # The review workflow
    "author_of",
    "changes_requested",
    "reviewers",
    "reviewers_can_be_emailed",
    # The article form
    "LINK_CHOICES",
    "glossary",
    "link_choices",
    "source_changes_url",
    "translation_panel",
    # Readers' feedback
    "FEEDBACK_ROWS",
    "article_feedback",
    "feedback_dashboard",
]
