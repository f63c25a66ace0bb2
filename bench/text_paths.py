#!/usr/bin/env python
"""Hostile text benchmark: every path that processes text a person typed or
a file brought, fed a fixed catalogue of the worst inputs we know at 100 KB.
A script, not a test (``tests/security/test_linear_text.py`` holds the same
paths to a CPU-time budget on their worst inputs and on generated ones).

    .venv/bin/python bench/text_paths.py                 # 100,000 characters
    .venv/bin/python bench/text_paths.py --size 25000
    .venv/bin/python bench/text_paths.py --all --path importer --pattern bullets

Prints, per text path, the slowest input and its CPU seconds
(``time.process_time``, so other processes on a busy machine count less),
and the overall maximum; exits with an error when that is over BUDGET.
Needs no database: the content checks' one query (which linked addresses
exist) is replaced by "none do".
"""

import argparse
import contextlib
import os
import random
import string
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZE = 100_000
# The most CPU seconds a path may take on one input of SIZE characters.
BUDGET = 1.0

# name → a function of the size giving a text of about that many characters.
# Each is the shape of input that made one regex or parser backtrack or
# rescan, or that costs a library the most per character: runs of every
# delimiter Markdown knows, openers that are never closed, long whitespace,
# deep nesting, many short lines, very long words, odd characters, and
# mixes of them.
PATTERNS = {
    # Brackets, links and images.
    "[ ×n": lambda n: "[" * n,
    "[ ×n then ]": lambda n: "[" * (n - 1) + "]",
    "[ ×n then ](": lambda n: "[" * (n - 2) + "](",
    "[] ×n": lambda n: "[]" * (n // 2),
    "[a]( ×n": lambda n: "[a](" * (n // 4),
    "]( ×n": lambda n: "](" * (n // 2),
    '[a](x " ×n': lambda n: '[a](x "' * (n // 7),
    "[a]( then ( ×n": lambda n: "[a](" + "(" * n,
    "[a]( then < ×n": lambda n: "[a](" + "<" * n,
    "![ ×n": lambda n: "![" * (n // 2),
    "![ ×n then ]": lambda n: "![" * (n // 2 - 1) + "]",
    "[![ ×n then ]": lambda n: "[![" * (n // 3) + "]",
    "[x]: definitions": lambda n: "".join(f"[x{i}]: /u\n" for i in range(n // 12)),
    "[ per line": lambda n: "[\n" * (n // 2),
    "< ×n": lambda n: "<" * n,
    "<a ×n": lambda n: "<a" * (n // 2),
    "<http: ×n": lambda n: "<http:" * (n // 6),
    "( ×n": lambda n: "(" * n,
    # Emphasis, code, escapes, entities.
    "_a ×n": lambda n: "_a" * (n // 2),
    "*a ×n": lambda n: "*a" * (n // 2),
    "** ×n": lambda n: "**a" * (n // 3),
    "*_ ×n": lambda n: "*_" * (n // 2),
    "~ ×n": lambda n: "~" * n,
    "~~a ×n": lambda n: "~~a" * (n // 3),
    "` ×n": lambda n: "`" * n,
    "`a ×n": lambda n: "`a" * (n // 2),
    "growing ` runs": lambda n: "".join("`" * i + "a" for i in range(1, int((2 * n) ** 0.5))),
    "\\ ×n": lambda n: "\\" * n,
    "\\[ ×n": lambda n: "\\[" * (n // 2),
    "&# ×n": lambda n: "&#" * (n // 2),
    "& ×n": lambda n: "&" * n,
    # Blocks: headings, quotes, lists, tables, rules, fences.
    "# ×n": lambda n: "#" * n,
    "# heading lines": lambda n: "# a\n" * (n // 4),
    "> nesting": lambda n: ">" * n + " a",
    "> lines": lambda n: "> a\n" * (n // 4),
    "list nesting": lambda n: "".join(f"{'  ' * i}- a\n" for i in range(int((n / 2) ** 0.5))),
    "- ×n": lambda n: "- " * (n // 2),
    "- lines": lambda n: "-\n" * (n // 2),
    "+ ×n": lambda n: "+ " * (n // 2),
    "1. ×n": lambda n: "1. " * (n // 3),
    "digits. ×n": lambda n: "1." * (n // 2),
    "1. lines": lambda n: "1. a\n" * (n // 5),
    "| table": lambda n: "|a" * (n // 4) + "\n" + "|-" * (n // 4),
    "| table rows": lambda n: "|a|b|\n|-|-|\n" + "|a|b|\n" * (n // 6),
    "| lines": lambda n: "|\n" * (n // 2),
    "--- lines": lambda n: "---\n" * (n // 4),
    "setext lines": lambda n: "a\n===\n" * (n // 6),
    "``` lines": lambda n: "```\n" * (n // 4),
    "    code lines": lambda n: "    a\n" * (n // 6),
    # Whitespace and lines.
    "150,000 spaces in a sentence": lambda n: "One sentence. " + " " * (n * 3 // 2) + "Another.",
    "word spaces word": lambda n: "Figure" + " " * n + "to be described.",
    "newlines": lambda n: "A sentence.\n" + "\n" * n + "Another.",
    "space-newline": lambda n: "A. " + " \n" * (n // 2) + "B:",
    "tabs": lambda n: "A:" + "\t" * n + "b",
    "lines of a": lambda n: "a\n" * (n // 2),
    "10,000 short lines": lambda n: "Word, word\n" * min(n // 11, 10_000),
    # Words, sentences and the things the checks and hints look for.
    ": ×n": lambda n: ":" * n,
    "a: ×n": lambda n: "a:" * (n // 2),
    "word colon": lambda n: "Possible causes include " * (n // 24) + ":",
    ". ×n": lambda n: ". " * (n // 2),
    "one long word": lambda n: "a" * n,
    "long words": lambda n: ("supercalifragilistic" * 50 + " ") * (n // 1001),
    "words": lambda n: "word " * (n // 5),
    "nonsense words": lambda n: _nonsense(n),
    "glossary terms": lambda n: "myoclonus muscle twitching " * (n // 27),
    "percentages": lambda n: "10% " * (n // 4),
    '" ×n': lambda n: '"' * n,
    "a-b ×n": lambda n: "a-" * (n // 2),
    "http ×n": lambda n: "http://" * (n // 7),
    "doi ×n": lambda n: "doi:10." * (n // 7),
    "(c) ×n": lambda n: "(c) " * (n // 4),
    "bullets": lambda n: "• a\n" * (n // 4),
    "2020 ×n": lambda n: "2020 " * (n // 5),
    # Characters: NUL, invisible, combining, expanding under NFKC, emoji.
    "NUL ×n": lambda n: "\x00" * n,
    "zero-width ×n": lambda n: "a\u200b" * (n // 2),
    "combining ×n": lambda n: "e" + "\u0301" * n,
    "NFKC-expanding ×n": lambda n: "\ufdfa" * n,
    "right-to-left ×n": lambda n: "\u202e\u0627" * (n // 2),
    "emoji ×n": lambda n: "\U0001f600" * n,
    # A fixed mix of everything above, in short runs.
    "mixed": lambda n: _mixed(n),
}


def _nonsense(n):
    """Words of 7 letters no dictionary has, all different: each one's
    syllables are counted by hyphenation patterns, not looked up."""
    rng = random.Random(25)
    return " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(n // 8)
    )


def _mixed(n):
    """Short runs of every delimiter and whitespace kind, in an order that
    is random but the same every run."""
    pieces = [
        "[", "](", "![", "*", "_", "`", "~", "<", ">", "|", "#", "-", "+", "1.", "\\", "&#",
        "(", ")", " ", "\t", "\n", "\n\n", "  - ", "> ", "word ", ": ",
    ]  # fmt: skip
    rng = random.Random(25)
    out, length = [], 0
    while length < n:
        run = rng.choice(pieces) * rng.randint(1, 50)
        out.append(run)
        length += len(run)
    return "".join(out)[:n]


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
    """A Spanish body's reading levels (saved with each revision) and the
    editor's report on it (English: the preview and the content checks)."""
    from conditions.review import readability

    readability.for_snapshot({"sections": [{"kind": "causes", "body": text}]}, "es")
    readability.section_report(text, language="es")


def _glossary(text):
    from conditions.review import readability

    return readability.hard_words(text, GLOSSARY)


def _importer(text):
    from conditions.importer import ArticleImportError, parse_article
    from conditions.importer.source import MAX_LINE

    # A file's lines are at most MAX_LINE characters (longer ones are
    # refused at once): a text with longer lines is cut into lines of
    # 1,000, as a file would bring it.
    if max(map(len, text.split("\n"))) > MAX_LINE:
        text = "\n".join(text[i : i + 1000] for i in range(0, len(text), 1000))
    # Refusing with a reason is an answer too.
    with contextlib.suppress(ArticleImportError):
        parse_article(text.encode(), name="hostile.txt", known_drugs=["aspirin"])


def _email(text):
    """A newsletter summary or intro: the email's plain-text and HTML parts,
    and the teaser that cards, the home page and search show."""
    from healthlib.lib.markdown import render_markdown
    from newsletter import emails
    from newsletter.models import Edition, ResearchSummary

    emails.markdown_as_text(text)
    html = render_markdown(text)
    emails.wrap_html(emails.absolutize_html(html))
    ResearchSummary(edition=Edition(title="An edition"), body_html=html).teaser  # noqa: B018


def _search_query(text):
    """What a reader types into the search box, in each language."""
    from conditions.search import query

    query.parse(text)
    query.parse(text, "es")


def _search_index(text):
    """A body as the search index stores it, and a result's snippet."""
    from conditions.search import documents
    from conditions.search.highlight import marked_snippet, to_html
    from conditions.search.languages import get
    from healthlib.lib.markdown import render_markdown

    plain = documents.html_to_text(render_markdown(text))
    to_html(marked_snippet(plain, {"word", "twitch"}, get("es")))


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
    "search query": _search_query,
    "search index, snippet": _search_index,
    "revision compare": _compare,
}


def clear_caches():
    """Forget the parsed bodies, textstat's per-text results and Pyphen's
    per-word ones, so a text measured by an earlier path is not a cache hit
    for the next one."""
    import pyphen

    from healthlib.lib import markdown

    markdown._parse.cache_clear()
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat"):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    for hyphenation in pyphen.hdcache.values():
        hyphenation.cache.clear()  # every word it has hyphenated


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


def measure(paths, patterns, size, report=None):
    """[(path, slowest pattern, its CPU seconds)] for each of ``paths``;
    ``report(path, pattern, seconds)`` is called after every measurement."""
    rows = []
    for path in paths:
        times = {}
        for name in patterns:
            times[name] = cpu_seconds(path, PATTERNS[name](size))
            if report:
                report(path, name, times[name])
        worst = max(times, key=times.get)
        rows.append((path, worst, times[worst]))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--path", action="append", choices=PATHS, help="only this text path")
    parser.add_argument("--pattern", action="append", choices=PATTERNS, help="only this input")
    parser.add_argument("--all", action="store_true", help="print every measurement")
    args = parser.parse_args()
    setup_django()
    warm_up()

    def report(path, name, seconds):
        print(f"    {path:24} {name:30} {seconds:6.3f}", flush=True)

    rows = measure(args.path or PATHS, args.pattern or PATTERNS, args.size, args.all and report)
    slowest = max(rows, key=lambda row: row[2])
    rows.append(("Overall max", f"{slowest[1]} ({slowest[0]})", slowest[2]))
    heading = f"Slowest input at {args.size:,} chars"
    width = max(len(heading), *(len(worst) for _, worst, _ in rows)) + 2
    print(f"\n{'Text path':24}{heading:{width}}CPU s")
    for path, worst, seconds in rows:
        print(f"{path:24}{worst:{width}}{seconds:5.2f}")
    seconds = slowest[2]
    if seconds >= BUDGET:
        sys.exit(f"Over the budget of {BUDGET:g} s of CPU per path and input.")


if __name__ == "__main__":
    main()
