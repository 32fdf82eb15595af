# jiandu — one-command setup, demo and tests. See README.md.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_SEED ?= 7
DEMO_SCALE ?= 1
DEMO_DIR ?= data/demo-city

.PHONY: venv demo demo-setup serve test check lint typecheck contracts messages bench-import clean e2e-deps

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# Build the embedded database, load the demo city, print the demo accounts, serve on 127.0.0.1:8000.
demo: demo-setup serve

demo-setup: venv
	$(PY) -m jiandu migrate --noinput
	$(PY) -m jiandu demo-load --seed $(DEMO_SEED) --scale $(DEMO_SCALE) --out $(DEMO_DIR)
	$(PY) -m jiandu demo-accounts

# The task consumer (background imports of uploads) runs alongside the web server and stops with it.
serve: venv
	$(PY) -m jiandu run_huey --quiet & consumer=$$!; trap 'kill $$consumer 2>/dev/null' EXIT INT TERM; \
	$(PY) -m jiandu runserver 127.0.0.1:8000 --noreload

test: venv
	$(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check jiandu tests tools
	$(VENV)/bin/ruff format --check jiandu tests tools

typecheck: venv
	$(VENV)/bin/mypy jiandu

# The floors and independence contracts in pyproject.toml ([tool.importlinter], docs/architecture.md).
contracts: venv
	PYTHONPATH=$(CURDIR) $(VENV)/bin/lint-imports --no-cache

check: lint typecheck contracts test

messages: venv
	cd jiandu && ../$(PY) -m jiandu makemessages -l en --ignore "tests/*"
	$(PY) tools/i18n_fill.py

# Debian's Chromium and CJK fonts for the end-to-end browser tests (Playwright never downloads a browser here).
e2e-deps:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)

# Import benchmark (not a test): 1,000,000 payment rows on SQLite and PostgreSQL vs PostgreSQL COPY.
BENCH_ROWS ?= 1000000
bench-import: venv
	$(PY) -m jiandu bench-import --rows $(BENCH_ROWS)

clean:
	rm -rf $(VENV) data/jiandu.sqlite3*
