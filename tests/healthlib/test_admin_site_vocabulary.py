"""One word for one thing in the admin (issue 31).

Readers and editors know the library's pages as *articles* (about health
conditions), filed under *topics*. The admin says so everywhere: Django's
own words come from the models' and apps' verbose names ("Add article",
"Select article to change", breadcrumbs, the app list, history, delete
confirmations, "The article … was changed successfully"), and the
project's templates use the same words.

The rule, checked on every page an editor, a medical reviewer and a
newsletter editor can open, as each of them, on the demo library:

* "condition(s)" never names the thing. "health condition(s)" and
  "medical condition(s)" are prose about what articles are about, and a
  path such as ``/conditions/myoclonus/`` is an address: both are allowed;
* "Taggit" and "tag(s)" never appear: topics are topics;
* "Health library" is retired (the app is the "Library").

What is checked is the text a person sees or hears: text nodes, and the
``title``, ``aria-label``, ``placeholder`` and ``alt`` attributes and the
labels of buttons; not scripts, styles, and not the article's own words
(form fields holding its text, and what the templates mark
``article-text``: the seed's article itself says "The condition…").

The pages come from the admin's registry (``tests/admin_pages.py``): a new
model or admin URL is walked without changing this test.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import resolve
from hypothesis import given
from hypothesis import strategies as st

from tests.admin_pages import add_one_of_each, admin_pages

pytestmark = pytest.mark.django_db

RETIRED = {
    "condition": re.compile(r"(?<!health )(?<!medical )\bconditions?\b", re.IGNORECASE),
    "Taggit": re.compile(r"taggit", re.IGNORECASE),
    "tag": re.compile(r"\btags?\b", re.IGNORECASE),
    "Health library": re.compile(r"\bhealth library\b", re.IGNORECASE),
}
# An address or a path (/conditions/myoclonus/, https://…): not a word.
ADDRESS = re.compile(r"\S*/\S*")
SKIPPED = {"script", "style", "template", "textarea"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip
SPOKEN = ("title", "aria-label", "placeholder", "alt")
BUTTON_TYPES = {"submit", "button", "reset"}


def retired_words(text):
    """["word: …the words around it…"] for each retired word in ``text``
    (a string, or the lines of a page), by the rule above."""
    if not isinstance(text, str):
        text = " ".join(text)
    text = ADDRESS.sub(" ", " ".join(text.split()))
    return [
        f"{word}: …{text[max(m.start() - 50, 0) : m.end() + 50]}…"
        for word, rule in RETIRED.items()
        for m in rule.finditer(text)
    ]


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page, as lines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []
        self.skipping = None  # (tag, depth) while inside skipped content

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.skipping:
            if tag == self.skipping[0] and tag not in VOID:
                self.skipping = (tag, self.skipping[1] + 1)
            return
        if tag in SKIPPED or "article-text" in (attrs.get("class") or "").split():
            if tag not in VOID:
                self.skipping = (tag, 1)
            return
        self.lines += [attrs[name] for name in SPOKEN if attrs.get(name)]
        if tag == "input" and attrs.get("type") in BUTTON_TYPES and attrs.get("value"):
            self.lines.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[0]:
            depth = self.skipping[1] - 1
            self.skipping = (tag, depth) if depth else None

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.lines.append(data.strip())


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.lines


# ---- The rule is not vacuous ------------------------------------------------

WORDS = st.sampled_from(
    ["the", "article", "was", "changed", "Save", "and", "add", "another", "topics", "drug"]
)
SENTENCES = st.lists(WORDS, max_size=6).map(" ".join)


@given(
    before=SENTENCES,
    after=SENTENCES,
    word=st.sampled_from(["condition", "conditions", "Taggit", "tag", "Tags", "Health library"]),
    case=st.sampled_from([str.lower, str.upper, str.title, str]),
)
def test_the_rule_finds_a_retired_word_wherever_it_stands(before, after, word, case):
    text = f"{before} {case(word)} {after}"
    assert retired_words(text), text
    assert retired_words(visible_text(f"<p>{before} <b>{case(word)}</b></p> {after}"))


@given(before=SENTENCES, after=SENTENCES, qualifier=st.sampled_from(["health", "medical"]))
def test_prose_about_health_conditions_and_addresses_pass(before, after, qualifier):
    text = f"{before} {qualifier} conditions {after} as in /conditions/myoclonus/."
    assert retired_words(text) == [], text


def test_the_articles_own_words_and_scripts_are_not_the_interface():
    html = (
        '<div class="article-text"><div><p>The condition</p></div></div>'
        "<textarea>An underlying condition</textarea><script>tags = 1</script>"
        '<p title="Change article">Articles</p><input type="submit" value="Add tag">'
    )
    assert visible_text(html) == ["Change article", "Articles", "Add tag"]


# ---- Every page, as each role -----------------------------------------------


@pytest.fixture
def library(demo, editor):
    add_one_of_each(editor)
    return demo


@pytest.mark.parametrize("role", ["editor", "reviewer", "newsletter_editor"])
def test_every_admin_page_uses_one_word_for_one_thing(role, library, request, client_for):
    user = request.getfixturevalue(role)
    client = client_for(user)
    found, opened = {}, []
    for url in admin_pages(user):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue  # a step this person may not take now, or data for a script
        opened.append(url)
        if words := retired_words(visible_text(response.content.decode())):
            found[url] = words
    assert not found, "retired words:\n" + "\n".join(
        f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items()
    )
    # Not vacuous: the pages each role works on were read.
    expected = {
        "editor": ["condition_change", "condition_history", "topic_change"],
        "reviewer": ["condition_delete", "condition_compare", "pendingchange_change"],
        "newsletter_editor": ["edition_change", "edition_send", "subscriber_change"],
    }[role]
    opened_views = {resolve(url.split("?")[0]).url_name for url in opened}
    assert {"index"} <= opened_views, sorted(opened_views)
    for view in expected:
        assert any(name.endswith(f"_{view}") for name in opened_views), (view, opened_views)
