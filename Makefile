# factcheck — the two commands: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# the Python that ruff checks
PY_PATHS := factcheck tests setup.py wsgi.py $(wildcard bench)

.PHONY: run test lint format translations bench bench-full soak audit install install-run clean

# what running needs (make run), then the test tools on top (make test, lint, …)
$(VENV)/.installed-run: pyproject.toml setup.py
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed: $(VENV)/.installed-run
	$(PIP) install -q -e ".[dev]"
	touch $@

install-run: $(VENV)/.installed-run
install: $(VENV)/.installed

## Set up, create the SQLite database with demo data, serve on http://$(HOST):$(PORT) (make run PORT=8000)
run: install-run
	$(BIN)/factcheck init
	$(BIN)/factcheck demo --host $(HOST) --port $(PORT)
	$(BIN)/factcheck serve --host $(HOST) --port $(PORT)

## Set up, check style, run the whole test suite (PostgreSQL when FACTCHECK_TEST_DATABASE_URL is set)
# every core (pytest-xdist; each worker has its own database); PYTEST_ARGS="-n 0" runs in one
PYTEST_ARGS ?= -n auto
test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check $(PY_PATHS)
	$(BIN)/ruff check $(PY_PATHS)

format: install
	$(BIN)/ruff format $(PY_PATHS)
	$(BIN)/ruff check --fix $(PY_PATHS)

## Extract strings, update the French catalogue, compile it
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		--project factcheck -o factcheck/translations/messages.pot .
	$(BIN)/pybabel update -i factcheck/translations/messages.pot -d factcheck/translations \
		--width 100 --ignore-obsolete --no-fuzzy-matching
	$(BIN)/pybabel compile -d factcheck/translations --statistics

bench: install
	$(PY) bench/run.py --scale small

bench-full: install
	$(PY) bench/run.py --scale full

## Soak: 50 simulated users for 10 minutes on PostgreSQL (SOAK_ARGS="--users 20 --minutes 2")
soak: install
	$(PY) bench/soak.py $(SOAK_ARGS)

## Check dependencies against the advisory database (needs internet; not part of CI)
audit: install
	$(PIP) install -q pip-audit
	$(BIN)/pip-audit --strict

# clean: also what the app wrote into instance/ (its README and config.py.example stay)
clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache
	find instance -mindepth 1 ! -name README.md ! -name config.py.example -exec rm -rf {} +
