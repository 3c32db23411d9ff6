# The project's vocabulary: `make demo`, `make test`, `make lint`, `make bench`.
# Everything runs from .venv, created and synced from uv.lock by the first target that needs it.

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
C360 := $(BIN)/c360
DEMO_DIR := var/demo-sources
SCALE ?= 1
SEED ?= 0

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: install demo test lint typecheck pytest bench clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: $(VENV)/.synced

demo: install
	$(C360) generate --out $(DEMO_DIR) --scale $(SCALE) --seed $(SEED)
	$(C360) migrate
	$(C360) ingest $(DEMO_DIR)/subscription_events.jsonl $(DEMO_DIR)/content_engagement.csv $(DEMO_DIR)/support_tickets.parquet
	$(C360) pipeline run
	$(C360) status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint pytest

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf var/warehouse.duckdb var/warehouse.duckdb.wal var/demo-sources var/duckdb_tmp
