"""Internships (magang, DOMAIN.md §5, issue 6): positions, applications, placements (with the
logbook and the final report), guidance sessions and evaluation, one sub-package each; the
steps that cross them (accepting an offer, completing a placement) are in ``lifecycle``."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("internships", __name__)

#: Every page of the feature, one module per line: importing one registers its routes on ``bp``.
VIEWS = (
    "positions.views",
    "positions.export_views",
    "applications.views",
    "applications.queue_views",
    "placements.views",
    "placements.logbook_views",
    "guidance.views",
    "evaluation.views",
    "credit.views",
    "matching.views",
)


def blueprint() -> Blueprint:
    """``bp`` with the routes of every module in ``VIEWS`` (``create_app`` registers it)."""
    return with_views(bp, __name__, VIEWS)
