"""Cross-feature administration: institutions, accounts, the audit log."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("admin", __name__)

#: Every page of the feature, one module per line: importing one registers its routes on ``bp``.
VIEWS = ("views", "export_views")


def blueprint() -> Blueprint:
    """``bp`` with the routes of every module in ``VIEWS`` (``create_app`` registers it)."""
    return with_views(bp, __name__, VIEWS)
