"""Importing articles from plain text (the seed's scraped format).

``parse_article`` is pure: bytes in, a snapshot-shaped dict and a report
out. ``import_article`` writes the result through ``conditions.services``.
"""

from conditions.importer.parser import ParsedArticle, parse_article, title_from_filename
from conditions.importer.source import ArticleImportError
from conditions.importer.writer import ImportResult, import_article, import_translation, save_parsed

__all__ = [
    "ArticleImportError",
    "ImportResult",
    "ParsedArticle",
    "import_article",
    "import_translation",
    "parse_article",
    "save_parsed",
    "title_from_filename",
]
