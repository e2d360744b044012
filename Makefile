# The commands README.md names. Everything runs from .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
WORKERS ?= 4
N ?= 100000

.PHONY: run serve test lint format bench db migrate clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

migrate: $(VENV)/.installed
	mkdir -p instance
	$(FLASK) db upgrade

# The demo world, on an empty database only (seed-demo skips a database that holds data).
db: migrate
	@if [ "$${TRACKER_DEMO:-1}" != "0" ]; then $(FLASK) seed-demo; fi

run: db
	@echo "tracker on http://127.0.0.1:$(PORT)  (demo accounts: see README.md)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: migrate, never seed.
serve: migrate
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - 'wsgi:app'

test: $(VENV)/.installed-dev
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache
