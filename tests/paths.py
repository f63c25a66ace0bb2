"""Where things are, for the tests that read files: the repository and the
test data folders. Tests move with the code they test; these do not, so
nothing counts its way up from ``__file__``."""

from pathlib import Path

# The repository (manage.py, the Makefile, the apps, docs/).
ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
# Plain-text articles the importer has never seen (es/: in Spanish).
ARTICLES = TESTS / "conditions" / "articles"
# The API's recorded answers (tests/conditions/api/test_views_golden.py).
API_GOLDEN = TESTS / "conditions" / "api_golden"
# FHIR R4 resources as an EHR sends them to the CDS Hooks services.
FHIR = TESTS / "conditions" / "fhir"
# The article page's template from before stored pages, to compare with.
LEGACY = TESTS / "conditions" / "legacy"
# Answers shaped like MedlinePlus Connect's (tests/conditions/api/test_infobutton.py).
MEDLINEPLUS_CONNECT = TESTS / "conditions" / "medlineplus_connect"
