# Two commands on a fresh machine: `make serve` and `make test`. Every target installs what it needs.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: setup build serve test check bench lock refresh-calendar clean

## setup: Python venv (pinned, requirements.txt), npm packages (package-lock.json), Chromium for browser tests
setup: $(VENV)/.installed node_modules/.installed /usr/bin/chromium build/pyodide-wheels/.fetched

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Pure-Python wheels (pytest and its dependencies) to run the tools/ tests inside Pyodide.
build/pyodide-wheels/.fetched: tests/pyodide/fetch_wheels.py requirements.txt $(VENV)/.installed
	$(PY) tests/pyodide/fetch_wheels.py
	touch $@

# Debian's Chromium: the browser tests never download a browser of their own.
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; \
	else sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; fi

## check: validate rules/ and print every problem
check: $(VENV)/.installed
	$(PY) -m macros.validate

## build: write the site to site/
build: setup
	$(PY) -m mkdocs build --strict --quiet

## serve: build, then serve the site at http://127.0.0.1:8000 with the intranet's headers
serve: build
	$(PY) -m macros.serve --port $(PORT) site

## test: every test: rules, engines, CLIs, the site build, tools/ tests inside Pyodide, the browser
test: setup
	$(PY) -m pytest

## bench: performance figures (never a timed test), with the machine's details
bench: build
	$(PY) bench/bench_workingdays.py
	$(PY) bench/bench_load.py

## lock: regenerate requirements.txt from requirements.in (needs the network to PyPI)
lock: $(VENV)/.installed
	$(PY) -m pip install --quiet pip-tools==7.6.2
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in

## refresh-calendar FILE=bank-holidays.json: update the bank holidays from a GOV.UK file on disk
refresh-calendar: $(VENV)/.installed
	$(PY) -m tools.calendar_refresh $(FILE)

clean:
	rm -rf site build .pytest_cache
