"""Personal data (UU PDP, DOMAIN.md §8): the privacy notice, consent records, "Data saya" (a
person's own data, exported or corrected or deleted on request), retention and purge, and the log
of who viewed personal records."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("privacy", __name__)

# Importing the view modules registers their routes.
from portal.privacy import admin_views, views  # noqa: E402, F401
