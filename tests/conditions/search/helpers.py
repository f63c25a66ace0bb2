"""Searching in tests: articles made with the text a test searches for, and
the articles a search page lists."""

import re

from conditions import services
from tests import factories


def make(title, body="", *, summary="", alternate_names="", drugs=(), publish=True):
    data = factories.article_data(
        title,
        sections=0,
        groups=0,
        references=0,
        organizations=0,
        tags=(),
        summary=summary,
        alternate_names=alternate_names,
    )
    data["sections"] = [{"kind": "definition", "heading": "", "body": body, "order": 0}]
    if drugs:
        data["drug_groups"] = [
            {"heading": "Anticonvulsants", "order": 0, "drugs": [factories.drug(d) for d in drugs]}
        ]
    condition = services.create_article(data=data)
    if publish:
        services.publish(condition=condition)
        condition.refresh_from_db()
    return condition


def slugs(response):
    assert response.status_code == 200
    return re.findall(
        r'class="result-title"><a href="/conditions/([\w-]+)/"', response.content.decode()
    )


def found(client, q, **params):
    return slugs(client.get("/search/", {"q": q, **params}))
