# Sinergi: `make run` sets everything up and serves http://127.0.0.1:5000; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed

.PHONY: run test test-pg test-pg-all e2e lint format i18n translations db setup clean bench

# Test workers (pytest-xdist): one per core by default; PYTEST_WORKERS=0 runs in one process.
# Each module is one group (its world is built once, on one worker); see docs/testing.md.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadgroup
PG_TEST_URI ?= postgresql+psycopg://postgres@127.0.0.1:5432/portal_test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

instance/config.py:
	@mkdir -p instance
	@$(BIN)/python -c "import secrets; print('SECRET_KEY = ' + repr(secrets.token_urlsafe(48)))" > instance/config.py
	@echo "Wrote a generated SECRET_KEY to instance/config.py"

translations: $(STAMP)
	$(BIN)/pybabel compile -d translations

db: $(STAMP) instance/config.py translations
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty

setup: db

run: setup
	$(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(PYTEST)

# The suite on PostgreSQL (the database in PG_TEST_URI must exist; each worker makes its own
# next to it), less the db_independent crawls, which `make test` runs on SQLite.
test-pg: $(STAMP) translations
	PORTAL_TEST_DATABASE_URI=$${PORTAL_TEST_DATABASE_URI:-$(PG_TEST_URI)} $(PYTEST) --ignore=tests/e2e

# Everything on PostgreSQL, the db_independent crawls included.
test-pg-all: $(STAMP) translations
	PORTAL_TEST_ALL_DATABASES=1 PORTAL_TEST_DATABASE_URI=$${PORTAL_TEST_DATABASE_URI:-$(PG_TEST_URI)} $(PYTEST) --ignore=tests/e2e

e2e: $(STAMP) translations
	PORTAL_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/e2e

# Throughput of the key pages against the B0/B1 baselines (docs/performance.md). Creates the
# city-scale database when missing. Options: make bench BENCH_ARGS="--database postgresql --quick"
bench: $(STAMP) instance/config.py translations
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check portal tests migrations scripts wsgi.py
	$(BIN)/ruff format --check portal tests scripts wsgi.py
	$(BIN)/python scripts/import_graph.py > /dev/null

format: $(STAMP)
	$(BIN)/ruff format portal tests scripts wsgi.py
	$(BIN)/ruff check --fix portal tests scripts wsgi.py

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* __pycache__" -k _l -k _lp:1c,2 -k lazy_gettext -k lazy_ngettext:1,2 -o messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
