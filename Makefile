# The two commands: `make run` (serve the real national directory) and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# A Python 3.12 or newer: python3 when it is new enough, else python3.13 or python3.12.
PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	then echo $$p; break; fi; done)
# Local work runs with debug on; production sets its own environment (see .env.example).
export DJANGO_DEBUG ?= 1

.PHONY: worker run test lint format css bench faults install migrate data demo clean messages bench-import bench-search bench-readability bench-hsds bench-medicare

$(BIN)/activate:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Python 3.12 or newer is needed and none was found (tried python3, python3.13, python3.12)."; \
		echo "Install it first: e.g. 'sudo apt install python3.12 python3.12-venv', 'brew install python@3.12',"; \
		echo "or 'pyenv install 3.12' (this project's .python-version asks pyenv for 3.12)."; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate requirements.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The treatment guide, and SAMHSA's national directory shipped in directory/data/samhsa/:
# imported once (about 15 s, with a progress bar); later runs see the same file's checksum and skip it.
data: migrate
	$(BIN)/python manage.py load_guide
	$(BIN)/python manage.py import_samhsa --if-new

# Adds the fictional demo centers (with a notice on every page) beside the real directory.
demo: migrate
	$(BIN)/python manage.py load_demo

run: data
	@echo "Serving http://127.0.0.1:8000 (Ctrl-C stops). Admin: http://127.0.0.1:8000/admin/ after 'make superuser'."
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Sends the queued e-mail (config/mail.py); run it beside `make run` to see mail on the console.
worker: migrate
	$(BIN)/python manage.py db_worker

superuser: migrate
	$(BIN)/python manage.py createsuperuser

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks on the local PostgreSQL (see bench/README.md): load with wrk, and a database restart.
bench: install
	bench/load.sh

faults: install
	bench/faults.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Bootstrap trimmed to the rules our templates use (purgecss.config.js; issue 21). Run it after
# using a Bootstrap class no page used before, and commit static/css/build/. CI builds it again
# and fails when the committed file differs. Reads crispy-forms' templates from the venv.
PURGECSS_VERSION := 8.0.0
PURGECSS ?= npx --yes --package purgecss@$(PURGECSS_VERSION) purgecss
CSS_OUT ?= static/css/build
css: install
	$(PURGECSS) --config purgecss.config.js --output $(CSS_OUT)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench-import: install
	$(BIN)/python bench/import.py

# The center search on PostgreSQL against the straightforward implementation (bench/search.py;
# the real national directory in a scratch database, bench_search_s_real, created and dropped;
# generated centers for scale runs: make bench-search BENCH_ARGS="--centers 100000")
bench-search: install
	$(BIN)/python bench/search.py $(BENCH_ARGS)

# The Flesch-Kincaid grade of every guide article (bench/readability.py; a measurement, not a test).
bench-readability: install
	$(BIN)/python bench/readability.py

# Medicare claims: a national-size file in CMS's format (in /tmp, not committed), filtered and timed (bench/medicare.py).
bench-medicare: install
	$(BIN)/python bench/medicare.py $(BENCH_ARGS)

# Open data on the whole directory: export, frictionless validation, Schemathesis over HTTP (bench/hsds_api.sh).
bench-hsds: install
	bench/hsds_api.sh

# The Spanish catalogue: collect the site's strings into locale/es/LC_MESSAGES/django.po, then
# (after translating what is new) compile the .mo. Needs GNU gettext; the .mo is committed,
# so installing and running the site do not.
messages: install
	$(BIN)/python manage.py makemessages -l es --no-obsolete --ignore=tests --ignore=bench --ignore=staticfiles --ignore=media --ignore=templates/admin --ignore=templates/simple_history
	$(BIN)/python manage.py compilemessages -l es

# Mutation testing of the modules that hold the core rules (bench/mutation.py, mutmut; slow, so not in
# CI or make test). Some groups only: make mutation MUTATION_GROUPS="geo phq9". Scores: bench/README.md.
mutation: install
	$(BIN)/python bench/mutation.py $(MUTATION_GROUPS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
