"""The ceilings of the REST API benchmark, run by bench.api under the same uvicorn settings as `c360 serve`
(uvloop, httptools, no access log, same worker count):

* ``app``: a bare FastAPI endpoint returning a constant JSON (routing and serialization, nothing of ours);
* ``raw``: a raw ASGI app sending constant bytes, the most any Python app can do under this server;
* ``response``: a raw ASGI app sending the bytes of a real warm health-score answer (captured by bench.api);
* ``least``: the least Python a warm health-score answer needs (key, scope, rate limit, cache, ETag, counts).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from api.metrics import BUCKETS

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


# The two ceilings below answer like the warm-cache health-score lookup, from a capture of one of its real answers
# that bench.api writes (C360_BENCH_RESPONSE: its headers, body, and the SHA-256 of the key it used): the raw app's
# constant bytes are smaller (75 bytes and 2 headers against about 1 KB and 9 headers), and the server's own work
# per request grows with what it writes.


def _capture() -> dict[str, Any]:
    captured: dict[str, Any] = json.loads(Path(os.environ["C360_BENCH_RESPONSE"]).read_text(encoding="utf-8"))
    return captured


def response() -> ASGIApp:
    """Factory (``uvicorn --factory bench.bare:response``): the warm lookup's answer, its headers and body byte for
    byte, sent with no logic at all: the ceiling of the real answer under this server."""
    captured = _capture()
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in captured["headers"]]
    start = {"type": "http.response.start", "status": 200, "headers": headers}
    end = {"type": "http.response.body", "body": captured["body"].encode()}

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await send(start)
            await send(end)

    return answer


class Least:
    """The least a warm-cache lookup can do in Python, with nothing to spare: the one Authorization header read
    and its key verified by SHA-256 in a dict, the key's scope checked, a fixed-window request count, the
    answer found by path in a dict holding every subscriber's, If-None-Match compared, the route's headers
    (rate-limit ones included, the limit and window the captured answer states) built and sent, the request
    and its latency bucket counted in plain ints. What the service does beyond this (key expiry and
    revocation, a Redis-backed limit, Prometheus, problem answers) it does not; it answers only the bench's
    requests. A measure of what Python allows, not a server."""

    def __init__(self, captured: dict[str, Any], subscribers: int) -> None:
        sent = dict(captured["headers"])
        self.keys = {bytes.fromhex(captured["key_sha256"]): ("bench", frozenset({"admin"}))}
        body = captured["body"].encode()
        self.cache = {
            f"/v1/subscribers/sub-{i:07d}/health-score": (f'"{i:032x}"'.encode(), body) for i in range(subscribers)
        }
        self.fixed = [(name.encode(), sent[name].encode()) for name in ("cache-control", "vary")]
        self.json = (b"content-type", sent["content-type"].encode())
        self.limit, self.window = int(sent["ratelimit-limit"]), int(sent["ratelimit-policy"].partition("w=")[2])
        self.policy = (b"ratelimit-policy", sent["ratelimit-policy"].encode())
        self.counts: dict[str, list[int]] = {}
        self.requests: dict[tuple[str, str, int], int] = {}
        self.latency = [0] * (len(BUCKETS) + 1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        started = time.perf_counter()
        authorization = if_none_match = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization = value
            elif name == b"if-none-match":
                if_none_match = value
        key = None
        if authorization is not None and authorization[:7].lower() == b"bearer ":
            key = self.keys.get(hashlib.sha256(authorization[7:].strip()).digest())
        entry = self.cache.get(scope["path"])
        if key is None or "admin" not in key[1] or entry is None:
            await send({"type": "http.response.start", "status": 401, "headers": [(b"content-length", b"0")]})
            await send({"type": "http.response.body", "body": b""})
            return
        now = time.time()
        window = int(now // self.window)
        count = self.counts.get(key[0])
        if count is None or count[0] != window:
            count = self.counts[key[0]] = [window, 0]
        count[1] += 1
        etag, body = entry
        status = 304 if if_none_match == etag else 200
        headers = [(b"etag", etag), *self.fixed]
        if status == 200:
            headers += [(b"content-length", str(len(body)).encode()), self.json]
        headers += [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.limit - count[1]).encode()),
            (b"ratelimit-reset", str(self.window - int(now) % self.window).encode()),
            self.policy,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if status == 200 else b""})
        route = ("GET", "/v1/subscribers/{subscriber_id}/health-score", status)
        self.requests[route] = self.requests.get(route, 0) + 1
        self.latency[bisect.bisect_left(BUCKETS, time.perf_counter() - started)] += 1


def least() -> Least:
    """Factory (``uvicorn --factory bench.bare:least``): every subscriber of --small answered from the capture."""
    return Least(_capture(), int(os.environ.get("C360_BENCH_SUBSCRIBERS", "25000")))
