"""The importer's vocabulary, one table per language: ``en.py``, ``es.py``.

A language of ``settings.LANGUAGES`` is importable when a module of its code
is here, with the names ``en.py`` has (``conditions.importer.vocabulary``
compiles it). Adding a language is adding a table, not code.
"""
