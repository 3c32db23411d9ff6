"""The ceilings of the REST API benchmark, run by bench.api under the same uvicorn settings as `c360 serve`
(uvloop, httptools, no access log, same worker count):

* ``app``: a bare FastAPI endpoint returning a constant JSON (routing and serialization, nothing of ours);
* ``raw``: a raw ASGI app sending constant bytes, the most any Python app can do under this server.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/")
async def constant() -> dict[str, object]:
    """A constant JSON body about the size of a health score."""
    return {"subscriber_id": "sub-0000001", "churn_risk_score": 0.42, "risk_tier": "High"}


_BODY = b'{"subscriber_id":"sub-0000001","churn_risk_score":0.42,"risk_tier":"High"}'
_START = {
    "type": "http.response.start",
    "status": 200,
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(_BODY)).encode())],
}
_END = {"type": "http.response.body", "body": _BODY}


async def raw(scope: Scope, receive: Receive, send: Send) -> None:
    """The same body as ``app``'s, sent with no framework at all."""
    if scope["type"] == "http":
        await send(_START)
        await send(_END)
