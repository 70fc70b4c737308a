"""Roster import (XLSX/CSV): upload, preview every row's validation, confirm, all or nothing."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("roster", __name__)
