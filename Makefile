# Cueflow: `make run` sets up and runs everything; `make test` sets up and runs every test.
# Needs only python3 (3.11+) on the machine; everything else is installed from here.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev

.PHONY: run test lint format bench lock clean

$(STAMP): requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

## Set up, migrate, load the demo runbooks, run web app + RQ worker + scheduler (Ctrl-C stops).
run: $(STAMP)
	$(BIN)/flask --app wsgi cueflow up

## Set up, lint, then the whole suite on SQLite + embedded Redis, and again on
## TEST_DATABASE_URL + REDIS_URL when they are set (PostgreSQL and Redis in CI).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	bin/test-suite

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

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
	rm -rf $(VENV) instance
