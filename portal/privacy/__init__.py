"""Personal data (UU PDP, DOMAIN.md §8): the privacy notice, consent records, "Data saya" (a
person's own data, exported or corrected or deleted on request), retention and purge, and the log
of who viewed personal records."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("privacy", __name__)

#: Every page of the feature, one module per line: importing one registers its routes on ``bp``.
VIEWS = ("views", "requests_views", "erasure_views", "admin_views")


def blueprint() -> Blueprint:
    """``bp`` with the routes of every module in ``VIEWS`` (``create_app`` registers it)."""
    return with_views(bp, __name__, VIEWS)
