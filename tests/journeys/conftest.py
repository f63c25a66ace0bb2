"""The library the admin journeys open every form of: the demo as it ships,
a large article, and one of everything else."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, override_settings
from django.urls import reverse

from conditions import services
from conditions.demo import loader as demo_loader
from conditions.models import Condition, Drug, GlossaryTerm, Organization, Topic
from conditions.review import shared_records
from newsletter import demo as newsletter_demo
from newsletter.models import Delivery, DigestSchedule, Edition, Subscriber
from tests import dbstate, factories
from tests.admin_pages import add_a_signoff


@pytest.fixture
def library(db):
    """The demo as it ships, a large article, and one of everything else.
    Built once per test process (tests/dbstate.py) when it comes first:
    tests ask for it before ``admin_client``, whose user (made now, signed
    in now) would make each test's starting state a new one."""
    pks = dbstate.build_once("journeys-library", _build_library)
    return {name: Condition.objects.get(pk=pk) for name, pk in pks.items()}


def _build_library():
    demo, _ = demo_loader.load_myoclonus()
    newsletter_demo.load()
    large = factories.article(
        "Large condition",
        sections=40,
        groups=6,
        drugs_per_group=10,
        references=30,
        organizations=4,
        figures=5,
        codes=[("icd10cm", "G25.3"), ("snomedct", "17450006")],
        tags=("Nervous system", "Movement disorders"),
    )
    edition = Edition.objects.filter(summaries__isnull=False).first()
    subscriber = Subscriber.objects.create(
        newsletter=edition.newsletter,
        email="reader@example.org",
        status=Subscriber.Status.CONFIRMED,
        consent_text="Yes",
        consent_at=edition.created_at,
    )
    Delivery.objects.create(edition=edition, subscriber=subscriber)
    # A task recorded by the database queue (its admin lists them).
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        from conditions.tasks import send_notification

        send_notification.enqueue("Subject", "Body", ["a@example.org"])
    # A failed sign-in, so that django-axes' records in the admin have one.
    Client().post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    GlossaryTerm.objects.create(term="myoclonus", plain="muscle twitching")
    add_a_signoff(demo)
    DigestSchedule.objects.create(newsletter=edition.newsletter)
    factories.partner()
    return {"demo": demo.pk, "large": large.pk}


@pytest.fixture
def one_of_each_model(library, admin_user, admin_client):
    """One object of every model registered with the admin, from the library
    (a pending change to a drug and reader feedback included; the admin's
    sign-in gives django-axes' access log its row)."""
    picks = {
        Condition: [library["demo"], library["large"]],
        Drug: [Drug.objects.get(name="Clonazepam")],
        Organization: [Organization.objects.filter(name__icontains="Health Canada").first()],
        Edition: [Edition.objects.filter(summaries__isnull=False).first()],
        get_user_model(): [admin_user],
        Group: [Group.objects.get(name="Medical reviewers")],
        Topic: [Topic.objects.first()],
    }
    drug = picks[Drug][0]
    shared_records.propose(record=drug, changes={"other_names": "Klonopin"}, user=None)
    services.record_feedback(live=library["demo"].live_copy, helpful=False, comment="More, please")
    for model in admin.site._registry:
        if model not in picks:
            picks[model] = [model.objects.first()]
    return picks
