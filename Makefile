# jiandu — one-command setup, demo and tests. See README.md.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
DEMO_SEED ?= 7
DEMO_SCALE ?= 1
DEMO_DIR ?= data/demo-city

.PHONY: venv demo demo-setup serve test check lint typecheck contracts messages bench-import bench-load clean e2e-deps \
	lock upgrade-lock wheelhouse

venv: $(VENV)/.installed

# Exactly the locked versions, every file checked against its hash; jiandu itself is linked in, without deps.
$(VENV)/.installed: pyproject.toml requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements/dev.txt
	$(PY) -m pip install -q --no-deps -e .
	$(PY) -m pip check || (echo "pyproject.toml names a package the lock lacks: run make lock" >&2; false)
	touch $@

# The lock (docs/runbooks.md): requirements/dev.txt (runtime + dev extra) and requirements/runtime.txt (what a
# server installs), pinned with the hashes of every file of each version, for every platform (uv's universal
# resolution). `make lock` keeps today's pins and adds what pyproject.toml newly asks for; `make upgrade-lock`
# moves every pin to the newest version pyproject.toml allows.
UV_COMPILE = $(PY) -m uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--no-header --quiet
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m uv --version >/dev/null 2>&1 || $(PY) -m pip install -q \
		"uv==$$(sed -n 's/^uv==\([^ ]*\).*/\1/p' requirements/dev.txt)"
	$(UV_COMPILE) $(LOCK_FLAGS) --extra dev -o requirements/dev.txt
	$(UV_COMPILE) $(LOCK_FLAGS) -c requirements/dev.txt -o requirements/runtime.txt
	! grep -iE '^(torch|nvidia-)' requirements/*.txt

upgrade-lock:
	$(MAKE) lock LOCK_FLAGS=--upgrade

# Offline install kit: jiandu's wheel and every locked dependency for x86_64 and aarch64 Linux, CPython 3.11.
WHEELHOUSE ?= dist/wheelhouse
wheelhouse: venv
	$(PY) tools/wheelhouse.py --lock requirements/runtime.txt --out $(WHEELHOUSE)

# Build the embedded database, load the demo city, print the demo accounts, serve on 127.0.0.1:8000.
demo: demo-setup serve

demo-setup: venv
	$(PY) -m jiandu migrate --noinput
	$(PY) -m jiandu demo-load --seed $(DEMO_SEED) --scale $(DEMO_SCALE) --out $(DEMO_DIR)
	$(PY) -m jiandu demo-accounts

# The production server on loopback: gunicorn (two workers, enough for one person) and the task consumer,
# restarted if it dies (`jiandu serve`, docs/runbooks.md). Django's runserver gave a newcomer nothing more —
# it ran without auto-reload, and error pages come from JIANDU_DEBUG, not from the server — and it hid the
# path a commission actually runs.
serve: venv
	$(PY) -m jiandu serve --bind 127.0.0.1:8000 --workers 2

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
# nginx-light: tests/ops/test_deploy.py checks the deploy/ sample with `nginx -t` (CI never skips it).
e2e-deps:
	(command -v chromium && command -v nginx) >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk nginx-light)

# Import benchmark (not a test): 1,000,000 payment rows on SQLite and PostgreSQL vs PostgreSQL COPY.
BENCH_ROWS ?= 1000000
bench-import: venv
	$(PY) -m jiandu bench-import --rows $(BENCH_ROWS)

# Load run (not a test; docs/benchmarks.md "Load"): 50 signed-in users on `jiandu serve` (127.0.0.1, production
# settings, PostgreSQL) while a 1,000,000-row delivery imports, a full scan runs and the consumer is killed -9.
# The first run loads the scale-1 demo city into a template database (minutes); later runs copy it.
LOAD_USERS ?= 50
LOAD_PG ?= postgres://postgres@127.0.0.1:5432/jiandu_loadcity
bench-load: venv
	$(PY) -m jiandu bench-load --users $(LOAD_USERS) --rows $(BENCH_ROWS) --postgres-url $(LOAD_PG)

clean:
	rm -rf $(VENV) data/jiandu.sqlite3*
