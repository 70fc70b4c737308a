"""The application lists of the two sides: a university's staff see their students' applications
(and endorse several at once), an OPD's admins the applications their university endorsed.
Both export the filtered list as CSV or XLSX. (Imported by ``views.applications``.)
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from portal.access import allow
from portal.auth.models import Role
from portal.db import db
from portal.exports import export
from portal.i18n import _l, _lp
from portal.internships import bp
from portal.internships.applications import queries as application_queries
from portal.internships.applications import services as application_services
from portal.internships.applications import workflow
from portal.internships.applications.forms import BulkEndorseForm
from portal.internships.applications.models import ApplicationState
from portal.internships.positions import queries
from portal.listing import id_arg, page_arg, page_size, text_arg
from portal.util import clock

STATES = [(s.value, s.title) for s in ApplicationState]


def when(moment) -> str:
    """A moment for a spreadsheet, in Medan time (WIB)."""
    return clock.local_time(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _args(filters: dict, names: dict) -> dict:
    """The active filters as query arguments (for the export links and the bulk form)."""
    return {arg: filters[key] for arg, key in names.items() if filters.get(key)}


UNIVERSITY_ARGS = {"state": "state", "period": "period_id", "q": "q"}
OPD_ARGS = {"opd": "agency_id", "position": "position_id", "state": "state", "q": "q"}


# --- university ------------------------------------------------------------------------------


def _university_filters() -> dict:
    return {"state": text_arg("state", 30), "period_id": id_arg("period"), "q": text_arg("q")}


def _render_university(summary=None, status: int = 200):
    filters = _university_filters()
    pagination = application_queries.university_queue(
        current_user, **filters, page=page_arg(), per_page=page_size()
    )
    endorsable = {
        a.id
        for a in pagination.items
        if workflow.ApplicationAction.ENDORSE in workflow.allowed_actions(a, current_user)
    }
    return render_template(
        "internships/university_queue.html",
        pagination=pagination,
        filters=filters,
        states=STATES,
        periods=queries.periods(),
        endorsable=endorsable,
        bulk_form=BulkEndorseForm(formdata=None),
        summary=summary,
        args=_args(filters, UNIVERSITY_ARGS),
    ), status


@bp.route("/university/applications")
@allow(Role.UNIVERSITY)
def university_queue():
    return _render_university()


@bp.route("/university/applications/endorse", methods=["POST"])
@allow(Role.UNIVERSITY)
def bulk_endorse():
    """Endorse the ticked applications; the page lists what happened to each one (rendered, not
    flashed: a long list would not fit in the session cookie)."""
    form = BulkEndorseForm()
    if not form.validate_on_submit():
        reasons = [str(e) for errors in form.errors.values() for e in errors]
        return _render_university({"error": " ".join(reasons)}, 400)
    result = application_services.bulk_endorse(form.application_id.data, actor=current_user)
    db.session.commit()
    ids = list(dict.fromkeys(form.application_id.data))
    seen = application_queries.visible_applications(current_user, ids)
    summary = {
        "endorsed": [seen[i] for i in result.endorsed if i in seen],
        "refused": [(i, seen.get(i), why) for i, why in result.refused.items()],
    }
    return _render_university(summary)


UNIVERSITY_HEADERS = (
    _l("Student"),
    _l("NIM"),
    _l("Study programme"),
    _lp("internship", "Position"),
    _l("OPD"),
    _l("Period"),
    _l("Preference"),
    _l("State"),
    _l("Applied at (WIB)"),
    _l("Endorsed at (WIB)"),
)


@bp.route("/university/applications.<fmt>")
@allow(Role.UNIVERSITY)
def export_university_queue(fmt):
    rows = [
        (
            a.student.full_name,
            a.student.nim or "",
            a.student.study_programme or "",
            a.position.title,
            a.position.agency.short_name,
            a.position.period.name,
            a.rank or "",
            a.state.title,
            when(a.created_at),
            when(a.endorsed_at),
        )
        for a in application_queries.university_export(current_user, **_university_filters())
    ]
    return export(fmt, "lamaran-magang-universitas", UNIVERSITY_HEADERS, rows)


# --- OPD -------------------------------------------------------------------------------------


def _opd_filters() -> dict:
    return {
        "position_id": id_arg("position"),
        "state": text_arg("state", 30),
        "q": text_arg("q"),
        "agency_id": id_arg("opd") if current_user.is_city_admin else None,
    }


@bp.route("/opd/applications")
@allow(Role.ADMIN)
def opd_queue():
    filters = _opd_filters()
    pagination = application_queries.opd_queue(
        current_user, **filters, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "internships/opd_queue.html",
        pagination=pagination,
        filters=filters,
        states=[
            s
            for s in STATES
            if s[0] != ApplicationState.SUBMITTED.value
            and s[0] != ApplicationState.DECLINED_BY_UNIVERSITY.value
        ],
        positions=application_queries.opd_positions(current_user),
        agencies=queries.active_agencies() if current_user.is_city_admin else [],
        args=_args(filters, OPD_ARGS),
    )


OPD_HEADERS = (
    _l("Student"),
    _l("University"),
    _l("Study programme"),
    _lp("internship", "Position"),
    _l("OPD"),
    _l("Period"),
    _l("State"),
    _l("Endorsed at (WIB)"),
    _l("Offer expires (WIB)"),
)


@bp.route("/opd/applications.<fmt>")
@allow(Role.ADMIN)
def export_opd_queue(fmt):
    rows = [
        (
            a.student.full_name,
            a.student.university.short_name if a.student.university else "",
            a.student.study_programme or "",
            a.position.title,
            a.position.agency.short_name,
            a.position.period.name,
            a.state.title,
            when(a.endorsed_at),
            when(a.offer_expires_at) if a.state == ApplicationState.OFFERED else "",
        )
        for a in application_queries.opd_export(current_user, **_opd_filters())
    ]
    return export(fmt, "lamaran-magang-opd", OPD_HEADERS, rows)
