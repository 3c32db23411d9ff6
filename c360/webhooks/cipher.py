"""Endpoint secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from C360_SECRET_KEY.

The key is HKDF-SHA256 of C360_SECRET_KEY with its own ``info``, so it is independent of the cursor
signing key derived from the same setting. ``Settings`` refuses an empty, short or published
C360_SECRET_KEY outside development, so `c360 serve` and `c360 worker` do not start without a good one.
"""

from __future__ import annotations

import base64
import threading
from functools import lru_cache

from cachetools import LRUCache
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from c360.errors import ConfigError
from c360.settings import Settings


class SecretCipher:
    """Encrypts and decrypts endpoint secrets; decrypted secrets are cached (the engine signs per attempt)."""

    def __init__(self, fernet: Fernet) -> None:
        self._fernet = fernet
        self._decrypted: LRUCache[str, str] = LRUCache(maxsize=10_000)
        self._lock = threading.Lock()  # the engine's sender threads share the cipher

    def seal(self, secret: str) -> str:
        """The stored form of ``secret``."""
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, token: str) -> str:
        """The secret sealed in ``token``; ConfigError when C360_SECRET_KEY is not the key it was sealed with."""
        with self._lock:
            found = self._decrypted.get(token)
        if found is None:
            try:
                found = self._fernet.decrypt(token.encode()).decode()
            except InvalidToken:
                raise ConfigError(
                    "a webhook secret cannot be decrypted: C360_SECRET_KEY is not the key it was stored with"
                ) from None
            with self._lock:
                self._decrypted[token] = found
        return found


def secret_cipher(settings: Settings) -> SecretCipher:
    """The cipher of C360_SECRET_KEY (checked by the settings class: a development default only there)."""
    return _cipher(settings.master_key)


@lru_cache(maxsize=4)
def _cipher(master: str) -> SecretCipher:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"c360-webhook-secrets").derive(
        master.encode()
    )
    return SecretCipher(Fernet(base64.urlsafe_b64encode(derived)))
