# Two commands set up a fresh machine: `make run` (the main job) and `make test` (the test suite).
# Each creates its own virtual environment under .venv; `make test` also installs/starts what the suite
# needs from the machine (Debian's Chromium, the local PostgreSQL server: .ci/machine_setup.sh).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINTED := src tests benchmarks tools

.PHONY: run test lint machine

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The core install runs the service and every command but two (Spark, plots); the page shows the course plots.
$(VENV)/.run-deps: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[plots]'
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[dev,spark,plots]'
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/alsdx serve

machine:
	.ci/machine_setup.sh

# pytest on every core (pytest-xdist); a test file stays on one worker, so its module fixtures (the Spark
# session, the browser, the web server) start once. Each worker migrates its own PostgreSQL template.
# (Not --dist loadgroup: with pytest 9.2 it silently ignores its groups, pytest-xdist issue 1386.)
PYTEST_XDIST ?= -n auto --dist loadfile

test: $(VENV)/.test-deps machine
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_XDIST)

lint: $(VENV)/.test-deps
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
