"""Markdown for article and newsletter bodies: render, sanitize, inspect.

Bodies are CommonMark without raw HTML. Links to other articles are written
``[text](article:slug)``. Rendered HTML always passes through nh3, so even a
bug in the renderer cannot put a script on a reader's page.
"""

import gc
import html
import re
from bisect import bisect_left
from contextlib import contextmanager
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import unquote

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from markdown_it import MarkdownIt, helpers

ARTICLE_SCHEME = "article:"
ALLOWED_TAGS = {
    "p", "br", "ul", "ol", "li", "a", "strong", "em", "b", "i", "h3", "h4", "h5", "h6",
    "blockquote", "code", "pre", "hr", "sub", "sup", "abbr",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# The longest body (an article section, a newsletter summary or intro) an
# editor may save: ten times the longest section of the seed articles, and
# small enough that every path that reads a body (rendering, checks,
# readability, email, search) stays well under a second or two on it
# (bench/text_paths.py).
BODY_MAX_LENGTH = 100_000


def validate_body_length(value):
    """A form error, not a hung worker, for a body past BODY_MAX_LENGTH."""
    if len(value or "") > BODY_MAX_LENGTH:
        raise ValidationError(
            gettext("Keep this to %(limit)s characters or fewer; it has %(length)s.")
            % {
                "limit": number_format(BODY_MAX_LENGTH, force_grouping=True),
                "length": number_format(len(value), force_grouping=True),
            },
            code="max_length",
        )


_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
_SLUG_PLACEHOLDER = "article-slug-placeholder"


@lru_cache(maxsize=1)
def _article_path_re(url_name):
    """A pattern for links typed as an article's path (``/conditions/x/``),
    made from the URL pattern named ``url_name`` on first use."""
    prefix, _, suffix = reverse(url_name, args=[_SLUG_PLACEHOLDER]).partition(_SLUG_PLACEHOLDER)
    return re.compile(
        rf"^{re.escape(prefix)}([-a-zA-Z0-9_]+){re.escape(suffix.rstrip('/'))}/?(?:#.*)?$"
    )


def _article_url_name():
    """The URL name of the article page (``settings.MARKDOWN_ARTICLE_URL``,
    set where the project composes its apps; this module names no app)."""
    return getattr(settings, "MARKDOWN_ARTICLE_URL", None)


def article_path(target):
    """The address of the article an ``article:slug`` link names, or None.

    The one place such links are resolved (pages, emails, plain text): a
    target that is not a valid slug (``article:parkinson's-disease``) has no
    address, and every caller shows its text without a link rather than
    fail.
    """
    slug = target[len(ARTICLE_SCHEME) :] if target.startswith(ARTICLE_SCHEME) else target
    slug = slug.strip("/")
    url_name = _article_url_name()
    if not _SLUG_RE.match(slug) or url_name is None:
        return None
    return reverse(url_name, args=[slug])


def invalid_article_links(text):
    """The ``article:`` link targets in a Markdown body that name no valid
    slug, for forms to refuse before such a body is saved."""
    invalid = []
    for block in parse(text):
        for token in block.children or ():
            # The parser percent-encodes targets; the meta has what was typed.
            href = token.meta.get("invalid_article_link") if token.type == "link_open" else None
            if href and href not in invalid:
                invalid.append(href)
    return invalid


def _unclosable_label(state):
    """True when the ``[`` at ``state.pos`` (or the one after ``!``) cannot
    start a link: no ``]`` follows it before the end of the inline content.

    A label without a ``]`` can never close, so the answer is known without
    the scan ``_label_end`` makes. The positions of ``]`` are listed once
    per inline content (one per paragraph) and kept on its state.
    """
    closes = getattr(state, "_label_closes", None)
    if closes is None:
        closes = [m.start() for m in re.finditer(r"\]", state.src)]
        state._label_closes = closes
    index = bisect_left(closes, state.pos + 1)
    return index == len(closes) or closes[index] >= state.posMax


def _skip_unclosable(rule):
    """``rule`` (link or image), answering "no link here" at once where the
    label cannot close; the same answer it would give, only sooner."""

    def fast_rule(state, silent):
        if state.src[state.pos] in "[!" and _unclosable_label(state):
            return False
        return rule(state, silent)

    return fast_rule


def _label_end(state, start, disableNested=False):  # noqa: N803 (markdown-it's name)
    """markdown-it's ``parseLinkLabel``, giving the same answers, with each
    label's end remembered.

    markdown-it finds where the label opened at ``start`` ends by stepping
    over one inline token at a time, counting the ``[`` and ``]`` that are
    plain text, until the count is back to zero. The steps are cached, but
    the scan is made again from every ``[``: 100 KB of ``[`` closed by one
    ``]`` took 2 s of CPU (issue 25), most of it spent re-reading the same
    steps. One scan shows where every plain ``[`` it passes closes (a
    ``]`` closes the latest open one) or that it never does, so each of
    them is remembered and its own scan, which would read the same steps to
    the same end, is not made; and a scan that meets a ``[`` whose end is
    known goes straight there (or stops: a label around one that never
    closes cannot close either). The answers are per inline content and per
    end of the text scanned (``posMax``, shorter inside a link's words).
    """
    ends = getattr(state, "_label_ends", None)
    if ends is None:
        ends = state._label_ends = {}
    known = ends.setdefault((state.posMax, disableNested), {})
    if start in known:
        return known[start]
    old_pos = state.pos
    state.pos = start + 1
    opened = [start]  # the labels this scan has seen open and not close
    end = -1
    while state.pos < state.posMax:
        marker = state.src[state.pos]
        if marker == "]":
            known[opened.pop()] = state.pos
            if not opened:
                end = state.pos
                break
        before = state.pos
        state.md.inline.skipToken(state)
        if marker == "[":
            if state.pos == before + 1:
                closes = known.get(before)
                if closes is not None and closes < 0:
                    break  # it never closes, nor can any label it is inside
                opened.append(before)
                if closes is not None:
                    state.pos = closes  # its scan read the steps to there
            elif disableNested:
                break  # a link inside: no label open here can hold it
    for label in opened:
        known[label] = -1
    state.pos = old_pos
    return end


def _skip_token(skip):
    """markdown-it's ``skipToken``, answering from its cache first (label
    scans ask it for the same steps again and again)."""

    def skip_token(state):
        cached = state.cache.get(state.pos)
        if cached is not None:
            state.pos = cached
            return
        skip(state)

    return skip_token


# The first character (after indentation) a line must have for each block
# rule to match there: markdown-it tries every rule on every line (each
# line of a paragraph, to see whether it ends the paragraph), and each
# rule logs and measures before it looks at that character.
_BLOCK_STARTS = {
    "fence": "~`",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "heading": "#",
}


def _when_line_starts_with(chars, rule):
    """Block ``rule``, answering "no" at once for a line that does not
    start with one of ``chars``; the same answer it would give, sooner."""

    def block_rule(state, start_line, end_line, silent):
        pos = state.bMarks[start_line] + state.tShift[start_line]
        if pos >= state.eMarks[start_line] or state.src[pos] not in chars:
            return False
        return rule(state, start_line, end_line, silent)

    return block_rule


def _linear(md):
    """``md`` made to take time in proportion to the text on hostile input
    (bench/text_paths.py), its answers unchanged: every change answers "no"
    sooner where markdown-it would answer "no", or remembers an answer
    instead of finding it again (``tests/healthlib/lib/test_markdown_links.py``
    compares the HTML with an unchanged parser's on generated text)."""
    for name in ("link", "image"):
        rule = next(r for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _skip_unclosable(rule.fn), {"alt": rule.alt})
    for rule in md.block.ruler.__rules__:
        if rule.name in _BLOCK_STARTS:
            starts = _when_line_starts_with(_BLOCK_STARTS[rule.name], rule.fn)
            md.block.ruler.at(rule.name, starts, {"alt": rule.alt})
    # The parser's helpers are a module every MarkdownIt shares: this one
    # gets its own namespace, with the label scan that remembers.
    md.helpers = SimpleNamespace(**{name: getattr(md.helpers, name) for name in helpers.__all__})
    md.helpers.parseLinkLabel = _label_end
    md.inline.skipToken = _skip_token(md.inline.skipToken)


def _make_parser(linear=True):
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    if linear:
        _linear(md)
    # Without raw HTML these rules only ever answer "no".
    md.disable(["image", "html_block", "html_inline"])
    md.enable("table")

    def shift_headings(state):
        # The page owns h1 (title) and h2 (section headings); a body's own
        # headings start at h3 so the outline stays in order.
        for token in state.tokens:
            if token.type in ("heading_open", "heading_close"):
                level = min(int(token.tag[1]) + 2, 6)
                token.tag = f"h{level}"

    def article_links(state):
        for block in state.tokens:
            for token in block.children or ():
                if token.type == "link_open":
                    href = token.attrGet("href") or ""
                    if href.startswith(ARTICLE_SCHEME):
                        path = article_path(href)
                        if path is None:
                            # Kept for invalid_article_links, which parses
                            # with these same rules.
                            token.meta["invalid_article_link"] = unquote(href)
                        token.attrSet("href", path or "#")

    md.core.ruler.push("shift_headings", shift_headings)
    md.core.ruler.push("article_links", article_links)
    return md


_parser = None


def parser():
    global _parser
    if _parser is None:
        _parser = _make_parser()
    return _parser


@contextmanager
def gc_paused():
    """Python's cycle collector off for a while (if it was on).

    A parse makes a few hundred thousand objects, and the collector runs
    every 700 of them, walking the young ones and, every so often, every
    object the process holds: a third of the time of parsing 100 KB of
    emphasis markers. The tokens hold no cycles; what the collector would
    have found waits for the next collection.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=1)
def _parse(text):
    with gc_paused():
        return tuple(parser().parse(text))


def parse(text):
    """The block tokens of a Markdown body, parsed once per body.

    One request handles one body many ways (the editor's preview renders it,
    scores its reading level, lists its hardest sentences, its glossary
    words and percentages; saving checks its links and gaps), and parsing
    is the costly part: the last body parsed is kept, so each of those is a
    lookup. One only: the tokens of 100 KB of list items take about 50 MB.
    The tokens are shared: read them, never change them. NUL characters are
    dropped, as they are from rendered pages.
    """
    return _parse((text or "").replace("\x00", ""))


def sanitize(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def links_open_elsewhere(fragment, base):
    """A sanitized fragment (as ``render_markdown`` makes) for a page that
    another site frames: relative links resolved against ``base`` (an
    absolute URL; ``#anchor`` links go to its anchors) and every link
    opening in a new tab, ``rel="noopener noreferrer"`` as everywhere."""
    return nh3.clean(
        fragment or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        url_relative=("rewrite_with_base", base),
        set_tag_attribute_values={"a": {"target": "_blank"}},
    )


def strip_html(fragment):
    """The text of a sanitized HTML fragment (as ``render_markdown``
    makes), tags dropped and entities decoded.

    html5ever (nh3's parser) reads it in one pass, five times faster than
    Django's ``strip_tags`` on a 100 KB body's HTML, and gives the same
    text.
    """
    return html.unescape(nh3.clean(fragment or "", tags=set()))


def render_markdown(text):
    """Markdown source to sanitized HTML."""
    if not text:
        return ""
    md = parser()
    return sanitize(md.renderer.render(list(parse(text)), md.options, {}))


def article_slugs_linked(text):
    """Slugs of the articles a Markdown body links to, in order, once each."""
    slugs = []
    for block in parse(text):
        for token in block.children or ():
            if token.type != "link_open":
                continue
            href = token.attrGet("href") or ""
            if href.startswith(ARTICLE_SCHEME):
                slug = href[len(ARTICLE_SCHEME) :].strip("/")
            else:
                url_name = _article_url_name()
                path_re = _article_path_re(url_name) if url_name else None
                match = path_re.match(href) if path_re else None
                slug = match.group(1) if match else None
            if slug and slug not in slugs:
                slugs.append(slug)
    return slugs


# A match may only start at the beginning of a sentence and may not cross
# the end of one, so each sentence is read once and the scan stays linear
# whatever the text. (The spaces before a sentence are part of the match and
# stripped after: a separate ``\s*`` before ``[^.!?:\n]*``, which matches
# spaces too, made the engine try every way of sharing a long run of spaces
# between the two, quadratic in the run's length.)
_GAP_INLINE_RE = re.compile(r"(?:(?<=[.!?:\n])|^)([^.!?:\n]*:)(?=[A-Z])")


def content_gaps(text):
    """Sentences that end in a colon with no list after them.

    In scraped articles these mark a list of links that was lost, as in
    "Possible causes include:" at the end of a paragraph, or "This can be
    done with:Pictures may be taken…" where the next sentence follows at once.
    """
    gaps = []
    tokens = parse(text)
    for i, token in enumerate(tokens):
        if token.type != "inline" or tokens[i - 1].type != "paragraph_open":
            continue
        content = token.content
        for match in _GAP_INLINE_RE.finditer(content):
            gaps.append(match.group(1).strip())
        following = tokens[i + 2] if i + 2 < len(tokens) else None
        introduces_list = following is not None and following.type in (
            "bullet_list_open",
            "ordered_list_open",
        )
        last_line = content.rstrip().splitlines()[-1] if content.strip() else ""
        if last_line.endswith(":") and not introduces_list:
            sentence = re.split(r"(?<=[.!?])\s+|(?<=:)(?=[A-Z])", last_line)[-1]
            gaps.append(sentence.strip())
    return gaps


def plain_text(text):
    """A Markdown body as readers read it, in plain text: paragraphs
    separated by blank lines, list items on their own lines with a bullet,
    links as their words. Used to compare revisions as readers see them."""
    lines = []
    ordered = []  # one entry per open list: is it numbered?
    marker = ""  # the bullet waiting for its list item's first line
    for token in parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            ordered.append(token.type == "ordered_list_open")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            ordered.pop()
            if not ordered:
                lines.append("")
        elif token.type == "list_item_open":
            bullet = f"{token.info}." if ordered[-1] and token.info else "•"
            marker = "  " * (len(ordered) - 1) + bullet + " "
        elif token.type == "inline":
            words = "".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or ()
                if child.type in ("text", "code_inline", "softbreak", "hardbreak")
            )
            lines.append(marker + words)
            marker = ""
        elif token.type in ("paragraph_close", "heading_close") and not ordered:
            lines.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
