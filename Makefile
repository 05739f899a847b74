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

NAME ?=
TYPE ?=
DOI ?=
PMID ?=
EVIDENCE ?=

.PHONY: help setup serve build check claims test lint lock clean new-page add-ref fmt-bib review-report linkcheck linkcheck-external bench

help:
	@echo "make serve   set up and preview the site at http://$(HOST)"
	@echo "make test    set up and run every test (lint, content check, unit, build)"
	@echo "make check   content check without building (FORMAT=text|json|github, TODAY=YYYY-MM-DD)"
	@echo "make claims  write the claim register to site-data/claims.json"
	@echo "make build   strict site build into site/"
	@echo "make linkcheck  strict build, then every href/src/#fragment in site/ resolves (offline, lychee)"
	@echo "make linkcheck-external  every external URL, DOI (doi.org) and PMID (PubMed), polite and cached"
	@echo "make bench      build/check synthetic 50/500/2000-page sites against a bare Material build (SIZES=, RUNS=)"
	@echo "make new-page NAME='Page title' TYPE=therapy|condition|claim-check   scaffold a page"
	@echo "make add-ref DOI=10.xxxx/... (or PMID=...) [EVIDENCE=rct]   add a reference from Crossref/PubMed"
	@echo "make fmt-bib        canonical layout for references.bib (never drops a field or comment)"
	@echo "make review-report  pages by next review date (FORMAT=markdown|json)"

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
	$(PY) -m hooks.cli $(CHECK_ARGS) check --format $(FORMAT)

claims: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) claims --output site-data/claims.json

new-page: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) new-page --name "$(NAME)" --type "$(TYPE)"

add-ref: $(STAMP)
	$(PY) -m hooks.cli add-ref --doi "$(DOI)" --pmid "$(PMID)" --evidence "$(EVIDENCE)"

fmt-bib: $(STAMP)
	$(PY) -m hooks.cli fmt-bib

review-report: $(STAMP)
	$(PY) -m hooks.cli $(CHECK_ARGS) review-report --format $(if $(filter json,$(FORMAT)),json,markdown)

linkcheck: build
	$(PY) -m hooks.editor.site_links site

linkcheck-external: $(STAMP)
	$(PY) -m hooks.cli linkcheck-external --output linkcheck-report.md

bench: $(STAMP)
	$(PY) -m bench.run $(if $(SIZES),--sizes $(SIZES),) $(if $(RUNS),--runs $(RUNS),)

lint: $(STAMP)
	$(PY) -m ruff check hooks tests bench

test: $(STAMP)
	$(PY) -m ruff check hooks tests bench
	$(PY) -m hooks.cli check
	$(PY) -m hooks.cli fmt-bib --check
	$(PY) -m pytest

lock:
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock requirements.in

clean:
	rm -rf site site-data .pytest_cache .cache
