"""The ASN's competency profile ("Kompetensi saya"), self-assessment and supervisor rating."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import uploads
from portal.access import allow, require
from portal.auth.models import Role
from portal.competency import bp
from portal.competency.assessments import queries, services
from portal.competency.assessments.forms import assessment_form
from portal.competency.board import queries as board
from portal.competency.models import AssessmentMethod, CompetencyType
from portal.db import db
from portal.exports import csv_download, xlsx_download
from portal.i18n import _, _l
from portal.institutions.models import Agency
from portal.listing import ListPage, id_arg, page_arg, page_size, text_arg
from portal.own_record import is_own_record
from portal.refusals import attempt
from portal.trainings.recognition import queries as recognition_queries
from portal.view_log import record_view


def _my_record():
    return queries.asn_for_user(current_user.id)


@bp.route("/")
@allow(Role.ASN)
def my_profile():
    asn = _my_record()
    if asn is None:
        return render_template("competency/no_record.html")
    return render_template(
        "competency/profile.html",
        profile=queries.profile(asn),
        own=True,
        can_record_official=False,
        reports=queries.direct_reports(asn),
        badges=recognition_queries.badges(asn.id),
    )


@bp.route("/asn/<int:asn_id>")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def asn_profile(asn_id):
    asn = queries.asn_by_id(asn_id)
    # Someone else's record is private: 404, not 403.
    require(asn is not None and queries.can_view(asn, current_user), 404)
    record_view(asn.user_id, "asn_profile", asn.id, agency_id=asn.agency_id)
    return render_template(
        "competency/profile.html",
        profile=queries.profile(asn),
        own=asn.user_id == current_user.id,
        can_rate=queries.can_rate(asn, current_user),
        can_record_official=queries.can_record_official(asn, current_user),
        reports=[],
        badges=recognition_queries.badges(asn.id),
    )


def _assess(
    asn, *, method: AssessmentMethod | None, assessor: str | None, done_url: str, template: str
):
    """The assessment form; ``method``/``assessor`` None: chosen in the form (official entry)."""
    items = queries.standard_items(asn.position_id)
    form = assessment_form(items, official=method is None)
    if form.validate_on_submit():
        stored = []

        def record():
            upload = getattr(form, "report", None)
            report = (
                uploads.store(upload.data, allowed=("pdf",), actor=current_user)
                if upload is not None and upload.data and upload.data.filename
                else None
            )
            stored.extend([report] if report is not None else [])
            services.record_assessment(
                asn,
                actor=current_user,
                method=method or AssessmentMethod(form.method.data),
                assessed_on=form.assessed_on.data,
                assessor=assessor or form.assessor.data,
                levels=form.levels(),
                note=form.note.data or None,
                report=report,
            )

        if attempt(record, success=_("Saved. Thank you.")):
            return redirect(done_url)
        for report in stored:  # refused: the stored report goes from the disk too
            uploads.discard(report)
    return render_template(template, form=form, asn=asn, items=items)


@bp.route("/self-assessment", methods=["GET", "POST"])
@allow(Role.ASN)
def self_assessment():
    asn = _my_record()
    if asn is None:
        return render_template("competency/no_record.html")
    return _assess(
        asn,
        method=AssessmentMethod.SELF_ASSESSMENT,
        assessor=current_user.full_name,
        done_url=url_for("competency.my_profile"),
        template="competency/self_assessment.html",
    )


@bp.route("/asn/<int:asn_id>/assessments/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def record_official_assessment(asn_id):
    """An admin enters the result of an official assessment (assessment center, uji kompetensi,
    post-training test): only these set the ASN's current level. Never on their own record:
    the admin is sent back to it and told that another admin records it."""
    asn = queries.asn_by_id(asn_id)
    require(asn is not None and queries.can_view(asn, current_user), 404)
    if not queries.can_record_official(asn, current_user):
        require(is_own_record(current_user, asn), 404)
        flash(str(services.OWN_ASSESSMENT), "danger")
        return redirect(url_for("competency.asn_profile", asn_id=asn.id))
    return _assess(
        asn,
        method=None,
        assessor=None,
        done_url=url_for("competency.asn_profile", asn_id=asn.id),
        template="competency/official_assessment.html",
    )


@bp.route("/assessments/<int:assessment_id>/report")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def assessment_report(assessment_id):
    """The report file of an assessment, for whoever may see the ASN's profile."""
    assessment, stored = queries.assessment_report(assessment_id)
    require(stored is not None, 404)
    asn = queries.asn_by_id(assessment.asn_id)
    require(asn is not None and queries.can_view(asn, current_user), 404)
    return uploads.send(stored)


@bp.route("/asn/<int:asn_id>/rating", methods=["GET", "POST"])
@allow(Role.ASN, own=(Role.ASN,))
def rate_asn(asn_id):
    asn = queries.asn_by_id(asn_id)
    require(asn is not None and queries.can_rate(asn, current_user), 404)
    return _assess(
        asn,
        method=AssessmentMethod.SUPERVISOR_RATING,
        assessor=current_user.full_name,
        done_url=url_for("competency.asn_profile", asn_id=asn.id),
        template="competency/rating.html",
    )


def _board_rows():
    """The board for this user: full for admins (an OPD admin: their OPD), anonymised otherwise."""
    anonymous = not current_user.is_admin
    agency_id = id_arg("opd")
    if current_user.is_admin and not current_user.is_city_admin:
        agency_id = current_user.admin_agency_id
    ctype = text_arg("type")
    min_below = max(0, min(request.args.get("min_below", 0, type=int) or 0, 10_000))
    rows, hidden = board.clusters(
        anonymous=anonymous, agency_id=agency_id, ctype=ctype, min_below=min_below
    )
    return rows, hidden, {"opd": agency_id, "type": ctype, "min_below": min_below}


BOARD_HEADERS = (
    _l("OPD"),
    _l("Competency"),
    _l("Type"),
    _l("Position kind"),
    _l("ASN in group"),
    _l("Officially assessed"),
    _l("Below the standard"),
    _l("Share below (%)"),
    _l("Mean gap (levels)"),
)


@bp.route("/board")
@allow(Role.ADMIN, Role.UNIVERSITY)
def demand_board():
    rows, hidden, filters = _board_rows()
    return render_template(
        "competency/board.html",
        pagination=ListPage(rows, page_arg(), page_size()),
        hidden=hidden,
        filters=filters,
        agencies=db.session.scalars(
            db.select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.short_name)
        ).all(),
        types=list(CompetencyType),
        anonymous=not current_user.is_admin,
        min_group=current_app.config["BOARD_MIN_GROUP"],
    )


@bp.route("/board/export.<fmt>")
@allow(Role.ADMIN, Role.UNIVERSITY)
def export_board(fmt):
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows, _hidden, _filters = _board_rows()
    headers = [str(h) for h in BOARD_HEADERS]
    data = [
        (
            r.agency,
            r.competency,
            r.competency_type.title,
            r.kind.title if r.kind else _("several"),
            r.total,
            r.assessed,
            r.below,
            r.share_below,
            r.mean_gap,
        )
        for r in rows
    ]
    download = csv_download if fmt == "csv" else xlsx_download
    return download("demand-board", headers, data)


# The development-plan pages live in their own module; importing it registers their routes.
