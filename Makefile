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
DASHBOARD_HOST ?= 127.0.0.1
DASHBOARD_PORT ?= 8501

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Every `c360` command is a new process: without cached bytecode each one compiles SQLAlchemy, pydantic,
# sqlglot... from source again (about 2 s per command on a 2-core machine). Compile the dependencies at
# install, and let Python cache our own modules even where the environment says otherwise.
export UV_COMPILE_BYTECODE := 1
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install demo demo-serve live openapi sdk test test-fast lint typecheck pytest bench clean

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

# The demo, live: the API, the worker (tasks, landing folders, inbox, publishing, webhooks, alerts, metrics on
# :9360), the dashboard (reading the API with the demo key) and `c360 simulate` moving the generated world
# forward (days already past at SPEED: 1440 = a day a minute; then in real time); one Ctrl-C stops all four. Run `make demo` first: it builds the
# warehouse and the key this posts events and reads the API with.
SPEED ?= 1440
live: install
	@test -f var/demo.key || { echo "make live moves the demo forward: run make demo first"; exit 1; }
	@trap 'kill $$API $$WORKER $$DASH $$SIM 2>/dev/null' INT TERM; \
	KEY=$$(cat var/demo.key); URL=http://$(API_HOST):$(API_PORT); \
	C360_WEBHOOK_ALLOW_PRIVATE_URLS=1 $(C360) serve --host $(API_HOST) --port $(API_PORT) & API=$$!; \
	C360_WEBHOOK_ALLOW_PRIVATE_URLS=1 $(C360) worker --metrics-port 9360 & WORKER=$$!; \
	C360_DASHBOARD_API_URL=$$URL C360_DASHBOARD_API_KEY=$$KEY \
		$(C360) dashboard --host $(DASHBOARD_HOST) --port $(DASHBOARD_PORT) & DASH=$$!; \
	sleep 5; \
	echo "live: API $$URL, dashboard http://$(DASHBOARD_HOST):$(DASHBOARD_PORT), metrics :9360; Ctrl-C stops all"; \
	C360_SIMULATE_KEY=$$KEY $(C360) simulate --sources $(DEMO_DIR) --scale $(SCALE) --seed $(SEED) \
		--speed $(SPEED) --api $$URL & SIM=$$!; \
	wait; wait  # the first wait ends at Ctrl-C (the trap stops all four); the second lets them finish stopping

# The demo ends by serving: a fresh demo key, the URLs, four curl lines that work (the third is the change feed,
# a CRM's sync; the last one asks for the riskiest subscriber's profile), then the API in the background and
# the dashboard in the foreground, reading the API with the same key (Ctrl-C stops both). Before any scoring
# run is published the curls answer an empty list and 404 problems that say so, and the dashboard says so too.
# The demo's API accepts webhook endpoints on this machine (C360_WEBHOOK_ALLOW_PRIVATE_URLS=1, development
# only): docs/webhooks.md's recipe.
demo-serve: install
	@mkdir -p var
	@$(C360) keys create --name demo --scopes scores:read,profiles:read,analytics:read,events:write,webhooks:manage > var/demo.key.out
	@tail -n 1 var/demo.key.out > var/demo.key && rm var/demo.key.out
	@KEY=$$(cat var/demo.key); URL=http://$(API_HOST):$(API_PORT); \
	SUB=$$($(BIN)/python -c 'import sqlalchemy as sa; from c360.serving.store import Store, served_subscribers as t; from c360.settings import get_settings; conn = Store.from_settings(get_settings()).engine.connect(); print(conn.execute(sa.select(t.c.subscriber_id).where(t.c.risk_tier == "High").order_by(t.c.run_seq.desc(), t.c.churn_risk_score.desc()).limit(1)).scalar() or "unknown")' 2>/dev/null || echo unknown); \
	echo; echo "Customer 360 API: $$URL  (docs: $$URL/docs)"; \
	echo "Customer 360 dashboard: http://$(DASHBOARD_HOST):$(DASHBOARD_PORT)"; \
	echo "demo key (shown once, also in var/demo.key): $$KEY"; echo; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/risk-tiers'"; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/health-scores?risk_tier=High&limit=5'"; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/health-scores/changes?limit=3'"; \
	echo "curl -s -H 'Authorization: Bearer $$KEY' '$$URL/v1/subscribers/$$SUB'"; echo; \
	echo "webhooks to a receiver on this machine: docs/webhooks.md, \"Local webhooks\""; echo
	@C360_WEBHOOK_ALLOW_PRIVATE_URLS=1 $(C360) serve --host $(API_HOST) --port $(API_PORT) & API=$$!; \
	trap 'kill $$API 2>/dev/null; wait $$API 2>/dev/null' EXIT INT TERM; \
	C360_DASHBOARD_API_URL=http://$(API_HOST):$(API_PORT) C360_DASHBOARD_API_KEY=$$(cat var/demo.key) \
		$(C360) dashboard --host $(DASHBOARD_HOST) --port $(DASHBOARD_PORT)

openapi: install
	$(BIN)/python -m api.contract --out openapi.yaml

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

# The whole suite on every core (pytest-xdist); the session's generated and trained warehouses are built once
# per run and shared by the workers (tests/conftest.py, once_per_run). `--dist loadfile` (a module's fixtures
# built once) reported 34 fewer tests than collected in one run on this machine, cause not found: not used.
pytest: install
	$(BIN)/pytest -n auto

test: lint pytest

# Between edits: every test not marked slow; `make test` stays the whole suite and CI's command. Property tests
# with at most 10 examples (tests/conftest.py); `worksteal`: an idle worker takes queued tests from the busy one.
# One worker more than the cores: a third of a worker's time is spent waiting (test servers, PostgreSQL, webhook
# receivers), and the extra worker fills it (2-core machine, interleaved: 97 and 98 s against 104 and 115 s).
FAST_WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 1)")
test-fast: install
	$(BIN)/pytest -m "not slow" -n $(FAST_WORKERS) --dist worksteal -q --hypothesis-profile=fast

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf var/warehouse.duckdb var/warehouse.duckdb.wal var/demo-sources var/duckdb_tmp
