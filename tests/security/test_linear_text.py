"""Issue 25, items 8–10: hostile text from people who are allowed to write.

Every path that reads text a person typed or a file brought (Markdown,
content checks, readability, glossary hints, the importer, email
rendering, search) must take time proportional to the text, so 100 KB of
the worst input we know costs a second or two of CPU, not a hung worker.
The paths and inputs are ``bench/text_paths.py``'s (which prints the
slowest per path). Times are CPU seconds (``time.process_time``): a busy
machine does not fail them, a quadratic scan does.
"""

import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from bench.text_paths import PATHS, PATTERNS, SIZE, clear_caches, cpu_seconds, warm_up
from conditions.importer import ArticleImportError, parse_article
from conditions.models import Section
from conditions.review import readability
from healthlib.lib.markdown import BODY_MAX_LENGTH, content_gaps
from newsletter.emails import markdown_as_text
from newsletter.models import ResearchSummary

# CPU seconds for one path on 100 KB. markdown-it-py alone needs about 1.7 s
# on 100 KB of "[" here (its own cost, linear), and a path that parses,
# renders and scores takes 2 to 2.5 s; on a machine shared by many jobs CPU
# time itself grows by half. A quadratic path took 30 s or more.
BUDGET = 5.0

# Per path: its slowest input in bench/text_paths.py, and those aimed at
# its own code (the regexes and loops that were quadratic).
WORST = {
    "markdown preview": ["![ ×n"],  # and "[" in the preview test below
    "markdown (page, links)": ["[ ×n"],
    "content checks": ["spaces in a sentence", "tabs"],
    "readability": ["words"],
    "glossary": ["glossary terms"],
    "importer": ["bullets"],
    "email rendering": ["[ ×n"],
    "search query": ["words"],
    "search index, snippet": ["words"],
    "revision compare": [". ×n"],
}


@pytest.fixture(scope="module", autouse=True)
def _dictionaries_loaded():
    # A server loads the pronouncing and hyphenation dictionaries once.
    warm_up()


def _cpu(function, text):
    clear_caches()
    start = time.process_time()
    function(text)
    return time.process_time() - start


def test_every_text_path_has_worst_inputs_listed():
    assert set(WORST) == set(PATHS)


@pytest.mark.parametrize(
    ("path", "pattern"), [(path, name) for path, names in WORST.items() for name in names]
)
def test_worst_inputs_of_100_kb_take_a_bounded_time(path, pattern):
    seconds = cpu_seconds(path, PATTERNS[pattern](SIZE))
    assert seconds < BUDGET, f"{path}: {seconds:.1f} s of CPU on 100 KB of {pattern!r}"


GLOSSARY = [("myoclonus", "muscle twitching")]


@pytest.mark.parametrize(
    ("run", "make"),
    [
        # Item 9: spaces between two sentences (150,000 of them took 32 s).
        (content_gaps, lambda n: "One sentence. " + " " * n + "Another sentence."),
        (content_gaps, lambda n: "A:" + "\t" * n + "b"),
        # Item 10: unclosed brackets in a newsletter summary (90,000 took 30 s).
        (markdown_as_text, lambda n: "[" * n),
        (markdown_as_text, lambda n: "[a](" * (n // 4)),
        # Glossary hints compared every use of a term with every explanation
        # before it (0.6 s on 100 KB, 15 times its 25 KB time).
        (
            lambda text: readability.hard_words(text, GLOSSARY),
            lambda n: "myoclonus muscle twitching " * (n // 27),
        ),
    ],
    ids=["gap spaces", "gap tabs", "email [", "email [a](", "glossary"],
)
def test_time_grows_linearly_with_the_text(run, make):
    """Four times the text takes about four times as long, not sixteen.
    (A floor of 0.05 s keeps timer noise on tiny times from deciding.)"""
    small = _cpu(run, make(SIZE // 4))
    large = _cpu(run, make(SIZE))
    assert large < 8 * max(small, 0.05), f"25 KB: {small:.2f} s, 100 KB: {large:.2f} s"


# --- Item 8: the editor's live preview ---------------------------------------


def test_preview_parses_the_body_once_and_answers_in_bounded_time():
    """What the editor's live preview does with a body (render it, score
    it, list its hardest sentences, glossary words and percentages: the
    view is ``ConditionAdmin.markdown_preview_view``) reads one parse; there
    were five, and 99 KB of "[" took 30 s."""
    clear_caches()
    body = "[" * BODY_MAX_LENGTH
    with mock.patch.object(MarkdownIt, "parse", autospec=True, side_effect=MarkdownIt.parse) as p:
        start = time.process_time()
        html, report = PATHS["markdown preview"](body)
        seconds = time.process_time() - start
    assert html.startswith("<p>[[[") and report["verdict"]
    assert p.call_count == 1
    assert seconds < BUDGET


# --- Item 9: a documented size limit with a clear form error -----------------


def test_a_body_over_the_limit_is_a_form_error_not_a_hung_worker():
    body = "One sentence. " + " " * 150_000 + "Another one:Next."
    section = Section(kind=Section.Kind.CAUSES, body=body)
    with pytest.raises(ValidationError) as error:
        section.clean_fields(exclude=["condition"])
    assert error.value.message_dict["body"] == [
        f"Keep this under 100,000 characters; it has {len(body):,}."
    ]
    summary = ResearchSummary(headline="A finding", body="[" * 100_001)
    with pytest.raises(ValidationError) as error:
        summary.clean_fields(exclude=["edition"])
    assert error.value.message_dict["body"] == [
        "Keep this under 100,000 characters; it has 100,001."
    ]
    Section(kind=Section.Kind.CAUSES, body="a" * BODY_MAX_LENGTH).clean_fields(
        exclude=["condition"]
    )  # at the limit: accepted


def test_the_importer_refuses_a_section_over_the_limit_with_a_reason():
    paragraph = "Twitching may follow a long illness in some people. " * 19 + "\n"
    content = "Causes\n\n" + paragraph * 110  # 110 lines of ~1,000 characters
    with pytest.raises(ArticleImportError) as error:
        parse_article(content.encode(), name="long.txt", title="Long")
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith("long.txt: the section “")
    assert "a section may be at most 100,000" in message


# --- Generated adversarial text ----------------------------------------------

# Pieces that made parsers and regexes backtrack or rescan: delimiters that
# open and never close, runs of whitespace, nesting markers, and words the
# checks look for. An example repeats one or two of them thousands of times.
PIECES = [
    "[", "]", "(", ")", "![", "](", "*", "_", "**", "`", "<", ">", "\\", "&#", '"', "|",
    ":", ".", "-", " ", "\t", "\n", "\n\n", "  - ", "> ", "1. ", "a", "Word ", "10% ",
    "myoclonus ", "http://", "doi:10.", "•", "A:",
]  # fmt: skip
GENERATED_SIZE = 20_000

adversarial_text = st.lists(
    st.tuples(st.sampled_from(PIECES), st.sampled_from(PIECES), st.integers(500, 10_000)),
    min_size=1,
    max_size=3,
).map(lambda runs: "".join((a + b) * n for a, b, n in runs)[:GENERATED_SIZE])


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=adversarial_text)
def test_generated_adversarial_text_takes_a_bounded_time_on_every_path(text):
    # A fifth of 100 KB gets a fifth of the budget (and a quarter second for
    # timer noise): linear paths have room to spare; a quadratic one, 1/25
    # of its time on 100 KB here, fails the fixed 100 KB inputs above.
    for path in PATHS:
        seconds = cpu_seconds(path, text)
        assert seconds < BUDGET * len(text) / SIZE + 0.25, f"{path}: {seconds:.2f} s"
