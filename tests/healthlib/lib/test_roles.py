"""The editorial roles (healthlib.lib.roles): the groups exist after migrate,
with the permissions each app asked for."""

import pytest
from django.contrib.auth.models import Group

from healthlib.lib.roles import EDITORS, REVIEWERS

pytestmark = pytest.mark.django_db


def test_roles_exist_after_migrate():
    editors = Group.objects.get(name=EDITORS)
    reviewers = Group.objects.get(name=REVIEWERS)
    assert Group.objects.filter(name="Newsletter editors").exists()
    assert not editors.permissions.filter(codename="publish_condition").exists()
    assert reviewers.permissions.filter(codename="publish_condition").exists()
    assert editors.permissions.filter(codename="change_condition").exists()
