"""The ASN's competency profile ("Kompetensi saya"), self-assessment and supervisor rating."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.competency import queries, services
from portal.competency.forms import assessment_form
from portal.competency.models import AssessmentMethod
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _

bp = Blueprint("competency", __name__)


def _my_record():
    return queries.asn_for_user(current_user.id)


@bp.route("/")
@allow(Role.ASN)
def my_profile():
    asn = _my_record()
    if asn is None:
        return render_template("competency/no_record.html")
    return render_template(
        "competency/profile.html", profile=queries.profile(asn), own=True,
        reports=queries.direct_reports(asn),
    )  # fmt: skip


@bp.route("/asn/<int:asn_id>")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def asn_profile(asn_id):
    asn = queries.asn_or_404(asn_id)
    # Someone else's record is private: 404, not 403.
    require(queries.can_view(asn, current_user), 404)
    return render_template(
        "competency/profile.html", profile=queries.profile(asn),
        own=asn.user_id == current_user.id, can_rate=queries.can_rate(asn, current_user),
        reports=[],
    )  # fmt: skip


def _assess(asn, *, method: AssessmentMethod, assessor: str, done_url: str, template: str):
    items = queries.standard_items(asn.position_id)
    form = assessment_form(items)
    if form.validate_on_submit():
        try:
            services.record_assessment(
                asn, actor=current_user, method=method, assessed_on=form.assessed_on.data,
                assessor=assessor, levels=form.levels(), note=form.note.data or None,
            )  # fmt: skip
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "danger")
        else:
            db.session.commit()
            flash(_("Saved. Thank you."), "success")
            return redirect(done_url)
    return render_template(template, form=form, asn=asn, items=items)


@bp.route("/self-assessment", methods=["GET", "POST"])
@allow(Role.ASN)
def self_assessment():
    asn = _my_record()
    if asn is None:
        return render_template("competency/no_record.html")
    return _assess(
        asn, method=AssessmentMethod.SELF_ASSESSMENT, assessor=current_user.full_name,
        done_url=url_for("competency.my_profile"), template="competency/self_assessment.html",
    )  # fmt: skip


@bp.route("/asn/<int:asn_id>/rating", methods=["GET", "POST"])
@allow(Role.ASN, own=(Role.ASN,))
def rate_asn(asn_id):
    asn = queries.asn_or_404(asn_id)
    require(queries.can_rate(asn, current_user), 404)
    return _assess(
        asn, method=AssessmentMethod.SUPERVISOR_RATING, assessor=current_user.full_name,
        done_url=url_for("competency.asn_profile", asn_id=asn.id),
        template="competency/rating.html",
    )  # fmt: skip
