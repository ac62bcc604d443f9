# Two commands on a fresh machine: `make serve` and `make test`. Every target installs what it needs.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BROTLI_NGINX := /usr/lib/nginx/modules/ngx_http_brotli_static_module.so

PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: setup build serve test test-engines lint check bench lock refresh-calendar clean

## setup: Python venv (pinned, hashed: requirements.txt) with the `procedures` command, npm packages (package-lock.json), Chromium,
## Firefox ESR, WebKitGTK's WebDriver with Xvfb, nginx and Apache for the tests
setup: $(VENV)/.installed node_modules/.installed /usr/bin/chromium /usr/bin/firefox-esr /usr/bin/WebKitWebDriver /usr/bin/xvfb-run \
	/usr/sbin/nginx $(BROTLI_NGINX) /usr/sbin/apache2 build/pyodide-wheels/.fetched

# Everything (site + test + lint groups of pyproject.toml), then this project itself
# (editable, no dependencies, no build isolation: nothing is fetched that the lock did not pin).
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements.txt
	$(PIP) --no-deps --no-build-isolation --no-index -e .
	touch $(VENV)/.installed-site $@

# Only what a site build needs (the `site` group: requirements-site.txt).
$(VENV)/.installed-site: requirements-site.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements-site.txt
	$(PIP) --no-deps --no-build-isolation --no-index -e .
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Pure-Python wheels (pytest and its dependencies) to run the tools/ tests inside Pyodide.
build/pyodide-wheels/.fetched: tests/pyodide/fetch_wheels.py requirements.txt $(VENV)/.installed
	$(PY) tests/pyodide/fetch_wheels.py
	touch $@

# Debian's Chromium, Firefox ESR and WebKitGTK (WebKitWebDriver, run under xvfb-run): the browser tests never
# download a browser of their own (tests/browser/engines.py drives the last two). Debian's nginx and
# Apache: tests/test_deploy_servers.py runs the shipped deploy/ configs in them (never as a service).
# `apt-get update` first when the package lists are missing or too old to know the package.
APT = $$([ "$$(id -u)" = 0 ] || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get
apt_install = @$(APT) install -y -q $(1) >/dev/null 2>&1 || { $(APT) update -q >/dev/null && $(APT) install -y -q $(1) >/dev/null; }
/usr/bin/chromium:
	$(call apt_install,chromium)
/usr/bin/firefox-esr:
	$(call apt_install,firefox-esr)
/usr/bin/WebKitWebDriver:
	$(call apt_install,webkit2gtk-driver)
/usr/bin/xvfb-run:
	$(call apt_install,xvfb)
/usr/sbin/nginx:
	$(call apt_install,nginx)
# Debian's brotli module for nginx (deploy/nginx-brotli.conf: the build's .br copies); where the
# distribution has no such package, nginx serves the .gz copies (gzip_static) and the tests say so.
$(BROTLI_NGINX): | /usr/sbin/nginx
	$(call apt_install,libnginx-mod-http-brotli-static) || echo "libnginx-mod-http-brotli-static is not available: nginx will send gzip"
/usr/sbin/apache2:
	$(call apt_install,apache2)

## check: validate rules/ and print every problem
check: $(VENV)/.installed-site
	$(VENV)/bin/procedures check

## build: write the site to site/ (properdocs build --strict into site.tmp-XXXX, swapped in only when complete;
## needs only the site group, npm packages for Pyodide). SITE_URL=https://host/folder/ is the address it
## will be served from (canonical links, sitemap.xml, feed.xml); without it the links are local.
SITE ?= site
SITE_URL ?=
build: $(VENV)/.installed-site node_modules/.installed
	@SITE_URL="$(SITE_URL)" $(PY) -m macros.deployment.build_info build $(SITE)

## serve: build, then serve the site at http://127.0.0.1:8000 with the intranet's headers
## (with SITE_URL=http://127.0.0.1:8000/folder/, from that folder); a saved change in rules/ is checked
## (only the saved files read again), an edited procedure's page rendered at once from memory and the open
## page reloaded, the rest rebuilt in the background; an invalid one shows the check's message instead
serve: build
	$(PY) -m macros.deployment.serve --port $(PORT) --prefix "$(or $(SITE_URL),/)" --watch rules site

## test: lint, then every test: rules, engines, CLIs, the site build, tools/ tests inside Pyodide, the browser;
## the test files are spread over the cores (pytest-xdist: PYTEST_ARGS="-n 0" runs them in one process)
PYTEST_ARGS ?= -n auto --dist loadfile
test: setup lint
	$(PY) -m pytest $(PYTEST_ARGS)

## test-engines: only the core journeys in Firefox ESR and WebKitGTK for every area (tests/browser/test_engines.py,
## about 3 minutes on 2 busy cores; `make test` runs them too)
test-engines: setup
	$(PY) -m pytest -m engines tests/browser/test_engines.py

## lint: ruff (rules in pyproject.toml)
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

## bench: performance figures (never a timed test), with the machine's details
bench: build
	$(PY) bench/bench_workingdays.py
	$(PY) bench/bench_scale.py --procedures 100 500 2000
	$(PY) bench/bench_load.py
	$(PY) bench/bench_throttled.py --variants
	$(PY) bench/bench_bytecode.py
	$(PY) bench/bench_preview.py --procedures 500 2000

## lock: regenerate requirements.txt (test group) and requirements-site.txt (site group) from pyproject.toml (needs PyPI);
## `make lock LOCK_ARGS=--upgrade` also moves every unpinned dependency to its newest release. The site lock is
## compiled against the test lock (-c), so a site build gets the very versions the tests ran with.
LOCK_ARGS ?=
lock: $(VENV)/.installed
	$(PIP) pip-tools==7.6.2
	$(PY) -m macros.deployment.lockfiles build/lock
	for group in test site; do out=requirements$$([ $$group = site ] && echo -site).txt; \
	  $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	    --no-emit-find-links $(LOCK_ARGS) $$([ $$group = site ] && echo -c requirements.txt) -o $$out build/lock/$$group.in || exit 1; done

## refresh-calendar FILE=bank-holidays.json: update the bank holidays from a GOV.UK file on disk
refresh-calendar: $(VENV)/.installed-site
	$(VENV)/bin/procedures refresh-calendar $(FILE)

clean:
	rm -rf site build .pytest_cache
