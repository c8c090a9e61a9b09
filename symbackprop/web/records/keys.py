"""Students' secrets: made by the page (or the server) for a student id, needed to record as that student or read
their answers back; the class database keeps only each secret's SHA-256 digest."""
import hashlib
import hmac
import re
import secrets

SECRET = re.compile(r"[A-Za-z0-9_-]{16,128}")


def new_secret() -> str:
    """A fresh secret: 24 URL-safe characters (144 random bits)."""
    return secrets.token_urlsafe(18)


def digest(secret: str) -> str:
    """What the database keeps of a secret (a random secret needs no salt or slow hash)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def matches(secret: str | None, stored: str | None) -> bool:
    """Whether a secret is the one whose digest is stored (compared in constant time)."""
    return bool(secret) and bool(stored) and hmac.compare_digest(digest(secret), stored)
