"""Admin screens of the competency feature: the catalogue, positions and standards, ASN records."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("competency_admin", __name__)
