"""The admin's widgets (healthlib.lib.admin_widgets): text saved exactly as
typed."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conditions import services
from conditions.models import Condition
from tests import factories


@pytest.mark.django_db
def test_saving_the_form_as_a_browser_sends_it_changes_no_text(client):
    from tests.admin_forms import form_data

    user = User.objects.create_superuser("admin", password="pw")
    client.force_login(user)
    article = factories.article("Gout", publish=False)
    url = reverse("admin:conditions_condition_change", args=[article.pk])
    data = form_data(client.get(url))
    for key, value in list(data.items()):
        if key.endswith("-body"):
            data[key] = value.replace("\n", "\r\n")  # what a browser's textarea sends
    before = services.snapshots.take(article)["sections"]
    assert client.post(url, data).status_code == 302
    after = services.snapshots.take(Condition.objects.get(pk=article.pk))["sections"]
    # Not even a trailing line break is trimmed (healthlib.lib.admin_widgets.ExactTextField).
    assert [s["body"] for s in after] == [s["body"] for s in before]
