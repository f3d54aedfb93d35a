# Two commands on a fresh machine:
#   make build   set up .venv, load $UNGA_SOURCE, run dbt build (models + tests)
#   make test    set up .venv and run every test (pytest, dbt on real data, linters)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build load report test lint format clean help

help:
	@echo "make build   set up .venv, load UNGA_SOURCE (path or URL) and run dbt build"
	@echo "make test    set up .venv and run every test"
	@echo "make report  write reports/focal_cohesion.md from the built warehouse"
	@echo "make lint    ruff and sqlfluff only"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/unga build

load: $(STAMP)
	$(BIN)/unga load

report: $(STAMP)
	$(BIN)/unga report

lint: $(STAMP)
	$(BIN)/ruff check scripts models
	$(BIN)/ruff format --check scripts models
	mkdir -p target
	UNGA_DB=target/sqlfluff.duckdb $(BIN)/sqlfluff lint models tests
	$(BIN)/sqlfluff lint --templater placeholder scripts/unga/ideal_points/sql

test: $(STAMP) lint browser
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format scripts models
	$(BIN)/ruff check --fix scripts models
	mkdir -p target
	UNGA_DB=target/sqlfluff.duckdb $(BIN)/sqlfluff fix models tests
	$(BIN)/sqlfluff fix --templater placeholder scripts/unga/ideal_points/sql

clean:
	rm -rf $(VENV) target logs

.PHONY: browser dashboard publish

# Headless Chromium and its driver for the dashboard's end-to-end test (Debian packages;
# as root, or with sudo). Without them that one test is skipped, and says so.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		( $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install \
			-y -qq chromium chromium-driver ) \
		|| echo "warning: could not install chromium; the dashboard browser test will be skipped"; \
	fi

# The cohesion dashboard on the published serving copy (UNGA_SERVING, default
# warehouse/serving.duckdb); `make build` publishes it.
dashboard: $(STAMP)
	$(BIN)/streamlit run scripts/unga/dashboard/app.py --server.headless=true \
		--browser.gatherUsageStats=false --client.toolbarMode=viewer

# Publish the current warehouse again: serving.duckdb and parquet/ beside it.
publish: $(STAMP)
	$(BIN)/unga publish
