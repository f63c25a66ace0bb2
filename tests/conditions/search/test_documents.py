"""What is indexed of an article (conditions.search.documents): the text
readers read, not its Markdown."""

import pytest

from tests.conditions.search.helpers import found, make

pytestmark = pytest.mark.django_db


def test_markdown_syntax_and_link_targets_are_not_indexed(client):
    make("Linked", "See [the institute](https://www.ninds.nih.gov/whatever) for **more**.")
    assert found(client, "institute") == ["linked"]
    assert found(client, "ninds") == []
    assert found(client, "whatever") == []
