# aiom — `make run` to try it, `make test` to check it. Nothing else needs installing
# first but Python >= 3.12 and make.

VENV        := .venv
PY          := $(VENV)/bin/python
AIOM        := $(VENV)/bin/aiom
STAMP       := $(VENV)/.installed
HOST        ?= 127.0.0.1
PORT        ?= 8000

.PHONY: run test lint types pytest setup demo migrate clean bench screenshots

# Create the virtualenv with a suitable Python, then install aiom and its pinned tools.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || "$$(sh scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev,pdf]'
	@touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(AIOM) migrate --no-input

demo: migrate
	$(AIOM) demo --if-empty

## run: set up, migrate the SQLite database in var/, load the demo if empty, serve on :8000
run: demo
	$(AIOM) serve --host $(HOST) --port $(PORT)

## test: lint, types, and the whole pytest suite (browser tests included when Chromium exists)
test: lint types pytest

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts

types: setup
	$(VENV)/bin/mypy src tests

pytest: setup
	$(VENV)/bin/pytest $(PYTEST_ARGS)

bench: migrate
	$(PY) benchmarks/portfolio_list.py

clean:
	rm -rf $(VENV) var test-artifacts .mypy_cache .pytest_cache .ruff_cache
