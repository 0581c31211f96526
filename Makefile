# Two commands set up a fresh machine: `make run` (the main job) and `make test` (the test suite).
# Each creates its own virtual environment under .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[cds,plots]'
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install -q -e '.[dev,spark,cds]'
	touch $@ $(VENV)/.run-deps

run: $(VENV)/.run-deps
	$(BIN)/alsdx serve

test: $(VENV)/.test-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(VENV)/.test-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
