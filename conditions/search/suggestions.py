""" "Did you mean …?" from the titles and alternate names of live articles,
in the language searched: a Spanish query is corrected from the Spanish
articles' names, accents compared folded ("mioclonia" is "Mioclonía").

The names are loaded once per publish: a version kept in the cache changes
whenever the index does (``invalidate``), and each process rebuilds its
in-memory lookup when it sees a new version. A trigram prefilter keeps the
difflib comparison to a few dozen candidates however large the library is.
"""

import difflib
import threading
import uuid
from collections import Counter, defaultdict

from django.db import transaction

from conditions.models import Condition
from conditions.search import languages
from conditions.search.query import _words, clean
from conditions.selectors.alphabet import base_language, letter_of, letters
from healthlib.lib.pagecache import tag_cache

VERSION_KEY = "conditions:search:names-version"
CUTOFF = 0.75
CANDIDATES = 40

_lock = threading.Lock()
# {language: (version, names, words, letters)}
_loaded = {}


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

    def __init__(self, strings, normalize=str.casefold):
        self.normalize = normalize
        self.keys = []  # normalized
        self.values = []  # as shown
        self.postings = defaultdict(list)
        seen = set()
        for value in strings:
            key = " ".join(normalize(value).split())
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
        key = " ".join(self.normalize(text).split())
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


def _normalizer(language):
    # English as before (case only); the other languages without accents,
    # as their search compares words.
    return str.casefold if not languages.get(language).stemmed else languages.fold


def _load(language):
    names = []
    live = Condition.objects.live(language=language)
    for title, alternates in live.values_list("title", "alternate_names"):
        names.append(title)
        names.extend(n.strip() for n in alternates.splitlines() if n.strip())
    words = {w for name in names for w in _words(name) if len(w) >= 4 and not w.isdigit()}
    # The language's A–Z: its own articles, its own letters (Ñ in Spanish).
    used = {letter_of(name, language) for name in names}
    normalize = _normalizer(language)
    return (
        Fuzzy(names, normalize),
        Fuzzy(sorted(words), normalize),
        [x for x in letters(language) if x in used],
    )


def _lookups(language=None):
    # The active language by default; a region ("es-mx") is its language's.
    language = languages.get(base_language(language)).code
    # The shared store of the page cache's versions: every worker process
    # sees the change, even with the local-memory cache.
    cache = tag_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    with _lock:
        loaded = _loaded.get(language)
        if loaded is None or loaded[0] != version:
            loaded = _loaded[language] = (version, *_load(language))
        return loaded[1:]


def available_letters(language=None):
    """The A–Z letters that have articles in ``language`` (as
    ``selectors.az_index``), from the same per-publish names, without
    loading the whole index."""
    return _lookups(language)[2]


def did_you_mean(text, language=None):
    """A better query than ``text`` in ``language`` (English when None), or
    None: the closest article title or alternate name, else the query with
    each misspelt word corrected."""
    text = clean(text)
    if len(text) < 4:
        return None
    language = languages.get(base_language(language)).code
    names, words, _ = _lookups(language)
    name = names.best(text)
    if name is not None:
        same = names.normalize(name) == names.normalize(text)
        return None if same else name
    # Common words are never corrected.
    is_stop_word = languages.get(language).is_stop_word
    corrected, changed = [], False
    for word in _words(text):
        fixed = None
        if len(word) >= 4 and not is_stop_word(word) and words.normalize(word) not in words.exact:
            fixed = words.best(word)
        corrected.append(fixed or word)
        changed = changed or fixed is not None
    return " ".join(corrected) if changed else None
