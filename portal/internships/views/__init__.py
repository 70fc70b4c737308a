"""The ``internships`` blueprint; each page family lives in its own module (imported below)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("internships", __name__)

# Importing the modules registers their routes on ``bp``.
from portal.internships.views import (  # noqa: E402, F401
    applications,
    evaluation,
    guidance,
    list_exports,
    placements,
    positions,
)
