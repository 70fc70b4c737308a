"""Benchmark baselines (QUALITY.md §(d), issue 8): the base layout and nothing else.

``make bench`` measures every key page against these two routes in the same run. B0 renders
``base.html`` for an anonymous visitor (no query); B1 renders it for a signed-in user, which
costs what every portal page pays: the session, the user load and the navigation's unread count.
They are harmless pages without data, so they stay in production builds.
"""

from __future__ import annotations

from flask import render_template

from portal.access import PUBLIC, SIGNED_IN, allow
from portal.main import bp


@bp.route("/_baseline/anonymous")
@allow(PUBLIC)
def baseline_anonymous():
    """B0: the base layout for anyone."""
    return render_template("main/baseline.html")


@bp.route("/_baseline/signed-in")
@allow(SIGNED_IN)
def baseline_signed_in():
    """B1: the base layout for a signed-in user (the denominator of every page's ratio)."""
    return render_template("main/baseline.html")
