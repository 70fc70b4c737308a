"""The JF jenjang table (part of the ``competency_admin`` blueprint, /admin/competency/jenjang):
every admin reads it, the city-wide admin changes it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.competency import admin_bp as bp
from portal.competency import standards
from portal.competency.jenjang import services
from portal.competency.jenjang.forms import jenjang_form
from portal.competency.models import JENJANG_DEFAULT_LEVELS
from portal.i18n import _
from portal.refusals import attempt


@bp.route("/jenjang", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit_jenjang_levels():
    if request.method == "POST":
        require(current_user.is_city_admin)
    form = jenjang_form(standards.jenjang_levels())
    if form.validate_on_submit():
        done = attempt(
            lambda: services.save_jenjang_levels(actor=current_user, levels=form.levels())
        )
        if done:
            flash(
                _("The jenjang levels have been saved: %(count)d changed.", count=done.value),
                "success",
            )
            return redirect(url_for("competency_admin.edit_jenjang_levels"))
    elif request.method == "POST":
        flash(_("Choose a level from 1 to 5 for each jenjang."), "danger")
    return render_template(
        "competency/jenjang/levels.html",
        form=form,
        defaults=JENJANG_DEFAULT_LEVELS,
        may_change=current_user.is_city_admin,
    )
