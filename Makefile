# Everything runs inside .venv, created from the hash-pinned requirements.lock.
# The two Quick start commands are `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TODAY ?=
CHECK_ARGS := $(if $(TODAY),--today $(TODAY),)
FORMAT ?= text
HOST ?= 127.0.0.1:8000

.PHONY: help setup serve build check claims test lint lock clean

help:
	@echo "make serve   set up and preview the site at http://$(HOST)"
	@echo "make test    set up and run every test (lint, content check, unit, build)"
	@echo "make check   content check without building (FORMAT=text|json|github, TODAY=YYYY-MM-DD)"
	@echo "make claims  write the claim register to site-data/claims.json"
	@echo "make build   strict site build into site/"

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)

setup: $(STAMP)

serve: $(STAMP)
	$(PY) -m mkdocs serve --dev-addr $(HOST)

build: $(STAMP)
	$(PY) -m mkdocs build --strict

check: $(STAMP)
	$(PY) -m hooks.cli check --format $(FORMAT) $(CHECK_ARGS)

claims: $(STAMP)
	$(PY) -m hooks.cli claims --output site-data/claims.json $(CHECK_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check hooks tests

test: $(STAMP)
	$(PY) -m ruff check hooks tests
	$(PY) -m hooks.cli check
	$(PY) -m pytest

lock:
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.lock requirements.in

clean:
	rm -rf site site-data .pytest_cache
