"""The visitor's home page, the dashboards and the language switch."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("main", __name__)

#: Every page of the feature, one module per line: importing one registers its routes on ``bp``.
VIEWS = ("views", "baseline", "notifications", "notification_settings")


def blueprint() -> Blueprint:
    """``bp`` with the routes of every module in ``VIEWS`` (``create_app`` registers it)."""
    return with_views(bp, __name__, VIEWS)
