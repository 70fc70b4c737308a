"""Password hashing (argon2id) and the signed, expiring, one-time links sent by e-mail."""

from __future__ import annotations

import hashlib
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


@cache
def _make_hasher(time_cost: int, memory_cost: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)  # argon2id
    # Verified against when the e-mail is unknown, so a failed sign-in costs the same either way.
    return hasher, hasher.hash("not-a-real-password")


def _hasher() -> tuple[PasswordHasher, str]:
    cfg = current_app.config
    return _make_hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; False for no hash (an invited account) or a bad one."""
    hasher, dummy = _hasher()
    try:
        return hasher.verify(password_hash or dummy, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)


def _fingerprint(user) -> str:
    """Changes whenever the password changes, so a link works once."""
    return hashlib.sha256((user.password_hash or "unset").encode()).hexdigest()[:20]


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal.{purpose}")


def make_token(user, purpose: str) -> str:
    return _serializer(purpose).dumps({"uid": user.id, "fp": _fingerprint(user)})


def read_token(token: str, purpose: str, max_age: int, load_user):
    """The user a link was made for, or None when it is forged, expired or already used."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = load_user(data["uid"])
    if user is None or data.get("fp") != _fingerprint(user):
        return None
    return user
