"""Fixtures shared by the whole suite: the test run's set-up, people with
roles, common content, and outside services. A folder's own conftest.py
has what only its modules share (docs/development.md, "How the tests are
laid out")."""

import datetime
import itertools
import os

import pytest
from hypothesis import settings as hypothesis_settings

from tests import dbstate

# Locally, the property tests explore new random examples on every run. In
# CI (.ci/run sets CI) they run a fixed, reproducible set, so what lands is
# judged on the same examples every time; a failure found locally is fixed
# and kept as a regression test.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def _translations_compiled():
    """The Spanish pages need the .mo files, which are not committed: compiled
    here when missing or older than their .po (as `make` does)."""
    from healthlib.lib import catalogs

    catalogs.compile_all()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for name in ("default", "pagecache_tags", "pagecache_local"):
        caches[name].clear()
    yield
    for name in ("default", "pagecache_tags", "pagecache_local"):
        caches[name].clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to a Spanish page
    leaves Spanish active in the thread (LocaleMiddleware activates it and
    nothing deactivates it), which would translate the next test's lazy
    labels ("Causas")."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Workflow emails leave when the step's transaction commits; the test's
    own transaction never does, so ``with committed():`` runs what a commit
    would have run (and nothing a rolled-back step registered)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# ---- People -----------------------------------------------------------------
# The roles are the groups healthlib.lib.roles creates after migrate. Every
# test that needs an account with a role gets it here, so each role means
# the same thing everywhere: `editor`, `reviewer`, `newsletter_editor` and
# `staff_without_role` are users, `*_client` a client of its own logged in
# as that user (`client` stays the anonymous reader). A module that needs
# other names or fields overrides the user fixture (the client fixture
# follows), or calls `make_user` itself.

PASSWORD = "pw"


@pytest.fixture
def make_user(db, django_user_model):
    """``make_user(username, *roles, **fields)``: a staff account in the
    groups ``roles`` (healthlib.lib.roles' names), with password
    ``PASSWORD``, the email address ``<username>@example.org`` (``email=""``
    for none) and the first name ``username.title()``, unless ``fields``
    say otherwise. ``permissions`` adds permissions by codename, outside
    any group; ``is_staff=False`` makes an account that cannot open the
    admin."""
    from django.contrib.auth.models import Group, Permission

    def make(username, *roles, permissions=(), password=PASSWORD, **fields):
        fields.setdefault("email", f"{username}@example.org")
        fields.setdefault("first_name", username.title())
        fields.setdefault("is_staff", True)
        user = django_user_model.objects.create_user(username, password=password, **fields)
        user.groups.add(*[Group.objects.get(name=role) for role in roles])
        user.user_permissions.add(
            *[Permission.objects.get(codename=codename) for codename in permissions]
        )
        return user

    return make


@pytest.fixture
def client_for(db):
    """``client_for(user)``: a new test client, logged in as ``user``
    (who is also its ``user``)."""
    from django.test import Client

    def log_in(user):
        client = Client()
        client.force_login(user)
        client.user = user
        return client

    return log_in


@pytest.fixture
def editor(make_user):
    """An editor (group Editors): writes articles and submits them."""
    from healthlib.lib.roles import EDITORS

    return make_user("editor", EDITORS, last_name="Smith")


@pytest.fixture
def reviewer(make_user):
    """A medical reviewer (group Medical reviewers): also publishes,
    archives and records reviews."""
    from healthlib.lib.roles import REVIEWERS

    return make_user("reviewer", REVIEWERS, last_name="Smith")


@pytest.fixture
def newsletter_editor(make_user):
    """A newsletter editor (group Newsletter editors)."""
    from healthlib.lib.roles import NEWSLETTER_EDITORS

    return make_user("nl-editor", NEWSLETTER_EDITORS)


@pytest.fixture
def staff_without_role(make_user):
    """Staff in no group: may open the admin and do nothing in it."""
    return make_user("staff")


@pytest.fixture
def editor_client(client_for, editor):
    return client_for(editor)


@pytest.fixture
def reviewer_client(client_for, reviewer):
    return client_for(reviewer)


@pytest.fixture
def newsletter_editor_client(client_for, newsletter_editor):
    return client_for(newsletter_editor)


@pytest.fixture
def staff_without_role_client(client_for, staff_without_role):
    return client_for(staff_without_role)


# ---- Content ----------------------------------------------------------------
# tests/factories.py builds articles through the services; what several
# modules build the same way is a fixture here.


@pytest.fixture
def big_article(db):
    """A published article as large as the library's largest: 40 sections,
    6 drug groups of 10, 30 references, 4 organizations, 5 figures (built
    once per test process: tests/dbstate.py)."""
    from conditions.models import Condition

    pk = dbstate.build_once("big_article", _build_big_article)
    return Condition.objects.get(pk=pk)


def _build_big_article():
    from tests import factories

    return factories.article(
        "Big condition",
        sections=40,
        groups=6,
        drugs_per_group=10,
        references=30,
        organizations=4,
        figures=5,
        tags=("One", "Two", "Three"),
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
        alternate_names="Large condition\nHuge condition",
    ).pk


@pytest.fixture
def load_demo(db, settings):
    """``load_demo(debug=False, frozen_at=None)``: the demo library (the
    seed's Myoclonus, published, its Spanish translation and the
    newsletter's editions), as ``manage.py load_demo --force`` loads it;
    with ``debug=True`` as ``make run`` does, the demo accounts and their
    history included (DEBUG is on while it loads). A test that loads it
    under freezegun says when (``frozen_at``). Returns what the command
    printed."""
    from io import StringIO

    from django.core.management import call_command

    def build(debug):
        out, before = StringIO(), settings.DEBUG
        settings.DEBUG = debug
        try:
            call_command("load_demo", "--force", stdout=out)
        finally:
            settings.DEBUG = before
        return out.getvalue()

    def load(*, debug=False, frozen_at=None):
        # Built once per test process, then restored (tests/dbstate.py).
        # A build under freezegun (``frozen_at``: the frozen time) has dates
        # of its own: it is not the build of a test that froze no time.
        return dbstate.build_once(("load_demo", debug, frozen_at), lambda: build(debug))

    return load


@pytest.fixture
def demo(load_demo):
    """The demo library, loaded; the Myoclonus article's working copy."""
    from conditions.models import Condition

    load_demo()
    return Condition.objects.editable().get(slug="myoclonus")


# ---- The newsletter ---------------------------------------------------------
# One newsletter, its editions and its subscribers; and a real SMTP server.

_n = itertools.count(1)


@pytest.fixture
def newsletter(db):
    """The newsletter (editions belong to one)."""
    from newsletter.models import Newsletter

    return Newsletter.objects.create(name="Current Research From Top Journals")


@pytest.fixture
def make_edition(newsletter):
    """``make_edition(title=None, status=draft, summaries=1, **fields)``: an
    edition with ``summaries`` research summaries."""
    from newsletter.models import Edition, ResearchSummary

    def make(title=None, *, status=Edition.Status.DRAFT, issue_date=None, summaries=1, **kwargs):
        n = next(_n)
        edition = Edition.objects.create(
            newsletter=newsletter,
            title=title or f"Edition {n}",
            slug=kwargs.pop("slug", f"edition-{n}"),
            issue_date=issue_date or datetime.date(2015, 3, 1),
            status=status,
            **kwargs,
        )
        for i in range(summaries):
            ResearchSummary.objects.create(
                edition=edition,
                order=i,
                headline=f"Finding {n}.{i}",
                body=f"Researchers found **something** ({n}.{i}).",
                journal="New England Journal of Medicine",
                doi=f"10.1056/test.{n}.{i}",
            )
        return edition

    return make


@pytest.fixture
def make_subscribers(newsletter):
    """``make_subscribers(count, status=confirmed, prefix="reader")``:
    subscribers with their consent, at addresses <prefix><n>@example.org."""
    from django.utils import timezone

    from newsletter.models import Subscriber

    def make(count, *, status=Subscriber.Status.CONFIRMED, prefix="reader"):
        start = next(_n) * 100000
        return Subscriber.objects.bulk_create(
            Subscriber(
                newsletter=newsletter,
                email=f"{prefix}{start + i}@example.org",
                status=status,
                consent_text="I agree",
                consent_at=timezone.now(),
            )
            for i in range(count)
        )

    return make


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server requiring a login (tests/smtp_sink.py), and Django
    pointed at it; the fixture's value keeps what it received."""
    from tests import smtp_sink

    sink = smtp_sink.Sink()
    controller = smtp_sink.start(sink, settings)
    try:
        yield sink
    finally:
        controller.stop()
