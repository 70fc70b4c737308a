"""The ``internships`` blueprint; each page family lives in its own module (imported below)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("internships", __name__)
