#!/usr/bin/env python
"""Hostile text benchmark: every path that processes text a person typed or
a file brought, fed the worst inputs we know at 100 KB. A script, not a
test (``tests/security/test_linear_text.py`` holds the same paths and
patterns to a CPU-time budget and a linearity check).

    .venv/bin/python bench/linear_text.py            # 100,000 characters
    .venv/bin/python bench/linear_text.py --size 25000

Prints, per text path, the slowest pattern and its CPU seconds
(``time.process_time``, so a busy machine does not inflate it), then every
pattern's time. Needs no database: the content checks' one query (which
linked addresses exist) is replaced by "none do".
"""

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = 100_000

# name → a function of the size giving a text of about that many characters.
# Each is the shape of input that made one regex or parser backtrack or
# rescan: runs of one delimiter, long whitespace, deep nesting, openers that
# are never closed, and mixes of them.
PATTERNS = {
    "[ ×n": lambda n: "[" * n,
    "_a ×n": lambda n: "_a" * (n // 2),
    "*a ×n": lambda n: "*a" * (n // 2),
    "** ×n": lambda n: "**a" * (n // 3),
    "` ×n": lambda n: "`" * n,
    "[a]( ×n": lambda n: "[a](" * (n // 4),
    "]( ×n": lambda n: "](" * (n // 2),
    "![ ×n": lambda n: "![" * (n // 2),
    "< ×n": lambda n: "<" * n,
    "( ×n": lambda n: "(" * n,
    "\\ ×n": lambda n: "\\" * n,
    "&# ×n": lambda n: "&#" * (n // 2),
    "> nesting": lambda n: ">" * n + " a",
    "list nesting": lambda n: "".join(f"{'  ' * i}- a\n" for i in range(int((n / 2) ** 0.5))),
    "- ×n": lambda n: "- " * (n // 2),
    "| table": lambda n: "|a" * (n // 4) + "\n" + "|-" * (n // 4),
    "spaces in a sentence": lambda n: "One sentence. " + " " * n + "Another sentence.",
    "newlines": lambda n: "A sentence.\n" + "\n" * n + "Another.",
    "space-newline": lambda n: "A. " + " \n" * (n // 2) + "B:",
    "tabs": lambda n: "A:" + "\t" * n + "b",
    ": ×n": lambda n: ":" * n,
    "a: ×n": lambda n: "a:" * (n // 2),
    "word colon": lambda n: "Possible causes include " * (n // 24) + ":",
    ". ×n": lambda n: ". " * (n // 2),
    "one long word": lambda n: "a" * n,
    "words": lambda n: "word " * (n // 5),
    "glossary terms": lambda n: "myoclonus muscle twitching " * (n // 27),
    "percentages": lambda n: "10% " * (n // 4),
    '" ×n': lambda n: '"' * n,
    "a-b ×n": lambda n: "a-" * (n // 2),
    "http ×n": lambda n: "http://" * (n // 7),
    "doi ×n": lambda n: "doi:10." * (n // 7),
    "(c) ×n": lambda n: "(c) " * (n // 4),
    "bullets": lambda n: "• a\n" * (n // 4),
    "2020 ×n": lambda n: "2020 " * (n // 5),
}

GLOSSARY = [("myoclonus", "muscle twitching"), ("twitching", "jerking"), ("a", "b")]


def _preview(text):
    """What the editor's live preview does with a section body."""
    from conditions.review import readability
    from healthlib.lib.markdown import render_markdown

    return render_markdown(text), readability.section_report(text, GLOSSARY, language="en")


def _markdown(text):
    """Everything else the site does with Markdown: the public page, the
    plain text compared between revisions, the links checked on save."""
    from healthlib.lib import markdown

    markdown.render_markdown(text)
    markdown.plain_text(text)
    markdown.article_slugs_linked(text)
    markdown.invalid_article_links(text)


def _checks(text):
    from conditions.review import content_checks as checks

    snapshot = {
        "sections": [{"kind": "causes", "heading": "", "body": text}],
        "figures": [{"caption": text, "alt_text": text, "image": ""}],
    }
    with mock.patch.object(checks, "_link_targets", lambda slugs: {}):
        return checks.problems(snapshot)


def _readability(text):
    from conditions.review import readability

    readability.for_snapshot({"sections": [{"kind": "causes", "body": text}]})
    readability.section_report(text, language="es")


def _glossary(text):
    from conditions.review import readability

    return readability.hard_words(text, GLOSSARY)


def _importer(text):
    from conditions.importer import ArticleImportError, parse_article

    # A file's lines are at most 20,000 characters (longer ones are refused
    # at once): the text is also tried cut into lines, as a file brings it.
    lines = "\n".join(text[i : i + 1000] for i in range(0, len(text), 1000))
    for content in (text, lines):
        # Refusing with a reason is an answer too.
        with contextlib.suppress(ArticleImportError):
            parse_article(content.encode(), name="hostile.txt", known_drugs=["aspirin"])


def _email(text):
    from healthlib.lib.markdown import render_markdown
    from newsletter import emails

    emails.markdown_as_text(text)
    emails.wrap_html(emails.absolutize_html(render_markdown(text)))


def _search(text):
    from conditions.search import documents, query
    from conditions.search.highlight import marked_snippet
    from conditions.search.languages import get
    from healthlib.lib.markdown import render_markdown

    query.parse(text)
    plain = documents.html_to_text(render_markdown(text))
    marked_snippet(plain, {"word", "twitch"}, get("es"))


def _compare(text):
    from conditions.review import compare

    compare.word_diff(text, text[: len(text) // 2] + "changed." + text[len(text) // 2 :])


PATHS = {
    "markdown preview": _preview,
    "markdown (page, links)": _markdown,
    "content checks": _checks,
    "readability": _readability,
    "glossary": _glossary,
    "importer": _importer,
    "email rendering": _email,
    "search (query, index, snippet)": _search,
    "revision compare": _compare,
}


def clear_caches():
    """Forget the parsed bodies and textstat's per-text results, so a text
    measured by an earlier path is not a cache hit for the next one."""
    from healthlib.lib import markdown

    markdown._parse.cache_clear()
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def cpu_seconds(path, text):
    """CPU seconds ``path`` takes on ``text``, every cache cold but the
    dictionaries (loaded once per process, at start-up)."""
    clear_caches()
    start = time.process_time()
    PATHS[path](text)
    return time.process_time() - start


def warm_up():
    """Run every path once on a short text: loads the pronouncing and
    hyphenation dictionaries, which a server does once, not per request."""
    for path in PATHS:
        cpu_seconds(path, "A warm-up sentence: with [a link](article:x). Paciente con 10%.")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--path", action="append", help="only this text path (repeatable)")
    parser.add_argument("--all", action="store_true", help="print every pattern's time")
    args = parser.parse_args()
    setup_django()
    warm_up()
    rows = []
    for path in args.path or PATHS:
        times = {name: cpu_seconds(path, make(args.size)) for name, make in PATTERNS.items()}
        worst = max(times, key=times.get)
        rows.append((path, worst, times[worst]))
        if args.all:
            for name, seconds in sorted(times.items(), key=lambda kv: -kv[1])[:5]:
                print(f"    {path:32} {name:24} {seconds:7.3f}", flush=True)
    print(f"\nText path{' ' * 24}Slowest input at {args.size:,} chars   CPU s")
    for path, worst, seconds in rows:
        print(f"{path:33}{worst:34}{seconds:6.2f}")


if __name__ == "__main__":
    main()
