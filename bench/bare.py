"""The ceiling of the REST API benchmark: a bare FastAPI endpoint returning a constant JSON.

Run by bench.api under the same uvicorn settings as `c360 serve` (uvloop, httptools, no access log).
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/")
async def constant() -> dict[str, object]:
    """A constant JSON body about the size of a health score."""
    return {"subscriber_id": "sub-0000001", "churn_risk_score": 0.42, "risk_tier": "High"}
