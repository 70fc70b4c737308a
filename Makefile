# Sinergi: `make run` sets everything up and serves http://127.0.0.1:5000; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
STAMP := $(VENV)/.installed

.PHONY: run test test-pg e2e lint format i18n translations db setup clean bench

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
	$(BIN)/python -m pytest -q

test-pg: $(STAMP) translations
	PORTAL_TEST_DATABASE_URI=$${PORTAL_TEST_DATABASE_URI:-postgresql+psycopg://postgres@127.0.0.1:5432/portal_test} $(BIN)/python -m pytest -q

e2e: $(STAMP) translations
	PORTAL_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -q tests/e2e

# Throughput of the key pages against the B0/B1 baselines (docs/performance.md). Creates the
# city-scale database when missing. Options: make bench BENCH_ARGS="--database postgresql --quick"
bench: $(STAMP) instance/config.py translations
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check portal tests migrations scripts wsgi.py
	$(BIN)/ruff format --check portal tests scripts wsgi.py

format: $(STAMP)
	$(BIN)/ruff format portal tests scripts wsgi.py
	$(BIN)/ruff check --fix portal tests scripts wsgi.py

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* __pycache__" -k _l -k lazy_gettext -k lazy_ngettext:1,2 -o messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
