# Cueflow: `make run` sets up and runs everything; `make test` sets up and runs every test.
# Needs only python3 (3.11+) on the machine; everything else is installed from here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
# The browser app: `npm ci` when the lock file changes, `npm run build` when a source does.
WEB      := frontend_static
WEB_DEPS := $(WEB)/node_modules/.cueflow-installed
WEB_DIST := $(WEB)/dist/index.html
WEB_SRC  := $(shell find $(WEB)/src $(WEB)/public $(WEB)/scripts -type f 2>/dev/null) \
            $(wildcard $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig*.json)
# The build type-checks the app against the API's OpenAPI document, so it follows the API.
API_SRC  := $(shell find api engine -name '*.py' 2>/dev/null)
# Debian's Chromium drives the Playwright browser tests (browser downloads are not reachable).
CHROMIUM := /usr/bin/chromium
# WeasyPrint lays out the post-mortem PDFs with Pango and HarfBuzz; Chinese needs Noto CJK.
SYSLIBS  := $(VENV)/.system-libs

.PHONY: run test lint format bench lock clean frontend browser

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

$(WEB_DEPS): $(WEB)/package-lock.json $(WEB)/package.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $(WEB_DEPS)

$(WEB_DIST): $(STAMP) $(WEB_DEPS) $(WEB_SRC) $(API_SRC)
	cd $(WEB) && npm run build

## Install and build the browser app into frontend_static/dist (served by Flask).
frontend: $(WEB_DIST)

$(CHROMIUM):
	if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	$$sudo apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y --no-install-recommends chromium fonts-noto-cjk

## Chromium and the CJK fonts for the browser tests, from Debian (once per machine).
browser: $(CHROMIUM)

## Pango, HarfBuzz and the CJK fonts for the PDF exports, from Debian when missing.
$(SYSLIBS):
	if ldconfig -p | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so' \
	   && ldconfig -p | grep -q 'libharfbuzz-subset.so' \
	   && fc-list 2>/dev/null | grep -q 'Noto Sans CJK' && command -v openssl >/dev/null; \
	then :; else \
	  if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
	  $$sudo apt-get update && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-noto-cjk \
	      openssl; \
	fi
	mkdir -p $(VENV) && touch $(SYSLIBS)

## Set up, migrate, load the demo runbooks, run web app + RQ worker + scheduler (Ctrl-C stops).
run: $(STAMP) $(SYSLIBS) $(WEB_DIST)
	$(BIN)/flask --app wsgi cueflow up

## Set up, lint (ruff, prettier), the browser app's unit tests (Vitest), then the whole
## suite on SQLite + embedded Redis (with the Playwright browser tests), and again on
## TEST_DATABASE_URL + REDIS_URL when they are set (PostgreSQL and Redis in CI).
test: $(STAMP) $(SYSLIBS) $(WEB_DIST) $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd $(WEB) && npm run --silent format:check && npm test
	bin/test-suite

lint: $(STAMP) $(WEB_DEPS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd $(WEB) && npm run --silent format:check

format: $(STAMP) $(WEB_DEPS)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	cd $(WEB) && npm run --silent format

bench: $(STAMP)
	for b in bench/[a-z]*.py; do case $$b in bench/workloads.py) ;; *) $(BIN)/python $$b || exit 1;; esac; done

## Re-resolve the pinned dependencies of pyproject.toml into the two lock files.
lock:
	rm -rf /tmp/cueflow-lock && $(PYTHON) -m venv /tmp/cueflow-lock
	/tmp/cueflow-lock/bin/pip install --quiet .
	/tmp/cueflow-lock/bin/pip freeze --exclude-editable | grep -v '^cueflow' > requirements.lock
	/tmp/cueflow-lock/bin/pip install --quiet '.[dev]'
	/tmp/cueflow-lock/bin/pip freeze --exclude-editable | grep -v '^cueflow' > requirements-dev.lock

clean:
	rm -rf $(VENV) instance $(WEB)/node_modules $(WEB)/dist
