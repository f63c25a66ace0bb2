"""After every change readers can see, every store derived from the live
data equals what a fresh rebuild from the live data gives.

A Hypothesis state machine runs generated sequences of the changes editors
and reviewers make (publish, edit and publish, rename an address, relate,
unpublish, archive, translate, record a review, rename a drug, change an
organization, rename or delete a topic, name a topic in Spanish, send and
edit research summaries) and checks after each one:

* stored HTML: every live copy's stored page is current and equals a
  fresh render of it;
* search: the index equals a rebuild from scratch, the newest words of an
  article find it and the words it no longer has do not;
* page cache: every page a reader got (cached from before the change, or
  not), the articles' embeds included, equals the page rendered with the
  cache emptied.

Run twice: with the receivers of the live-change event in the order they
are connected, and reversed (none depends on another).
"""

import itertools
import re

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from taggit.models import Tag

from conditions import search, selectors, services
from conditions.models import Condition, Drug, Organization, SearchDocument, TopicName
from conditions.publishing import events, rendering, snapshots
from healthlib.lib import pagecache
from newsletter import services as newsletter_services
from newsletter.models import Edition, Newsletter, ResearchSummary
from tests import factories

pytestmark = pytest.mark.django_db

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
_words = (f"zq{a}{b}{c}" for a, b, c in itertools.product("bcdfghjklmnp", repeat=3))


def word():
    """A word no text holds."""
    return next(_words)


ARTICLE = st.integers(0, 2)


class Library(RuleBasedStateMachine):
    """Three articles sharing drugs, an organization and a topic; the
    newsletter's archive."""

    def __init__(self, client):
        super().__init__()
        self.client = client
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        pagecache.clear()
        self.articles = [
            factories.article("Gout", tags=["Joints"], drugs_per_group=2),
            factories.article("Asthma", tags=["Joints", "Lungs"], drugs_per_group=1),
            factories.article("Acne", publish=False, groups=0, tags=["Skin"]),
        ]
        # The word each article's text ends with, and words it had.
        self.words = {a.pk: None for a in self.articles}
        self.gone_words = set()
        self.urls = set()
        self.newsletter = Newsletter.objects.create(name="Research")
        self.editions = itertools.count(1)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        pagecache.clear()

    def article(self, i):
        self.articles[i].refresh_from_db()
        return self.articles[i]

    def editable(self, i):
        return self.article(i).status != Condition.Status.ARCHIVED

    def live(self, i):
        return Condition.objects.filter(source=self.articles[i]).first()

    def edit(self, i, publish=True, **changes):
        condition = self.article(i)
        data = snapshots.take(condition)
        data.update(changes)
        services.update_article(condition=condition, data=data)
        if publish:
            services.publish(condition=condition)

    # The changes

    @rule(i=ARTICLE)
    def publish(self, i):
        if self.editable(i):
            services.publish(condition=self.article(i))

    @rule(i=ARTICLE, where=st.sampled_from(["body", "title", "summary", "alternate_names"]))
    def edit_and_publish(self, i, where):
        if not self.editable(i):
            return
        new = word()
        data = snapshots.take(self.article(i))
        if where == "body":
            sections = data["sections"]
            sections[0]["body"] = f"The text says {new}."
            old = self.words[self.articles[i].pk]
            if old:
                self.gone_words.add(old)
            self.words[self.articles[i].pk] = new
            self.edit(i, sections=sections)
        elif where == "title":
            self.edit(i, title=f"{data['title'].split()[0]} {new}")
        else:
            self.edit(i, **{where: f"Also {new}"})

    @rule(i=ARTICLE)
    def rename_address(self, i):
        if self.editable(i):
            self.edit(i, slug=f"{self.article(i).slug.split('-')[0]}-{word()}")

    @rule(i=ARTICLE, j=ARTICLE)
    def relate(self, i, j):
        if i != j and self.editable(i):
            other = self.article(j)
            self.edit(i, related=[{"id": other.pk, "slug": other.slug}])

    @rule(i=ARTICLE)
    def unpublish(self, i):
        if self.live(i) is not None:
            services.unpublish(condition=self.article(i))

    @rule(i=ARTICLE)
    def archive(self, i):
        if self.live(i) is not None:
            services.archive(condition=self.article(i))

    @rule(i=ARTICLE)
    def record_review(self, i):
        if self.live(i) is not None:
            services.record_review(condition=self.article(i), note=f"Checked {word()}")

    @precondition(lambda self: not Condition.objects.filter(language="es").exists())
    @rule(i=ARTICLE)
    def translate(self, i):
        source = self.article(i)
        if source.live_revision_id is None or source.status == Condition.Status.ARCHIVED:
            return
        spanish = services.create_translation(source=source, language="es")
        services.publish(condition=spanish)

    @rule()
    def rename_drug(self):
        drug = Drug.objects.order_by("pk").first()
        new = word()
        drug.name, drug.slug = f"Drug {new}", f"drug-{new}"
        drug.names = {"es": f"Fármaco {new}"}
        drug.save()

    @rule()
    def change_organization(self):
        organization = Organization.objects.order_by("pk").first()
        organization.name = f"Organization {word()}"
        organization.url = f"https://{word()}.example.org/"
        organization.save()

    @rule(name=st.sampled_from(["Joints", "Lungs", "Skin"]))
    def rename_topic(self, name):
        tag = Tag.objects.filter(name__startswith=name).first()
        if tag is not None:
            new = word()
            tag.name, tag.slug = f"{name} {new}", f"{name.lower()}-{new}"
            tag.save()

    @rule(name=st.sampled_from(["Joints", "Lungs"]))
    def delete_topic(self, name):
        Tag.objects.filter(name__startswith=name).delete()

    @rule()
    def name_topic_in_spanish(self):
        tag = Tag.objects.order_by("pk").first()
        if tag is not None:
            TopicName.objects.update_or_create(
                tag=tag, language="es", defaults={"name": f"Tema {word()}"}
            )

    @rule(i=ARTICLE)
    def send_research(self, i):
        n = next(self.editions)
        edition = Edition.objects.create(newsletter=self.newsletter, title=f"E{n}", slug=f"e{n}")
        summary = ResearchSummary.objects.create(
            edition=edition, headline=f"Finding {word()}", body="A study."
        )
        summary.related_articles.add(self.articles[i])
        newsletter_services.mark_sent(edition=edition)

    @rule(i=ARTICLE)
    def edit_research(self, i):
        summary = ResearchSummary.objects.order_by("-pk").first()
        if summary is not None:
            summary.headline = f"Finding {word()}"
            summary.save()
            summary.related_articles.add(self.articles[i])

    # What must hold after each

    @invariant()
    def stores_equal_a_rebuild(self):
        self.check()

    def check(self):
        self.check_stored_html()
        self.check_search()
        self.check_page_cache()

    def check_stored_html(self):
        for live in Condition.objects.live(language=None):
            stored = rendering.stored(live)
            assert stored is not None, f"{live}: no current stored page"
            with translation.override(live.language):
                fresh = rendering.render(selectors.article_page(live))
            assert stored == fresh, f"{live}: stored page is stale"

    def check_search(self):
        assert index() == rebuilt_index()
        for source_id, new in self.words.items():
            if new is None:
                continue
            found = {hit.get_absolute_url() for hit in search.search(new)[0:10]}
            live = Condition.objects.live().filter(source_id=source_id).first()
            assert found == ({live.get_absolute_url()} if live else set()), new
        for old in self.gone_words:
            assert search.search(old).count() == 0, old

    def check_page_cache(self):
        self.urls |= readers_urls()
        served = {url: page(self.client, url) for url in sorted(self.urls)}
        pagecache.clear()
        fresh = {url: page(self.client, url) for url in sorted(self.urls)}
        stale = [url for url in served if served[url] != fresh[url]]
        assert not stale, f"the cache served stale pages: {stale}"


def readers_urls():
    """The pages readers may have cached now: every live article in its
    language and its embed, the listings, each drug's and topic's page."""
    urls = {"/", "/drugs/", "/topics/", "/es/topics/", "/sitemap.xml"}
    for live in Condition.objects.live(language=None):
        with translation.override(live.language):
            urls.add(live.get_absolute_url())
            urls.add(reverse("conditions:embed", args=[live.slug]))
        urls.add(f"/conditions/?letter={live.title[0].lower()}")
    urls |= {f"/drugs/{slug}/" for slug in Drug.objects.values_list("slug", flat=True)}
    for slug in Tag.objects.values_list("slug", flat=True):
        urls |= {f"/topics/{slug}/", f"/es/topics/{slug}/"}
    return urls


def page(client, url):
    response = client.get(url)
    body = b"" if response.streaming else response.content
    return response.status_code, response.get("Location"), _CSRF.sub("", body.decode())


def _rows():
    fields = [f.name for f in SearchDocument._meta.fields if f.name != "id"]
    return sorted(
        tuple(str(v) for v in model_to_dict(doc, fields=fields).values())
        for doc in SearchDocument.objects.all()
    )


def index():
    return _rows()


def rebuilt_index():
    """The index a rebuild from scratch gives (then rolled back)."""
    with transaction.atomic():
        search.rebuild()
        rows = _rows()
        transaction.set_rollback(True)
    return rows


@pytest.fixture(params=["connected", "reversed"])
def receivers_order(request):
    """The live-change event's receivers in the order they are connected,
    or reversed: no receiver may depend on another's work."""
    receivers = events.live_change.receivers
    if request.param == "reversed":
        with events.live_change.lock:
            receivers.reverse()
    yield request.param
    if request.param == "reversed":
        with events.live_change.lock:
            receivers.reverse()


def test_every_store_equals_a_rebuild_after_every_change(client, receivers_order):
    examples = 6 if receivers_order == "connected" else 3
    run_state_machine_as_test(
        lambda: Library(client),
        settings=settings(
            max_examples=examples,
            stateful_step_count=8,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
