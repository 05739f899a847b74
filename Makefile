# Everything runs inside .venv, created from hash-pinned locks: requirements.lock (the site and
# the content check: `make serve`, `make check`, `make build`) and requirements-dev.lock (on top:
# the tests, lint and link check). The two Quick start commands are `make serve` and `make test`.
PYTHON ?= python3
MIN_PYTHON := 3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-site
DEV_STAMP := $(VENV)/.installed-dev
TODAY ?=
CHECK_ARGS := $(if $(TODAY),--today $(TODAY),)
FORMAT ?= text
HOST ?= 127.0.0.1:8000

NAME ?=
TYPE ?=
DOI ?=
PMID ?=
EVIDENCE ?=

# Material for MkDocs prints an end-of-life notice on every build and preview; the platform plan is
# in README.md ("Platform"), so the project's commands do not repeat it.
export NO_MKDOCS_2_WARNING := 1

# A .venv that an older (or since removed) Python made is rebuilt, not reused: installing into it
# fails deep inside pip. Checked on every call (a few milliseconds).
PY_OK := import sys; sys.exit(0 if sys.version_info >= tuple(map(int, "$(MIN_PYTHON)".split("."))) else 1)
VENV_OK := import pip; $(PY_OK)
VENV_BAD := $(shell [ -e $(VENV) ] && ! $(PY) -c '$(VENV_OK)' >/dev/null 2>&1 && echo yes)

.PHONY: help setup setup-dev serve build check claims test lint lock clean new-page add-ref fmt-bib review-report linkcheck linkcheck-external bench mutations rules refresh-sources surveil changes-check pre-commit FORCE

help:
	@echo "make serve   set up and preview the site at http://$(HOST)"
	@echo "make test    set up and run every test (lint, content check, unit, build)"
	@echo "make check   content check without building (FORMAT=text|json|github, TODAY=YYYY-MM-DD)"
	@echo "make claims  write the claim register to site-data/claims.json"
	@echo "make build   strict site build into site/"
	@echo "make linkcheck  strict build, then every href/src/#fragment in site/ resolves (offline, lychee)"
	@echo "make linkcheck-external  every external URL, DOI (doi.org) and PMID (PubMed), polite and cached"
	@echo "make refresh-sources     retractions, corrections, concerns from Crossref and PubMed into data/sources (DRY_RUN=1)"
	@echo "make surveil             each page's declared PubMed search, newer than its evidence_current_to (reports in surveillance/)"
	@echo "make changes-check BASE=origin/main   a changed grade, bottom line or key point needs a change-log entry"
	@echo "make mutations  how many changed numbers the check catches on the site's own pages"
	@echo "make bench      full build against plain Material: real-page replicas and synthetic sites, 200/500/2000 pages (SIZES=, RUNS=)"
	@echo "make new-page NAME='Page title' TYPE=therapy|condition|claim-check   scaffold a page"
	@echo "make add-ref DOI=10.xxxx/... (or PMID=...) [EVIDENCE=rct]   add a reference from Crossref/PubMed"
	@echo "make fmt-bib        canonical layout for references.bib (never drops a field or comment)"
	@echo "make review-report  pages by next review date (FORMAT=markdown|json; anything else is refused)"
	@echo "make rules          every rule with its meaning and fix; rewrites the table in CONTRIBUTING.md (RULE=ID: one rule)"
	@echo "make setup          create .venv with what the site and the check need (serve, check, build)"
	@echo "make setup-dev      the same plus what the tests need (pytest, Playwright, lychee, ruff, pre-commit)"
	@echo "make pre-commit     install the git pre-commit hooks (content check, bibliography layout, ruff)"
	@echo "make lint    ruff over the Python code"
	@echo "make lock    re-resolve requirements.in and requirements-dev.in into the hash-pinned locks"
	@echo "make clean   remove site/, site-data/ and caches (rm -rf .venv for a fresh environment)"

$(STAMP): requirements.lock $(if $(VENV_BAD),FORCE)
	@$(PYTHON) -c '$(PY_OK)' 2>/dev/null || { \
	  echo "make: Python $(MIN_PYTHON) or newer is needed, but '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo missing)."; \
	  echo "      Install Python $(MIN_PYTHON)+ (with its venv module) and run again, or name it: make $(or $(MAKECMDGOALS),setup) PYTHON=python3.12"; \
	  exit 2; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "make: '$(PYTHON)' has no venv/ensurepip module (on Debian or Ubuntu: apt-get install python3-venv)."; exit 2; }
	@if [ -e $(VENV) ] && ! $(PY) -c '$(VENV_OK)' >/dev/null 2>&1; then \
	  echo "make: $(VENV) was made by $$($(PY) --version 2>/dev/null | head -n 1 | grep . || echo 'a Python that no longer runs') and cannot be used (it needs Python $(MIN_PYTHON)+ with pip): rebuilding it"; \
	  rm -rf $(VENV); fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@rm -f $(STAMP) $(DEV_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock
	@touch $(DEV_STAMP)

FORCE:

setup: $(STAMP)

setup-dev: $(DEV_STAMP)

pre-commit: $(DEV_STAMP)
	$(VENV)/bin/pre-commit install

serve: $(STAMP)
	$(PY) -m mkdocs serve --dev-addr $(HOST)

build: $(STAMP)
	$(PY) -m mkdocs build --strict

check: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) check --format $(FORMAT)

claims: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) claims --output site-data/claims.json

new-page: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) new-page --name "$(NAME)" --type "$(TYPE)"

add-ref: $(STAMP)
	$(PY) -m hooks.cli add-ref --doi "$(DOI)" --pmid "$(PMID)" --evidence "$(EVIDENCE)"

fmt-bib: $(STAMP)
	$(PY) -m hooks.cli fmt-bib

# FORMAT's default (text) means Markdown here; any other value goes to the command, which refuses
# what it does not know (exit 2) instead of quietly printing Markdown.
review-report: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) review-report --format $(if $(filter text,$(FORMAT)),markdown,$(FORMAT))

linkcheck: $(DEV_STAMP) build
	$(PY) -m hooks.editor.site_links site

linkcheck-external: $(STAMP)
	$(PY) -m hooks.cli linkcheck-external --output linkcheck-report.md

refresh-sources: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) refresh-sources $(if $(DRY_RUN),--dry-run,)

surveil: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) surveil

BASE ?= origin/main
changes-check: $(STAMP)
	$(PY) -m hooks.cli changes-check --base "$(BASE)"

bench: $(STAMP)
	$(PY) -m bench.run $(if $(SIZES),--sizes $(SIZES),) $(if $(RUNS),--runs $(RUNS),)

mutations: $(STAMP)
	$(PY) -m bench.mutations

# RULE=CITE-UNKNOWN-KEY explains one rule (any case; a mistyped id gets the closest ones)
rules: $(STAMP)
	$(PY) -m hooks.cli rules $(if $(RULE),$(RULE),--write CONTRIBUTING.md)

lint: $(DEV_STAMP)
	$(PY) -m ruff check hooks tests bench

test: $(DEV_STAMP)
	$(PY) -m ruff check hooks tests bench
	$(PY) -m hooks.cli check
	$(PY) -m hooks.cli fmt-bib --check
	$(PY) -m pytest

# pip-tools lives in its own throw-away environment (.cache/lock-venv), not in .venv. The site lock
# first; the dev lock repeats its pins (-c requirements.lock in requirements-dev.in).
LOCK_VENV := .cache/lock-venv
PIP_COMPILE := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	@test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools; }
	$(PIP_COMPILE) -o requirements.lock requirements.in
	$(PIP_COMPILE) -o requirements-dev.lock requirements-dev.in

clean:
	rm -rf site site-data .pytest_cache .cache
