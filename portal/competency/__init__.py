"""ASN competency profiles: catalogue, position standards, ASN records, assessments, gaps."""

from __future__ import annotations

from flask import Blueprint

from portal.util.blueprints import with_views

bp = Blueprint("competency", __name__)  # /competency: the ASN's profile, plans, the demand board
admin_bp = Blueprint("competency_admin", __name__)  # /admin/competency: catalogue, positions, ASN
roster_bp = Blueprint("roster", __name__)  # /admin/roster: the roster import

#: Every page of the feature, one module per line: importing one registers its routes.
VIEWS = (
    "assessments.views",
    "plans.views",
    "dictionary.views",
    "positions.views",
    "jenjang.views",
    "asn.views",
    "roster.views",
)


def blueprints() -> tuple[Blueprint, Blueprint, Blueprint]:
    """``bp``, ``admin_bp`` and ``roster_bp`` with the routes of every module in ``VIEWS``."""
    with_views(bp, __name__, VIEWS)
    return bp, admin_bp, roster_bp
