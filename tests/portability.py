"""Export and import through the commands, as people run them, and what a
database holds before and after."""

from io import StringIO
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command
from taggit.models import Tag

from conditions.models import Condition, Drug, Organization, Revision
from newsletter.models import Delivery, Edition, Newsletter, ResearchSummary, Subscriber


def export(path):
    call_command("export_content", str(path), stdout=StringIO(), stderr=StringIO())
    return Path(path).read_bytes()


def import_(path):
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue()


def empty_the_database():
    for live_first in (True, False):
        for condition in Condition.objects.filter(is_live=live_first):
            condition.delete()
    for model in (Delivery, Subscriber, ResearchSummary, Edition, Newsletter):
        model.objects.all().delete()
    for model in (Drug, Organization, Tag, User):
        model.objects.all().delete()


def content_rows():
    return {
        model.__name__: model.objects.count()
        for model in (Condition, Revision, Drug, Organization, Tag, Edition, ResearchSummary, User)
    }
