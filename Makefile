# Fair Passage: `make run` serves a demo on http://127.0.0.1:8000/, `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FP := $(BIN)/fairpassage
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run setup messages test lint typecheck contracts migrations-check \
        translations-check openapi openapi-check clean-reports bench pytest pytest-postgres e2e e2e-deps makemessages clean \
        fuzz loadtest

help:
	@echo "make run    install, migrate, load reference data and a demo, serve on $(HOST):$(PORT)"
	@echo "            with one task worker (Procfile)"
	@echo "make test   lint, types, import contract, migrations, translations, OpenAPI, tests"
	@echo "            (PostgreSQL too when TEST_DATABASE_URL is set; browser tests with $(CHROMIUM))"
	@echo "make bench  throughput of the law engine beside a baseline measured in the same run"
	@echo "make fuzz   the API schema and import fuzzing with many more examples than make test"
	@echo "make loadtest  p95 of five endpoints at 50 users, one then two servers behind HAProxy"

$(STAMP): pyproject.toml constraints.txt
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

install: $(STAMP)

messages: install
	@$(PY) manage.py compilemessages --ignore '.venv' -v 0

setup: messages
	$(FP) setup

run: setup
	@echo "Fair Passage: http://$(HOST):$(PORT)/ and one task worker (Ctrl-C stops both)"
	PATH="$(abspath $(BIN)):$$PATH" HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start -f Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

contracts: install
	$(BIN)/lint-imports

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

makemessages: install
	$(PY) tools/translations.py update

translations-check: install
	$(PY) tools/translations.py check

openapi: install
	$(FP) openapi > docs/api/openapi.json

openapi-check: install
	$(FP) openapi --check docs/api/openapi.json

pytest: messages
	FAIRPASSAGE_ENV=test $(BIN)/pytest -m "not e2e" --junitxml=var/junit-sqlite.xml

pytest-postgres: messages
	@if [ -n "$${TEST_DATABASE_URL:-}" ]; then \
	  echo "== the same suite on PostgreSQL ($${TEST_DATABASE_URL%%@*}@…)"; \
	  FAIRPASSAGE_ENV=test DATABASE_URL="$$TEST_DATABASE_URL" $(BIN)/pytest -m "not e2e" \
	    --junitxml=var/junit-postgres.xml; \
	else \
	  echo "== PostgreSQL: TEST_DATABASE_URL is not set, the PostgreSQL run is skipped (.ci/run sets it)"; \
	fi

E2E_NODE := tests/e2e/node_modules
AXE_JS := $(E2E_NODE)/axe-core/axe.min.js

# The browser suite's test dependencies (axe-core), installed from tests/e2e/package-lock.json.
e2e-deps:
	@command -v npm >/dev/null || { echo "!! npm is missing: install nodejs and npm to run the browser tests" >&2; exit 1; }
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@test -f $(AXE_JS) || { echo "!! $(AXE_JS) is missing after npm ci" >&2; exit 1; }

e2e: messages
	@if [ -x "$(CHROMIUM)" ]; then \
	  $(MAKE) --no-print-directory e2e-deps && \
	  FAIRPASSAGE_ENV=test $(BIN)/pytest -m e2e tests/e2e --junitxml=var/junit-e2e.xml; \
	else \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	  echo "!! BROWSER TESTS NOT RUN: $(CHROMIUM) is missing (apt-get install chromium). !!"; \
	  echo "!! CI always runs them.                                                     !!"; \
	  echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

test: clean-reports lint typecheck contracts migrations-check translations-check messages openapi-check \
      pytest pytest-postgres e2e
	@$(PY) tools/test_summary.py var/junit-sqlite.xml var/junit-postgres.xml var/junit-e2e.xml

fuzz: messages
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-300} $(BIN)/pytest -q -p no:cacheprovider tests/fuzz

LOAD_STAMP := $(VENV)/.installed-load
$(LOAD_STAMP): $(STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,load]'
	@touch $@

loadtest: messages $(LOAD_STAMP)
	$(PY) tools/loadtest/run.py $(LOADTEST_ARGS)

bench: install
	FAIRPASSAGE_ENV=test $(PY) -m tests.bench.run

clean-reports:
	@mkdir -p var && rm -f var/junit-*.xml

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
