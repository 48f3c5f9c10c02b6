# Two entry points for a newcomer: `make demo` and `make test`. Both bootstrap .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test test-fast bench lint golden sample clean

$(STAMP): requirements.txt pyproject.toml Makefile
	$(PYTHON) -c 'import sys; sys.exit("d9-report needs Python 3.11+") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/d9 demo

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not integration"

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy d9 tasks schemas flows
	$(BIN)/lint-imports

sample: $(STAMP)
	$(BIN)/python data/generate_sample.py

golden: $(STAMP)
	D9_REGENERATE_GOLDEN=1 $(BIN)/python -m pytest -n 0 tests/tasks/report/test_render.py

clean:
	rm -rf $(VENV) state .pytest_cache
