"""The credit scheme pages: a university's scheme (its staff and the city-wide admins edit it)
and, for the admins, the list of universities with their schemes. University staff reach only
their own university's page (another one is 404: its scheme is none of their business)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.db import db
from portal.i18n import _
from portal.institutions.models import University
from portal.internships import bp
from portal.internships.credit import queries as credit_queries
from portal.internships.credit import services as credit_services
from portal.internships.credit.forms import CreditSchemeForm
from portal.internships.settings import hours_per_sks
from portal.refusals import attempt


def _is_city_admin(user) -> bool:
    return Role.ADMIN in user.roles and user.admin_agency_id is None


@bp.route("/universities/credit")
@allow(Role.ADMIN, Role.UNIVERSITY)
def credit_schemes():
    """Admins: every university and its scheme; university staff go to their own."""
    uni_id = current_user.university_id
    if Role.UNIVERSITY in current_user.roles and uni_id and not _is_city_admin(current_user):
        return redirect(url_for("internships.credit_scheme", university_id=uni_id))
    require(_is_city_admin(current_user), 403)
    return render_template(
        "internships/credit_schemes.html", rows=credit_queries.universities_with_schemes()
    )


@bp.route("/universities/<int:university_id>/credit", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def credit_scheme(university_id):
    """A university's credit scheme, PKS, courses and letter grades."""
    university = db.session.get(University, university_id)
    require(university is not None, 404)
    if not _is_city_admin(current_user):
        require(credit_services.can_edit_scheme(current_user, university_id), 404)
    scheme = credit_queries.scheme_for(university_id)
    form = CreditSchemeForm() if request.method == "POST" else CreditSchemeForm.of(scheme)
    if form.validate_on_submit():
        done = attempt(
            lambda: credit_services.save_scheme(university_id, form.typed(), actor=current_user),
            form=form,
            success=_("The credit scheme of %(university)s is saved.", university=university.name),
        )
        if done:
            return redirect(url_for("internships.credit_scheme", university_id=university_id))
        university = db.session.get(University, university_id)
    form.pad()
    return render_template(
        "internships/credit_scheme.html",
        form=form,
        university=university,
        scheme=scheme,
        old_hours_per_sks=hours_per_sks(university_id),
    ), 400 if form.is_submitted() else 200
