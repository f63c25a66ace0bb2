"""The read-only JSON API over published articles (see ``openapi`` for the
contract, served at /api/openapi.json)."""

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
