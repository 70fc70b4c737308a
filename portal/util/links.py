"""Links to the portal's pages from where there may be no request: notifications, e-mails, the
daily jobs and the demo data (``flask demo-data`` runs outside a request)."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def path(endpoint: str, **values) -> str:
    """The page's path, in a request or not."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("").build(endpoint, values)


def link(endpoint: str, **values) -> str | None:
    """The page's path for a notification, or None while no view serves ``endpoint`` (an app
    built without that feature's pages)."""
    if endpoint not in current_app.view_functions:
        return None
    return path(endpoint, **values)


def absolute(endpoint: str, **values) -> str:
    """The page's address for an e-mail or a printed document, built on ``BASE_URL``: never on
    the request's Host header, which a client controls (a forged Host would send reset tokens to
    another site)."""
    return current_app.config["BASE_URL"].rstrip("/") + path(endpoint, **values)
