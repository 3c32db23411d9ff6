# syntax=docker/dockerfile:1
# Customer 360: one image, three roles. `docker run IMAGE` serves the API (c360 serve);
# `docker run IMAGE worker` runs the background jobs; `docker run IMAGE dashboard --host 0.0.0.0 --port 8501`
# serves the Streamlit dashboard (a client of the API, with the generated SDK). The commands `make demo` runs.

FROM python:3.11-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
WORKDIR /src
# dependencies first, from the lock file only, so code changes reuse this layer
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --no-install-package c360-client
COPY README.md ./
COPY clients/python ./clients/python
COPY c360 ./c360
COPY api ./api
COPY pipeline_sql ./pipeline_sql
COPY dashboard ./dashboard
RUN uv sync --frozen --no-dev --no-editable

FROM python:3.11-slim-bookworm AS runtime
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin c360 \
    && mkdir -p /var/lib/c360 \
    && chown c360:c360 /var/lib/c360
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    C360_HOME=/var/lib/c360 \
    C360_ENV=production
USER 10001:10001
WORKDIR /var/lib/c360
EXPOSE 8000 8501
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
ENTRYPOINT ["c360"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
