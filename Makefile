# The commands README.md names. Everything runs from .venv, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
WORKERS ?= 4
N ?= 100000

.PHONY: run serve test lint format bench load db migrate clean translations screenshots

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

# Italian catalogues (tracker/translations/it/LC_MESSAGES/*.po, English is the source): compiled
# into .mo files (not committed) before the app runs or the tests do.
CATALOGUES := $(wildcard tracker/translations/*/LC_MESSAGES/*.po)
COMPILED := $(CATALOGUES:.po=.mo)
DOMAINS := pages code

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

# What the templates and the Python say today, merged into the catalogues: new msgids come in
# untranslated (tests/i18n fails until they are translated), vanished ones leave.
translations: $(VENV)/.installed
	for d in $(DOMAINS); do \
	  $(BIN)/pybabel -q extract -F tracker/translations/babel-$$d.cfg -c Translators: -s \
	    --no-wrap --project=tracker -o tracker/translations/$$d.pot . && \
	  $(BIN)/pybabel -q update --init-missing -l it --no-fuzzy-matching --ignore-obsolete \
	    --no-wrap -D $$d -i tracker/translations/$$d.pot -d tracker/translations || exit 1; \
	done

migrate: $(VENV)/.installed $(COMPILED)
	mkdir -p instance
	$(FLASK) db upgrade

# The demo world, on an empty database only (seed-demo skips a database that holds data).
db: migrate
	@if [ "$${TRACKER_DEMO:-1}" != "0" ]; then $(FLASK) seed-demo; fi

run: db
	@echo "tracker on http://127.0.0.1:$(PORT)  (demo accounts: see README.md)"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Production: migrate, never seed; gunicorn's other settings in tracker/gunicorn_conf.py.
# SERVE_HOST=0.0.0.0 only when the reverse proxy runs on another machine.
SERVE_HOST ?= 127.0.0.1
serve: migrate
	$(BIN)/gunicorn --config tracker/gunicorn_conf.py --workers $(WORKERS) --bind $(SERVE_HOST):$(PORT) 'wsgi:app'

# In parallel: TEST_JOBS pytest-xdist workers (auto: one per core; 0: in this process only), each
# with its own databases. Tests sharing a live server or a browser stay on one worker (xdist_group).
TEST_JOBS ?= auto
test: $(VENV)/.installed-dev $(COMPILED)
	$(BIN)/pytest -n $(TEST_JOBS) --dist loadgroup

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Builds (or reuses) instance/bench-1000.db and instance/bench-$(N).db (with DATABASE_URL set:
# PostgreSQL databases, see README.md) and prints server times, in-process and over HTTP through
# make serve (gunicorn, 4 workers).
REPEAT ?= 30
bench: $(VENV)/.installed $(COMPILED)
	mkdir -p instance
	$(BIN)/python -m tracker.benchmark --n $(N) --repeat $(REPEAT)

# The deadline-day rush: Locust, USERS people waiting WAIT seconds each (1-5; 0 for a closed
# loop) for DURATION, against make serve on a copy of the bench of N applications (SQLite, or
# PostgreSQL with DATABASE_URL set); then checks no 5xx, no lost write, every history chain intact.
USERS ?= 200
DURATION ?= 3m
WAIT ?= 1-5
load: $(VENV)/.installed-dev $(COMPILED)
	mkdir -p instance
	$(BIN)/python -m tracker.benchmark.load --n $(N) --users $(USERS) --duration $(DURATION) --wait $(WAIT)

# PNGs of the main pages (docs/screenshots/, shown in README.md): the demo data in headless Chromium.
screenshots: $(VENV)/.installed-dev $(COMPILED)
	$(BIN)/python tests/browser/screenshots.py

clean:
	rm -rf $(VENV) instance .pytest_cache
