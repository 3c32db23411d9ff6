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
API_HOST ?= 127.0.0.1
API_PORT ?= 8360

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Every `c360` command is a new process: without cached bytecode each one compiles SQLAlchemy, pydantic,
# sqlglot... from source again (about 2 s per command on a 2-core machine). Compile the dependencies at
# install, and let Python cache our own modules even where the environment says otherwise.
export UV_COMPILE_BYTECODE := 1
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo demo-serve openapi sdk test test-fast lint typecheck pytest bench clean

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
	@$(MAKE) --no-print-directory demo-serve

# The demo ends by serving: a fresh demo key, the URL, four curl lines that work (the third is the change feed,
# a CRM's sync; the last one asks for the
# riskiest subscriber's profile), then the API in the foreground (Ctrl-C stops it). Before any scoring run is
# published the curls answer an empty list and 404 problems that say so.
demo-serve: install
	@mkdir -p var
	@$(C360) keys create --name demo --scopes scores:read,profiles:read,events:write,webhooks:manage > var/demo.key.out
	@tail -n 1 var/demo.key.out > var/demo.key && rm var/demo.key.out
	@KEY=$$(cat var/demo.key); URL=http://$(API_HOST):$(API_PORT); \
	SUB=$$($(BIN)/python -c 'import sqlalchemy as sa; from c360.serving.store import Store, served_subscribers as t; from c360.settings import get_settings; conn = Store.from_settings(get_settings()).engine.connect(); print(conn.execute(sa.select(t.c.subscriber_id).where(t.c.risk_tier == "High").order_by(t.c.run_seq.desc(), t.c.churn_risk_score.desc()).limit(1)).scalar() or "unknown")' 2>/dev/null || echo unknown); \
	echo; echo "Customer 360 API: $$URL  (docs: $$URL/docs)"; \
	echo "demo key (shown once, also in var/demo.key): $$KEY"; echo; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/risk-tiers'"; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/health-scores?risk_tier=High&limit=5'"; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/health-scores/changes?limit=3'"; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/subscribers/$$SUB'"; echo
	$(C360) serve --host $(API_HOST) --port $(API_PORT)

openapi: install
	$(BIN)/python -m api.openapi --out openapi.yaml

# The SDK is generated from the contract, never edited: `make openapi sdk` after an API change.
sdk: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate --path openapi.yaml \
		--config clients/openapi-python-client.yaml --custom-template-path clients/templates \
		--meta uv --output-path clients/python --overwrite --fail-on-warning

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

pytest: install
	$(BIN)/pytest

test: lint pytest

# Between edits: every test not marked slow, on all cores (pytest-xdist); `make test` stays the whole suite.
test-fast: install
	$(BIN)/pytest -m "not slow" -n auto -q

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf var/warehouse.duckdb var/warehouse.duckdb.wal var/demo-sources var/duckdb_tmp
