# Two commands on a fresh machine:
#   make build   set up .venv, load $UNGA_SOURCE (without it, on an empty warehouse, the newest
#                release of the UN Digital Library's record), run dbt build (models + tests)
#   make test    set up .venv and run every test (pytest, dbt on real data, linters)
# Later, `make update` loads and builds a newer release when the record lists one.
#
# `make help` lists every target: each one's line below carries its description after `##`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Where the dashboard, dbt docs and Superset listen: this machine only, unless set otherwise.
HOST ?= 127.0.0.1

.PHONY: help build update load publish report export dashboard docs superset superset-install \
	test test-superset lint format browser clean bench bench-scaling bench-load

help: ## list the targets and what they do
	@awk -F':.*## ' '/^[a-z][a-z-]*:.*## / { printf "make %-17s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

build: $(STAMP) ## set up .venv, load UNGA_SOURCE (else, when empty, the newest release), dbt build, publish
	$(BIN)/unga build

# WITH=voeten,dgacm asks the optional sources that have a stable address too.
update: $(STAMP) ## load and build a newer release only if one is out (WITH=voeten,dgacm: those too)
	$(BIN)/unga update$(if $(WITH), --with $(WITH))

load: $(STAMP) ## load UNGA_SOURCE into the warehouse's raw schema only
	$(BIN)/unga load

publish: $(STAMP) ## publish the current warehouse again: serving.duckdb and parquet/ beside it
	$(BIN)/unga publish

report: $(STAMP) ## write reports/<selection>/report.md for the selection of the last build
	$(BIN)/unga report

export: $(STAMP) ## write the marts as CSV and Stata .dta files into warehouse/export/
	$(BIN)/unga export

# The cohesion dashboard on the published serving copy (UNGA_SERVING, default
# warehouse/serving.duckdb); `make build` publishes it.
dashboard: $(STAMP) ## serve the Streamlit dashboard on http://127.0.0.1:8501 (HOST to change)
	$(BIN)/streamlit run scripts/unga/dashboard/Cohesion.py --server.headless=true \
		--server.address=$(HOST) --browser.gatherUsageStats=false --client.toolbarMode=viewer

docs: $(STAMP) ## generate dbt's documentation site and serve it on http://127.0.0.1:8080
	$(BIN)/unga docs --serve --host $(HOST)

# Apache Superset in a virtual environment of its own (its pins never touch .venv): the
# versions it was tested with are in superset/constraints.txt.
SUPERSET_VENV := .venv-superset
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed

$(SUPERSET_STAMP): superset/requirements.txt superset/constraints.txt
	$(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/pip install --quiet --upgrade pip
	$(SUPERSET_VENV)/bin/pip install --quiet -r superset/requirements.txt -c superset/constraints.txt
	touch $(SUPERSET_STAMP)

superset-install: $(SUPERSET_STAMP) ## install Apache Superset into .venv-superset
	@echo "Superset installed in $(SUPERSET_VENV)"

superset: $(STAMP) $(SUPERSET_STAMP) ## start Superset with the dashboard on http://127.0.0.1:8088
	$(BIN)/unga superset --host $(HOST)

test: $(STAMP) lint browser ## set up .venv and run every test (Superset's: make test-superset)
	$(BIN)/pytest

test-superset: $(STAMP) browser $(SUPERSET_STAMP) ## install Superset, test its dashboard in Chromium
	UNGA_REQUIRE_SUPERSET=1 $(BIN)/pytest scripts/tests/test_superset_e2e.py

lint: $(STAMP) ## ruff and sqlfluff only
	$(BIN)/ruff check scripts models
	$(BIN)/ruff format --check scripts models
	mkdir -p target
	UNGA_DB=target/sqlfluff.duckdb $(BIN)/sqlfluff lint models tests
	$(BIN)/sqlfluff lint --templater placeholder scripts/unga/ideal_points/sql

format: $(STAMP) ## let ruff and sqlfluff fix what they can
	$(BIN)/ruff format scripts models
	$(BIN)/ruff check --fix scripts models
	mkdir -p target
	UNGA_DB=target/sqlfluff.duckdb $(BIN)/sqlfluff fix models tests
	$(BIN)/sqlfluff fix --templater placeholder scripts/unga/ideal_points/sql

clean: ## remove .venv, .venv-superset, dbt's target/ and logs/ (the warehouse stays)
	rm -rf $(VENV) $(SUPERSET_VENV) target logs

# Developers' benchmarks (docs/PERFORMANCE.md), not part of the unga command.
bench: $(STAMP) ## (developers) time the dyad marts against a pandas recount of the warehouse
	$(BIN)/python scripts/bench/bench_dyads.py

bench-scaling: $(STAMP) ## (developers) time the year mart's SQL on growing slices of the votes
	$(BIN)/python scripts/bench/bench_dyads.py --scaling

bench-load: $(STAMP) ## (developers) time the loads of the real files against DuckDB's own read
	$(BIN)/python scripts/bench/bench_load.py

# Headless Chromium and its driver for the browser tests (Debian packages; as root, or with
# sudo). Without them those tests are skipped, and say so.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
browser: ## install Debian's chromium and chromedriver for the browser tests
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
			-y -qq chromium chromium-driver ) \
		|| echo "warning: could not install chromium; the browser tests will be skipped"; \
	fi
