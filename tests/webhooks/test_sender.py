"""The sender's HTTP/1.1 on real loopback servers: what it writes, how it reads any answer, when it keeps a
connection, TLS, and the address checks of a host name. Each test scripts a raw server (asyncio streams),
so answers no framework would send (an unframed body, garbage, a close before answering) are covered."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest

from c360.webhooks import sender as sender_module
from c360.webhooks import signing
from c360.webhooks.sender import MAX_RESPONSE, MAX_RESPONSE_HEAD, USER_AGENT, Answer, Sender

BODY = b'{"type":"subscriber.risk_tier.changed","data":{"subscriber_id":"sub-1"}}'
Script = Callable[[int, bytes], bytes | None]  # (request number from 1, request) -> raw answer; None: close


class RawServer:
    """Answers each request with what ``script`` returns, recording the requests and counting connections."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[bytes] = []
        self.connections = 0

    async def start(self, tls: ssl.SSLContext | None = None) -> int:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=tls)
        return int(self._server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lengths = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
                request = head + await reader.readexactly(int(lengths[0].split(b":", 1)[1]))
                self.requests.append(request)
                answer = self.script(len(self.requests), request)
                if answer is None:
                    break
                writer.write(answer)
                await writer.drain()
                if b"\r\nConnection: close\r\n" in answer or b"\r\nX-Then: hang-up\r\n" in answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):  # closed, or asyncio.run ends
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        self._server.close()


async def send(sender: Sender, url: str, i: int = 0) -> Answer:
    headers = signing.headers([b"k" * 32], f"msg_{i:04d}", 1_700_000_000, BODY)
    return await sender.send(url, BODY, headers)


def exchange(script: Script, sends: int, path: str = "/hook?x=1", pause: float = 0.0) -> tuple[list[Answer], RawServer]:
    """``sends`` attempts, one after the other (``pause`` seconds apart), through one Sender to a RawServer
    answering with ``script``."""
    server = RawServer(script)

    async def run() -> list[Answer]:
        port = await server.start()
        answers = []
        try:
            async with Sender(timeout=2.0, allow_private=True) as sender:
                for i in range(sends):
                    answers.append(await send(sender, f"http://127.0.0.1:{port}{path}", i))
                    await asyncio.sleep(pause)
            return answers
        finally:
            await server.stop()

    return asyncio.run(run()), server


def no_content(_: int, __: bytes) -> bytes:
    return b"HTTP/1.1 204 No Content\r\n\r\n"


def test_the_request_is_a_signed_post_and_one_connection_serves_every_attempt() -> None:
    answers, server = exchange(no_content, 3)
    assert [a.status_code for a in answers] == [204, 204, 204] and all(a.error is None for a in answers)
    assert server.connections == 1  # kept alive
    head, body = server.requests[2].split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    assert lines[0] == "POST /hook?x=1 HTTP/1.1" and body == BODY
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Host"] == f"127.0.0.1:{headers['Host'].split(':')[1]}"
    assert headers["User-Agent"] == USER_AGENT and headers["Content-Type"] == "application/json"
    assert headers["Content-Length"] == str(len(BODY))
    assert headers == {**headers, **signing.headers([b"k" * 32], "msg_0002", 1_700_000_000, BODY)}


def test_answers_framed_every_way_are_read_and_retry_after_kept() -> None:
    answers = [
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        b"HTTP/1.1 503 Busy\r\nRetry-After: 7\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nbus\r\n1\r\ny\r\n0\r\n\r\n",
        b"HTTP/1.1 429 Slow down\r\nretry-after: 2\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 410 Gone\r\nConnection: close\r\n\r\ngone until the close",  # no length: up to the close
    ]
    got, server = exchange(lambda n, _: answers[(n - 1) % 4], 5)
    assert [(a.status_code, a.response, a.retry_after) for a in got] == [
        (200, "hello", None),
        (503, "busy", "7"),
        (429, "", "2"),
        (410, "gone until the close", None),
        (200, "hello", None),
    ]
    assert server.connections == 2  # the server closed after the fourth


def test_a_long_answer_is_cut_at_max_response_and_its_connection_not_read_further() -> None:
    long = b"x" * (4 << 20)  # far more than one read: the rest is never read, and the connection is closed
    got, server = exchange(lambda n, _: b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(long), long), 2)
    assert [(a.status_code, a.response) for a in got] == [(200, "x" * MAX_RESPONSE)] * 2
    assert server.connections == 2


def test_a_connection_the_server_closed_while_idle_or_kept_too_long_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    got, server = exchange(lambda n, _: b"HTTP/1.1 204 No Content\r\nX-Then: hang-up\r\n\r\n", 3, pause=0.2)
    assert [a.status_code for a in got] == [204, 204, 204] and server.connections == 3
    monkeypatch.setattr(sender_module, "KEEP_IDLE", 0.1)
    got, server = exchange(no_content, 3, pause=0.2)
    assert [a.status_code for a in got] == [204, 204, 204] and server.connections == 3
    got, server = exchange(no_content, 3, pause=0.0)  # within KEEP_IDLE: kept
    assert server.connections == 1


def test_an_endless_header_fails_the_attempt_at_max_response_head_not_at_the_timeout() -> None:
    """A receiver streaming one header forever held the attempt to its timeout while the parser joined the
    pieces (gigabytes, and the event loop every endpoint's deliveries share); headers up to the limit pass."""
    flood = b"HTTP/1.1 200 OK\r\nX-Flood: " + b"a" * (1 << 20)  # and no end: the server keeps the line open
    big = b"HTTP/1.1 204 No Content\r\nX-Big: " + b"b" * (MAX_RESPONSE_HEAD - 200) + b"\r\n\r\n"
    got, server = exchange(lambda n, _: flood if n == 1 else big, 2)
    assert got[0].status_code is None
    assert got[0].error == f"the response's status line and headers ran past {MAX_RESPONSE_HEAD} bytes"
    assert got[1].status_code == 204 and got[1].error is None
    assert server.connections == 2  # the flooding connection was closed, not used again


def test_garbage_and_a_close_before_answering_are_failed_attempts() -> None:
    def script(n: int, _: bytes) -> bytes | None:
        return {1: b"SMTP ready\r\n\r\n", 2: None}.get(n, b"HTTP/1.1 204 No Content\r\n\r\n")

    got, server = exchange(script, 3)
    assert got[0].status_code is None and got[0].error is not None and got[0].error.startswith("HttpParserError")
    assert got[1].status_code is None and got[1].error is not None and "closed the connection" in got[1].error
    assert got[2].status_code == 204
    assert server.connections == 3  # neither failed connection was used again


def test_https_verifies_the_certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = _self_signed(tmp_path)
    served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    served.load_cert_chain(cert, key)

    async def run() -> list[Answer]:
        server = RawServer(no_content)
        port = await server.start(served)
        try:
            async with Sender(timeout=2.0, allow_private=True) as sender:
                untrusted = await send(sender, f"https://localhost:{port}/hook")
            monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the default verify paths now trust it
            async with Sender(timeout=2.0, allow_private=True) as sender:
                return [untrusted, await send(sender, f"https://localhost:{port}/hook")]
        finally:
            await server.stop()

    untrusted, trusted = asyncio.run(run())
    assert untrusted.status_code is None and untrusted.error is not None
    assert untrusted.error.startswith("connection failed") and "CERTIFICATE_VERIFY_FAILED" in untrusted.error
    assert trusted.status_code == 204 and trusted.error is None


def test_a_host_name_resolving_to_a_private_address_is_refused_before_connecting() -> None:
    host = socket.gethostname()  # the machine's own name: a loopback or private address on most machines
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)}
    except OSError:
        pytest.skip(f"{host} does not resolve here")
    if all(ipaddress.ip_address(a).is_global for a in addresses):
        pytest.skip(f"{host} resolves to public addresses only here")
    server = RawServer(no_content)

    async def run() -> Answer:
        port = await server.start()
        try:
            async with Sender(timeout=2.0, allow_private=False) as sender:
                return await send(sender, f"https://{host}:{port}/hook")
        finally:
            await server.stop()

    answer = asyncio.run(run())
    assert answer.status_code is None and answer.error is not None
    assert answer.error.startswith(f"refused: {host} resolves to ")
    assert server.connections == 0


def _self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path
