""" "Did you mean …?" from the titles and alternate names of live articles.

The names are loaded once per publish: a version kept in the cache changes
whenever the index does (``invalidate``), and each process rebuilds its
in-memory lookup when it sees a new version. A trigram prefilter keeps the
difflib comparison to a few dozen candidates however large the library is.
"""

import difflib
import threading
import uuid
from collections import Counter, defaultdict

from django.conf import settings
from django.db import transaction

from healthlib.pagecache import tag_cache

from ..models import Condition
from ..selectors import base_language, letter_of, letters
from .query import STOP_WORDS, _words, clean

VERSION_KEY = "conditions:search:names-version"
CUTOFF = 0.75
CANDIDATES = 40

_lock = threading.Lock()
_loaded = {"version": None, "names": None, "words": None, "letters": None}


def invalidate():
    """Called when the set of live articles changes. Dropped again after
    commit, so a rebuild that read the old names meanwhile is not kept."""
    tag_cache().delete(VERSION_KEY)
    transaction.on_commit(lambda: tag_cache().delete(VERSION_KEY))


def _grams(text):
    padded = f"  {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Fuzzy:
    """Close matches among many strings."""

    def __init__(self, strings):
        self.keys = []  # normalized
        self.values = []  # as shown
        self.postings = defaultdict(list)
        seen = set()
        for value in strings:
            key = " ".join(value.casefold().split())
            if not key or key in seen:
                continue
            seen.add(key)
            n = len(self.keys)
            self.keys.append(key)
            self.values.append(value)
            for gram in _grams(key):
                self.postings[gram].append(n)
        self.exact = {key: n for n, key in enumerate(self.keys)}

    def best(self, text, cutoff=CUTOFF):
        key = " ".join(text.casefold().split())
        if not key:
            return None
        if key in self.exact:
            return self.values[self.exact[key]]
        shared = Counter()
        for gram in _grams(key):
            shared.update(self.postings.get(gram, ()))
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(key)
        best, best_ratio = None, cutoff
        for n, _ in shared.most_common(CANDIDATES):
            matcher.set_seq1(self.keys[n])
            if (
                matcher.real_quick_ratio() >= best_ratio
                and matcher.quick_ratio() >= best_ratio
                and (ratio := matcher.ratio()) >= best_ratio
            ) and (ratio > best_ratio or best is None):
                best, best_ratio = self.values[n], ratio
        return best


def _load():
    names_in = defaultdict(list)
    rows = Condition.objects.live(None).values_list("language", "title", "alternate_names")
    for language, title, alternates in rows:
        names_in[language].append(title)
        names_in[language].extend(n.strip() for n in alternates.splitlines() if n.strip())
    names = names_in[settings.LANGUAGE_CODE]
    words = {w for name in names for w in _words(name) if len(w) >= 4 and not w.isdigit()}
    # Each language's A–Z: its own articles, its own letters (Ñ in Spanish).
    by_language = {}
    for code, _ in settings.LANGUAGES:
        used = {letter_of(name, code) for name in names_in[code]}
        by_language[code] = [x for x in letters(code) if x in used]
    return Fuzzy(names), Fuzzy(sorted(words)), by_language


def _lookups():
    # The shared store of the page cache's versions: every worker process
    # sees the change, even with the local-memory cache.
    cache = tag_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    with _lock:
        if _loaded["version"] != version or _loaded["names"] is None:
            _loaded["names"], _loaded["words"], _loaded["letters"] = _load()
            _loaded["version"] = version
        return _loaded["names"], _loaded["words"], _loaded["letters"]


def available_letters(language=None):
    """The A–Z letters that have articles (as ``selectors.az_index``), from
    the same per-publish names, without loading the whole index."""
    by_language = _lookups()[2]
    return by_language.get(base_language(language), by_language[settings.LANGUAGE_CODE])


def did_you_mean(text):
    """A better query than ``text``, or None: the closest article title or
    alternate name, else the query with each misspelt word corrected."""
    text = clean(text)
    if len(text) < 4:
        return None
    names, words, _ = _lookups()
    name = names.best(text)
    if name is not None:
        return None if name.casefold() == text.casefold() else name
    corrected, changed = [], False
    for word in _words(text):
        fixed = None
        if len(word) >= 4 and word not in STOP_WORDS and word not in words.exact:
            fixed = words.best(word)
        corrected.append(fixed or word)
        changed = changed or fixed is not None
    return " ".join(corrected) if changed else None
