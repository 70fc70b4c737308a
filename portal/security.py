"""Safe redirects (QUALITY.md G12) and the security headers every response carries (G13)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from flask import Flask, request, url_for
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def is_safe_url(target: str | None) -> bool:
    """True only for a local path on this site: ``/something``, never ``//host`` or a scheme.

    Modelled on Django's ``url_has_allowed_host_and_scheme`` but stricter: only relative paths
    are accepted, so no host check can be fooled. Control characters, backslashes, and
    invisible or bidirectional Unicode marks are refused outright.
    """
    if not target or not isinstance(target, str) or len(target) > 2000:
        return False
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target) or "\\" in target:
        return False
    if any(unicodedata.category(c) in {"Cf", "Zl", "Zp", "Cc", "Co", "Cs", "Cn"} for c in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(default_endpoint: str = "main.dashboard") -> str:
    """The ``next`` target of this request if it is safe, else the given page."""
    target = request.values.get("next")
    return target if is_safe_url(target) else url_for(default_endpoint)


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config["HSTS_ENABLED"]:
            h.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            h["Cache-Control"] = "no-store"
            h["Vary"] = "Cookie"
        return response
