# notes-tui: the two commands a fresh machine needs are `make run` and `make test`.
# Everything is built from uv.lock into .venv; uv itself is installed into .tools/ when missing.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export UV_PYTHON_PREFERENCE := only-system
export UV_PYTHON := $(PYTHON)

.PHONY: run test lint bench clean env

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv

env: $(if $(filter .tools/bin/uv,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --all-extras

run: env
	$(UV) run --frozen notes-tui

test: env
	$(UV) run --frozen ruff check .
	$(UV) run --frozen lint-imports
	$(UV) run --frozen pytest $(PYTEST_ARGS)

lint: env
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

bench: env
	$(UV) run --frozen python -m benchmarks

clean:
	rm -rf .venv .tools .pytest_cache
