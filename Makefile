# The two commands of the README: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test lint format bench venv migrate messages clean worker beat lock

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

migrate: venv
	$(PY) manage.py migrate --noinput

# Compiled catalogs (locale/*/LC_MESSAGES/django.mo) are committed, so a machine without GNU
# gettext still serves French and Spanish; where msgfmt exists they are rebuilt from the .po files.
LANGUAGES := fr es
messages:
	@if command -v msgfmt >/dev/null 2>&1; then \
		for lang in $(LANGUAGES); do \
			msgfmt --check -o locale/$$lang/LC_MESSAGES/django.mo locale/$$lang/LC_MESSAGES/django.po || exit 1; \
		done; \
	else \
		echo "msgfmt (GNU gettext) not found: using the compiled catalogs shipped in locale/."; \
	fi

run: migrate messages
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv messages
	$(PY) -m pytest

# The production shape's background processes (REDIS_URL must name the broker, e.g.
# REDIS_URL=redis://127.0.0.1:6379/0 make worker). Without REDIS_URL, `make run` runs each task
# in the web process right after its transaction commits, and needs neither.
worker: venv
	$(VENV)/bin/celery -A config worker -l info

beat: venv
	$(VENV)/bin/celery -A config beat -l info

# requirements.lock: the image's pinned, hashed dependencies (Dockerfile), from pyproject.toml.
lock: venv
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --no-header --quiet \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv
	$(PY) -m tests.perf.run_all

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
