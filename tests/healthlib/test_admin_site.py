"""The dashboard on /admin/: each role sees its own work, every row links to
where the work is done, and the page keeps a fixed query budget however
large the library grows."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from conditions import selectors, services
from conditions.models import Condition
from newsletter.models import Delivery, Edition, Newsletter, ResearchSummary, Subscriber
from tests import factories
from tests.factories import SMALL

pytestmark = pytest.mark.django_db

GAP = "Myoclonus is often a symptom of another condition. Possible causes include:"


@pytest.fixture
def people(editor, reviewer, newsletter_editor):
    return {"editor": editor, "reviewer": reviewer, "newsletter": newsletter_editor}


def _set_review_due(condition, due):
    Condition.objects.filter(pk=condition.pk).update(next_review_due=due)


def build_library(people, *, published=0, per_state=3):
    """``per_state`` articles in each state the dashboard lists, plus
    ``published`` plain published ones with reviews far off."""
    editor, reviewer = people["editor"], people["reviewer"]
    today = timezone.localdate()
    made = {}
    made["drafts"] = [
        factories.article(f"Draft {i}", publish=False, user=editor, **SMALL)
        for i in range(per_state)
    ]
    made["in_review"] = []
    for i in range(per_state):
        article = factories.article(f"Waiting {i}", publish=False, user=editor, **SMALL)
        services.submit_for_review(condition=article, user=editor, comment=f"Please check {i}")
        made["in_review"].append(article)
    made["changes_requested"] = []
    for i in range(per_state):
        article = factories.article(f"Sent back {i}", publish=False, user=editor, **SMALL)
        services.submit_for_review(condition=article, user=editor)
        services.request_changes(condition=article, user=reviewer, comment=f"Fix {i}")
        made["changes_requested"].append(article)
    made["scheduled"] = []
    for i in range(per_state):
        article = factories.article(f"Scheduled {i}", publish=False, **SMALL)
        services.publish(
            condition=article,
            user=reviewer,
            update_note="Scheduled",
            go_live_at=timezone.now() + datetime.timedelta(days=i + 1),
        )
        made["scheduled"].append(article)
    made["overdue"] = []
    made["due_soon"] = []
    for i in range(per_state):
        article = factories.article(f"Overdue {i}", **SMALL)
        _set_review_due(article, today - datetime.timedelta(days=i + 1))
        made["overdue"].append(article)
        article = factories.article(f"Due soon {i}", **SMALL)
        _set_review_due(article, today + datetime.timedelta(days=i + 1))
        made["due_soon"].append(article)
    made["failing"] = []
    for i in range(per_state):
        data = factories.article_data(f"Gap {i}", **SMALL)
        data["sections"][0]["body"] = GAP
        made["failing"].append(services.create_article(data=data))
    for i in range(published):
        factories.article(f"Published {i:03}", **SMALL)
    return made


def build_newsletter(drafts=3, sent=3, subscribers=5):
    newsletter = Newsletter.objects.create(name="Research")
    people = [
        Subscriber.objects.create(
            newsletter=newsletter,
            email=f"reader{i}@example.org",
            status=Subscriber.Status.CONFIRMED,
            consent_text="Yes",
            consent_at=timezone.now(),
        )
        for i in range(subscribers)
    ]
    for i in range(drafts):
        edition = Edition.objects.create(
            newsletter=newsletter, title=f"Draft edition {i}", slug=f"draft-edition-{i}"
        )
        ResearchSummary.objects.create(edition=edition, headline=f"Summary {i}")
    editions = []
    for i in range(sent):
        edition = Edition.objects.create(
            newsletter=newsletter,
            title=f"Sent edition {i}",
            slug=f"sent-edition-{i}",
            status=Edition.Status.SENT,
            sent_at=timezone.now() - datetime.timedelta(days=i),
        )
        editions.append(edition)
    # The newest: 2 sent, 1 failed, 1 interrupted, so 3 still to send
    # (the failed one, and the two never tried).
    statuses = [Delivery.Status.SENT, Delivery.Status.SENT, Delivery.Status.FAILED]
    statuses.append(Delivery.Status.SENDING)
    for person, status in zip(people, statuses, strict=False):
        Delivery.objects.create(edition=editions[0], subscriber=person, status=status)
    return editions


class Outline(HTMLParser):
    """Headings, table captions and header cells, and links, of a page."""

    def __init__(self):
        super().__init__()
        self.headings, self.links, self.scopes = [], [], []
        self._heading = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "th":
            self.scopes.append(attrs.get("scope"))

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading is not None and re.fullmatch(r"h[1-6]", tag):
            self.headings.append((self._heading[0], " ".join(self._heading[1].split())))
            self._heading = None


def outline(response):
    parser = Outline()
    parser.feed(response.content.decode())
    return parser


def panel(response, panel_id):
    html = response.content.decode()
    start = html.index(f'id="{panel_id}"')
    return html[start : html.index("</section>", start)]


def test_editor_sees_their_drafts_checks_and_reviews_due(client, people):
    made = build_library(people)
    other = factories.article("Someone else's draft", publish=False, **SMALL)
    client.force_login(people["editor"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = outline(response)
    titles = [text for level, text in page.headings if level == 2]
    assert titles[:7] == [
        "Changes requested (3)",
        "My drafts (3)",
        "Content checks to fix (3)",
        "Scheduled to go live (3)",
        "Overdue for review (3)",
        "Review due within 30 days (3)",
        "Recently published",
    ]
    assert titles[7].startswith("Hardest to read")
    sent_back = panel(response, "dashboard-changes-requested")
    for article in made["changes_requested"]:
        assert reverse("admin:conditions_condition_change", args=[article.pk]) in sent_back
    assert "Reviewer Smith" in sent_back and "Fix 0" in sent_back
    assert "Waiting for your review" not in response.content.decode()  # not a reviewer
    assert "Newsletter drafts" not in response.content.decode()
    drafts = panel(response, "dashboard-my-drafts")
    for article in made["drafts"]:
        assert reverse("admin:conditions_condition_change", args=[article.pk]) in drafts
    assert other.title not in drafts
    checks = panel(response, "dashboard-checks")
    assert "“Possible causes include:” is followed by no list" in checks
    overdue = panel(response, "dashboard-overdue")
    assert [a.title for a in made["overdue"]][::-1] == re.findall(r">(Overdue \d)<", overdue)
    assert "Record a review" not in overdue  # editors may not
    # The models are still listed, below.
    assert reverse("admin:conditions_condition_changelist") in page.links
    assert all(scope in ("col", "row") for scope in page.scopes)


def test_reviewer_sees_what_waits_for_review_with_links_to_compare_and_publish(client, people):
    made = build_library(people)
    client.force_login(people["reviewer"])
    response = client.get(reverse("admin:index"))
    headings = [text for level, text in outline(response).headings if level == 2]
    assert headings[0] == "Waiting for your review (3)"
    waiting = panel(response, "dashboard-in-review")
    for article in made["in_review"]:
        assert reverse("admin:conditions_condition_compare", args=[article.pk]) in waiting
        assert (
            reverse("admin:conditions_condition_workflow", args=[article.pk, "publish"]) in waiting
        )
    assert "Please check 0" in waiting and "Editor Smith" in waiting
    assert waiting.index("Waiting 0") < waiting.index("Waiting 2")  # longest waiting first
    scheduled = panel(response, "dashboard-scheduled")
    assert scheduled.index("Scheduled 0") < scheduled.index("Scheduled 2")
    assert "Reviewer Smith" in scheduled
    overdue = panel(response, "dashboard-overdue")
    assert reverse("admin:conditions_condition_workflow", args=[made["overdue"][0].pk, "review"])
    assert "Record a review" in overdue
    published = panel(response, "dashboard-published")
    assert 'href="/conditions/due-soon-2/"' in published


def test_empty_library_says_nothing_is_there(client, people):
    client.force_login(people["reviewer"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "Nothing here: no article is waiting for a review." in html
    assert "Nothing here: you have no drafts waiting." in html
    assert "Nothing here: every article passes its content checks." in html
    assert "<table" in html  # the models' list is still there


def test_newsletter_editor_sees_drafts_and_sending_progress(client, people):
    editions = build_newsletter()
    build_library(people, per_state=1)
    client.force_login(people["newsletter"])
    response = client.get(reverse("admin:index"))
    html = response.content.decode()
    headings = [text for level, text in outline(response).headings if level == 2]
    assert headings[:2] == ["Newsletter drafts (3)", "Sending progress"]
    assert "My drafts" not in html and "Waiting for your review" not in html
    drafts = panel(response, "dashboard-edition-drafts")
    assert reverse("admin:newsletter_edition_preview", args=[Edition.objects.get(
        slug="draft-edition-0").pk]) in drafts  # fmt: skip
    sending = panel(response, "dashboard-sending")
    first_row = sending[sending.index("Sent edition 0") :].split("</tr>")[0]
    numbers = re.findall(r'<td [^>]*class="dashboard-number"[^>]*>(\d+)</td>', first_row)
    assert numbers == ["2", "1", "1", "2"]  # sent, failed, interrupted, still to send
    assert reverse("admin:newsletter_edition_send", args=[editions[0].pk]) in first_row


def test_more_rows_than_shown_link_to_the_full_list(client, people):
    for i in range(selectors.DASHBOARD_ROWS + 2):
        factories.article(f"Draft {i:02}", publish=False, user=people["editor"], **SMALL)
    client.force_login(people["editor"])
    drafts = panel(client.get(reverse("admin:index")), "dashboard-my-drafts")
    assert f'My drafts <span class="dashboard-count">({selectors.DASHBOARD_ROWS + 2})' in drafts
    assert drafts.count("<tr ") == selectors.DASHBOARD_ROWS + 1  # and the header row
    assert f"Showing {selectors.DASHBOARD_ROWS} of {selectors.DASHBOARD_ROWS + 2}." in drafts
    assert "?status__exact=draft" in drafts


# The query budget: the same on a library of 200 articles as on a small one.
# Five are the admin's own (session, user, permissions twice, recent actions).
# +1 each for the broken-links panel (one count; three more when links are broken).
# Readers' feedback adds three (articles, comments, their count).
# +2 for article editors: the "Changes requested" list (its count is in the
# counts' query; no list query while it is empty), and whether any medical
# reviewer has an email address (the notice that nobody is emailed).
BUDGET = {"editor": 19, "reviewer": 21, "newsletter": 8}


def test_dashboard_query_budget_on_a_large_library(client, people, django_assert_max_num_queries):
    # One library of 200 articles for the three dashboards (it takes long to build).
    build_library(people, published=185, per_state=3)
    build_newsletter(drafts=12, sent=8, subscribers=20)
    assert Condition.objects.editable().count() >= 200
    for role, budget in BUDGET.items():
        client.force_login(people[role])
        client.get(reverse("admin:index"))  # warm the content types cache
        with django_assert_max_num_queries(budget, info=f"the {role}'s dashboard"):
            response = client.get(reverse("admin:index"))
        assert response.status_code == 200


@pytest.mark.parametrize("role", ["editor", "reviewer", "newsletter"])
def test_dashboard_queries_do_not_grow_with_the_library(client, people, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        client.get(reverse("admin:index"))  # content types and sessions are cached after this
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("admin:index"))
        return len(captured)

    client.force_login(people[role])
    build_library(people, per_state=1)
    build_newsletter(drafts=1, sent=1, subscribers=2)
    small = queries()
    for i in range(12):
        factories.article(f"More {i}", **SMALL)
        factories.article(f"More drafts {i}", publish=False, user=people["editor"], **SMALL)
    newsletter = Newsletter.objects.get()
    for i in range(12):
        Edition.objects.create(newsletter=newsletter, title=f"More {i}", slug=f"more-{i}")
    assert queries() == small


def test_reviewers_see_changes_to_shared_records_waiting_for_them(client, people):
    from conditions.models import Drug
    from conditions.review import shared_records

    drug = Drug.objects.create(name="Clonazepam", slug="clonazepam")
    shared_records.propose(record=drug, changes={"name": "Klonopin"}, user=people["editor"])
    client.force_login(people["reviewer"])
    html = client.get("/admin/").content.decode()
    panel = html.split('id="dashboard-shared-records"')[1].split("</section>")[0]
    assert "Clonazepam" in panel and "Review the change" in panel
    client.force_login(people["editor"])
    assert 'id="dashboard-shared-records"' not in client.get("/admin/").content.decode()


def test_admin_pages_link_the_favicon(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="/static/healthlib/favicon.svg" type="image/svg+xml">' in html
