"""The ``curricula`` blueprint; each page family lives in its own module (imported below)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("curricula", __name__)

# Importing the modules registers their routes on ``bp``.
from portal.curricula.views import (  # noqa: E402, F401
    catalogue,
    feedback,
    materials,
    proposal_list,
    proposals,
    review,
)
