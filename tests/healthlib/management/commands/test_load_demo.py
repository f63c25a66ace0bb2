"""manage.py load_demo: the newsletter is part of the demo."""

import pytest
from django.core.management import call_command

from newsletter.models import Edition

pytestmark = pytest.mark.django_db


def test_load_demo_command_includes_the_newsletter(capsys):
    call_command("load_demo", "--force")
    assert "Newsletter “Current Research From Top Journals”" in capsys.readouterr().out
    assert Edition.objects.sources().count() == 4
    assert Edition.objects.filter(language="es").count() == 1
