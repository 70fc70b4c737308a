"""Home, dashboard, language switch."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session
from flask_login import current_user

from portal.access import PUBLIC, SIGNED_IN, allow
from portal.dashboards import panels_for
from portal.db import db
from portal.main import bp, queries
from portal.security import is_safe_url


@bp.route("/")
@allow(PUBLIC)
def home():
    return render_template("main/home.html", stats=queries.public_stats())


@bp.route("/dashboard")
@allow(SIGNED_IN)
def dashboard():
    user = current_user._get_current_object()
    return render_template(
        "main/dashboard.html",
        user=user,
        panels=panels_for(user),
        institution=queries.institution(user),
        authoring=queries.authoring(user),
    )


@bp.route("/language", methods=["POST"])
@allow(PUBLIC)
def set_language():
    """Switch the language; a signed-in user's choice is saved on the account."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_url(target) else "/")


# The notification centre and the benchmark baselines (B0/B1, issue 8) live in their own
# modules; importing them registers their routes.
