# Developer shortcuts. Each target sets up .venv on first use (scripts/dev.py).
PYTHON := .venv/bin/python
DEV := python3 scripts/dev.py
UPSTREAM ?=
SOURCE ?=

.PHONY: setup test lint generate check-generated spec demo bench mutation docs template-diff clean

setup:
	$(DEV) setup

test:
	$(DEV) test

lint: setup
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check overlays tests scripts spec benchmarks
	$(PYTHON) -m mypy

## Rebuild openapi.yaml; with UPSTREAM=<full OpenAI openapi.yaml>, re-slice it first.
spec: setup
	$(PYTHON) spec/sync.py $(if $(UPSTREAM),--upstream $(UPSTREAM)) $(if $(SOURCE),--source "$(SOURCE)")

## Rewrite generated/ from openapi.yaml, and the sync client from the async one.
generate: setup
	$(PYTHON) scripts/generate.py
	$(PYTHON) scripts/unasync.py

check-generated: setup
	$(PYTHON) scripts/generate.py --check
	$(PYTHON) scripts/unasync.py --check

demo:
	$(DEV) demo

bench: setup
	$(PYTHON) -m benchmarks
	$(PYTHON) -m benchmarks.batch
	$(PYTHON) -m benchmarks.capped

## Mutation testing of the I/O-free decision modules (about 20 minutes; not part of CI).
docs: setup
	PYTHONPATH=overlays:generated $(PYTHON) -m mkdocs build --strict

mutation: setup
	$(PYTHON) -m pip install --quiet -e '.[mutation]'
	$(PYTHON) scripts/mutation.py

## Show how the custom templates differ from the pinned generator's built-in ones.
template-diff: setup
	$(PYTHON) scripts/template_diff.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache
