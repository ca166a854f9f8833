# One entry point for every task. Only Python 3.11+ and make are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
HOST ?= 127.0.0.1
PORT ?= 8000
LOCALE := service/i18n/locale

.PHONY: serve test lint format validate bench docs clean i18n-update i18n-compile i18n-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m service.i18n compile
	touch $(STAMP)

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

serve: $(STAMP)
	$(BIN)/reintegra serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP) i18n-check
	$(BIN)/ruff check service tests benchmarks
	$(BIN)/ruff format --check service tests benchmarks
	$(BIN)/lint-imports

# Translations: extract the words into the template and merge it into every language's .po
# (new or changed entries come back empty or fuzzy for translators), compile, check.
i18n-update: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -c TRANSLATORS: --project=Reintegra \
		--copyright-holder="the Reintegra partnership" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel --quiet update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages --ignore-obsolete
	$(BIN)/python -m service.i18n compile

i18n-compile: $(STAMP)
	$(BIN)/python -m service.i18n compile

i18n-check: $(STAMP)
	$(BIN)/python -m service.i18n check

format: $(STAMP)
	$(BIN)/ruff format service tests benchmarks
	$(BIN)/ruff check --fix service tests benchmarks

validate: $(STAMP)
	$(BIN)/reintegra validate

bench: $(BENCH_STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

docs: $(STAMP)
	$(BIN)/reintegra docs site

clean:
	rm -rf $(VENV) data site
