"""Co-designed curricula: proposals and their workflow, course materials, the feedback loop and the
public catalogue, one sub-package each."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("curricula", __name__)

#: Every page of the feature, one module per line: importing one registers its routes on ``bp``.
VIEWS = (
    "proposals.views",
    "proposals.authoring_views",
    "proposals.list_views",
    "proposals.review_views",
    "materials.views",
    "feedback.views",
    "catalogue.views",
)


def blueprint() -> Blueprint:
    """``bp`` with the routes of every module in ``VIEWS`` (``create_app`` registers it)."""
    return with_views(bp, __name__, VIEWS)
