# Sáng kiến số — the two commands a new machine needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test e2e serve install translations extract-messages update-messages lint format migrate clean-db bench help

help:
	@echo "make run     set up, migrate, seed the demo and serve http://$(HOST):$(PORT)"
	@echo "make test    lint (ruff) and the test suite (SQLite; PostgreSQL with TEST_DATABASE_URL)"
	@echo "make e2e     browser journeys in Chromium"
	@echo "make serve   gunicorn, production-like"

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

# Compiled catalogs are build output (.mo files are not committed).
translations: install
	@$(BIN)/pybabel compile --use-fuzzy -d app/translations -f >/dev/null 2>&1 || $(BIN)/pybabel compile -d app/translations

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

migrate: translations
	$(BIN)/flask db upgrade

run: migrate
	$(BIN)/flask demo seed --if-empty
	@echo
	@echo "Sáng kiến số is starting on http://$(HOST):$(PORT)"
	@$(BIN)/flask demo logins
	@echo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: translations
	$(BIN)/ruff check .
	$(BIN)/pytest -m "not e2e" -n $${TEST_WORKERS:-2} $(PYTEST_ARGS)

e2e: translations
	$(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

serve: migrate
	APP_ENV=production $(BIN)/gunicorn --workers $${WORKERS:-2} --bind $(HOST):$${PORT:-8000} \
	  --access-logfile - 'app:create_app()'

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

clean-db:
	rm -f instance/sangkienso.db instance/sangkienso.db-wal instance/sangkienso.db-shm
