# healthlib: `make run` serves the demo, `make test` runs the suite.
# Both start from a fresh clone: they create .venv and install what they need.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
DEV    := DJANGO_DEBUG=1
# Python writes its compiled modules (__pycache__), and pytest its rewritten
# test modules, even where the environment says not to
# (PYTHONDONTWRITEBYTECODE, set on some CI machines): otherwise every test
# process, and every worker or command a test starts, compiles the whole
# project and suite again (about 30 s per process on two cores).
export PYTHONDONTWRITEBYTECODE :=
# The suite runs in parallel, one process per core (pytest-xdist);
# `make test PYTEST_ARGS='-n0 tests/...'` runs part of it in one process.
PYTEST_ARGS ?= -n auto --dist worksteal

# The interface's translations: the committed .po files compiled to .mo
# (manage.py compile_translations, with Babel: no GNU gettext needed).
MO     := $(patsubst %.po,%.mo,$(wildcard */locale/*/LC_MESSAGES/*.po))

# From the npm registry (tests/e2e/package-lock.json): axe-core for the
# accessibility tests, the Nu Html Checker and Lighthouse for `make judges`.
# No install scripts: vnu-jar's would download a Java runtime.
AXE    := tests/e2e/node_modules/.installed

.PHONY: run test e2e judges lint format docs serve bench clean

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "healthlib needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

%.mo: %.po | $(STAMP)
	$(DEV) $(BIN)/python manage.py compile_translations

# One command, two processes: a task worker (sending, emails, scheduled
# publishing, link checks) beside the development server. Ctrl-C reaches
# both (one process group); the trap also stops the worker if the server
# exits on its own.
run: $(STAMP) $(MO)
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/python manage.py worker & worker=$$!; \
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

$(AXE): tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/e2e --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility tests will skip (see docs/development.md)"; fi

# The end-to-end tests run when Chromium is installed and skip, saying why, when not.
test: $(STAMP) $(MO) $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: $(STAMP) $(MO) $(AXE)
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

# The Nu Html Checker and Lighthouse on the readers' pages of the demo, served
# by the production stack from a database of their own (.ci/outside_judges.py).
# Needs Java, Node and Chromium.
judges: $(STAMP) $(MO) $(AXE)
	$(BIN)/python .ci/outside_judges.py

# Production stack on this machine: gunicorn and one task worker, started
# again whenever it exits (it outlives database and Redis outages itself;
# this covers a crash or a kill). Set
# DJANGO_SECRET_KEY (and DATABASE_URL, CACHE_URL, TASKS_URL,
# DJANGO_ALLOWED_HOSTS, SITE_URL) first; see docs/deployment.md.
serve: $(STAMP) $(MO)
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make serve: set DJANGO_SECRET_KEY first (see docs/deployment.md)"; exit 2; }
	DJANGO_DEBUG=0 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=0 $(BIN)/python manage.py collectstatic --noinput -v0
	@test -n "$$ANYMAIL_WEBHOOK_SECRET" || echo "make serve: warning: ANYMAIL_WEBHOOK_SECRET is not set, so the email providers' bounce and complaint webhooks refuse every request (docs/security.md)"
	@test -n "$$NEWSLETTER_POSTAL_ADDRESS" || echo "make serve: warning: NEWSLETTER_POSTAL_ADDRESS is not set, so newsletter emails carry no postal address (docs/newsletter.md)"
	DJANGO_DEBUG=0 DJANGO_SILENCED_CHECKS=newsletter.W001,newsletter.W002 $(BIN)/python manage.py check --deploy --fail-level WARNING
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	( trap 'kill $$pid 2>/dev/null; wait $$pid; exit 0' TERM; \
	  while :; do \
	    DJANGO_DEBUG=0 $(BIN)/python manage.py worker & pid=$$!; wait $$pid; \
	    echo "make serve: the task worker exited ($$?); starting it again in 5 s" >&2; \
	    sleep 5; \
	  done ) & worker=$$!; \
	DJANGO_DEBUG=0 $(BIN)/gunicorn -c healthlib/gunicorn.conf.py healthlib.wsgi

bench: $(STAMP)
	$(BIN)/python bench/load.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The documentation (Sphinx + MyST Markdown, docs/) as HTML in docs/_build/html.
# Any warning fails the build: a broken link between pages, a missing anchor,
# a page left out of the table of contents.
docs: $(STAMP)
	$(BIN)/sphinx-build -b html -W --keep-going -n -q docs docs/_build/html

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache tests/e2e/node_modules tests/e2e/screenshots docs/_build
