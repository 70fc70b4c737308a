"""The test client: every request in a fresh context, as a real one, with a CSRF token fetched
for each POST; and signing in through the session, as Flask-Login does."""

from __future__ import annotations

import contextvars
import re

from flask.testing import FlaskClient

_CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


class PortalClient(FlaskClient):
    """Each request runs in a fresh context (its own app context, ``g`` and session), as a real
    request would; ``post`` fetches a CSRF token unless one is given or ``csrf=False``."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        html = self.get("/login" if not self._signed_in() else "/account").get_data(as_text=True)
        match = _CSRF_RE.search(html)
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def _signed_in(self) -> bool:
        cookie = self.get_cookie("session")
        return cookie is not None and self._has_user

    _has_user = False

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)) and "csrf_token" not in (data or {}):
            kwargs["data"] = {**(data or {}), "csrf_token": self.csrf_token()}
        return super().post(*args, **kwargs)


def sign_in_as(client: PortalClient, user) -> PortalClient:
    """Sign ``client`` in as ``user`` through the session (no password check, no page load)."""
    with contextvars.Context().run(client.session_transaction) as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
    client._has_user = True
    return client
