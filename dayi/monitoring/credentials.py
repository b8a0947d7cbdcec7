"""Device secrets. Shown once when issued; only their SHA-256 is stored.

A fast hash is enough here, unlike for passwords: the secret is 32 random bytes, so there is
nothing to guess, and a gateway posting every few seconds must not pay for a slow hash.
"""

import hashlib
import hmac
import secrets


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str, secret_hash: str) -> bool:
    return bool(secret_hash) and hmac.compare_digest(hash_secret(secret), secret_hash)
