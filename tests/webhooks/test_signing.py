"""Standard Webhooks signing, checked against the reference implementation (``standardwebhooks``)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from standardwebhooks import Webhook

from c360.settings import Settings
from c360.webhooks import signing
from c360.webhooks.cipher import secret_cipher


def test_secrets_are_whsec_and_32_random_bytes() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    assert signing.new_secret() != secret


def test_our_signature_is_the_reference_implementations() -> None:
    secret, body = signing.new_secret(), b'{"type":"webhook.test","timestamp":"2025-11-21T04:30:02.117Z","data":{}}'
    moment = datetime(2025, 11, 21, 4, 30, 2, tzinfo=UTC)
    ours = signing.signature(signing.secret_key(secret), "msg_1", int(moment.timestamp()), body)
    assert ours == Webhook(secret).sign("msg_1", moment, body.decode())
    headers = signing.headers([signing.secret_key(secret)], "msg_1", int(moment.timestamp()), body)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}


def test_secrets_are_sealed_with_a_key_from_c360_secret_key() -> None:
    one = secret_cipher(Settings(env="production", secret_key="a" * 40))
    other = secret_cipher(Settings(env="production", secret_key="b" * 40))
    sealed = one.seal("whsec_abc")
    assert "whsec_abc" not in sealed and one.open(sealed) == "whsec_abc"
    try:
        other.open(sealed)
    except Exception as exc:  # a ConfigError that says which setting is wrong, never the secret
        assert "C360_SECRET_KEY is not the key" in str(exc) and "whsec_abc" not in str(exc)
    else:
        raise AssertionError("another key opened the secret")
