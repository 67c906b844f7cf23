# consult — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app app

.PHONY: run test test-postgres bench lint translations extract-messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

translations: $(VENV)/.run-installed
	$(BIN)/pybabel compile -d consult/translations 2>&1 | grep -v "^compiling" || true

## Set up, migrate the embedded SQLite database, load the demo if empty, and serve.
run: $(VENV)/.run-installed translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --port $(PORT)

## Set up and run the whole suite (SQLite; TEST_DATABASE_URL=postgresql+psycopg://… for PostgreSQL).
test: $(VENV)/.dev-installed translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.dev-installed translations
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev-installed translations
	@for script in bench/bench_*.py; do [ -e "$$script" ] || continue; $(BIN)/python $$script || exit 1; done

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

## Collect every UI string into the catalogue and merge it into each language.
extract-messages: $(VENV)/.dev-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o consult/translations/messages.pot .
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache
