# notes-tui: the two commands a fresh machine needs are `make run` and `make test`.
# Everything is built from uv.lock into .venv; uv itself is installed into .tools/ when missing.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_PREFERENCE := only-system
export UV_PYTHON := $(PYTHON)

.PHONY: run test lint bench clean env smoke

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

UV_DEP := $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)

# The development environment: the app, the PostgreSQL driver and the test and dev tools.
env: $(UV_DEP)
	$(UV) sync --frozen --all-extras --compile-bytecode

# The app alone (with the PostgreSQL driver): no test or dev tools are installed for it.
# `uv run` adds what is missing and removes nothing, so it shares .venv with `make test`.
run: $(UV_DEP)
	UV_COMPILE_BYTECODE=1 $(UV) run --frozen --no-dev --extra postgres notes-tui

test: env
	$(UV) run --frozen ruff check .
	$(UV) run --frozen lint-imports
	$(UV) run --frozen mypy
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: env
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

bench: env
	$(UV) run --frozen python -m benchmarks

# The built wheel installed into a clean venv outside the repository, run from another directory.
smoke: $(UV_DEP)
	UV=$(UV) PYTHON=$(PYTHON) .ci/wheel-smoke

clean:
	rm -rf .venv .tools .pytest_cache
