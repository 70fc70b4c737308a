"""The ASN's competency profile, self-assessment and supervisor rating."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("competency", __name__)
