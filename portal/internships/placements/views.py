"""Placement pages: the list (and its export), the shared placement page, the final report, and
the placement's settings and status. The logbook's own pages are in ``logbook_views``.

Each view loads the placement, checks that the user may see it (404: a placement is private to
the people who share it), validates the form, calls a service, commits once and redirects; a
refused or invalid request re-renders the page with the reason and what the user typed.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal import exports, uploads
from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _, pgettext
from portal.internships import bp, lifecycle
from portal.internships.common import about_field
from portal.internships.credit import queries as credit_queries
from portal.internships.credit.rules import Credit
from portal.internships.models import PlacementStatus, is_university_staff
from portal.internships.placements import extras, report_services, workflow
from portal.internships.placements import queries as placement_queries
from portal.internships.placements import services as placement_services
from portal.internships.placements.forms import (
    PlacementSettingsForm,
    PlacementStatusForm,
    ReportActionForm,
    ReportForm,
    UniversitySettingsForm,
)
from portal.internships.placements.models import (
    ReportAction,
    can_add_entry,
    can_upload_report,
    logbook_opens_on,
)
from portal.internships.settings import default_hours_per_sks, hours_per_sks, set_hours_per_sks
from portal.listing import page_arg, page_size, text_arg
from portal.refusals import attempt
from portal.util import clock
from portal.view_log import record_view

#: Everyone who may share a placement page; the student, the mentor and university staff
#: (the DPL among them) only on their own placements.
SHARING = (Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT)
SHARING_OWN = (Role.STUDENT, Role.MENTOR, Role.UNIVERSITY)
LOGBOOK_PER_PAGE = 10


# --- loading and rendering ---------------------------------------------------------------------


def viewable(placement_id: int):
    """The placement and its hours per SKS, or 404 when it does not exist or is not shared
    with the user."""
    found = placement_queries.placement_with_rules(placement_id)
    require(found is not None and found[0].can_view(current_user), 404)
    return found


def to_placement(placement_id: int, anchor: str = "", **args):
    url = url_for("internships.placement", placement_id=placement_id, **args)
    return redirect(url + (f"#{anchor}" if anchor else ""))


def render_placement(
    placement_id: int,
    *,
    status: int = 200,
    error=None,
    entry_form=None,
    failed_entry: int | None = None,
    report_form=None,
    status_form=None,
):
    """The shared placement page, optionally with a refused form (after a rollback) and why."""
    placement, hours_per_sks = viewable(placement_id)
    record_view(placement.student_id, "placement", placement.id, agency_id=placement.agency_id)
    user = current_user
    page = placement_queries.placement_page(
        placement, hours_per_sks, user, page=page_arg(), per_page=LOGBOOK_PER_PAGE
    )
    latest = page.latest_report
    status_actions = workflow.allowed_placement_actions(placement, user)
    extra = extras.collect(placement, user)
    return render_template(
        "internships/placement.html",
        page=page,
        placement=placement,
        entry_actions={e.id: workflow.allowed_entry_actions(e, user) for e in page.entries.items},
        can_add=can_add_entry(placement, user, clock.today()),
        logbook_opens=logbook_opens_on(placement, clock.today())
        if can_add_entry(placement, user)
        else None,
        can_upload=can_upload_report(placement, latest, user),
        report_actions=workflow.allowed_report_actions(latest, user) if latest else [],
        report_form=report_form or ReportActionForm(formdata=None),
        can_manage=is_university_staff(user, placement.university_id),
        status_actions=status_actions,
        status_form=status_form or (PlacementStatusForm(formdata=None) if status_actions else None),
        entry_form=entry_form,
        failed_entry=failed_entry,
        error=error,
        # The guidance and evaluation features' data for their partials
        # (``_placement_sessions.html``, ``_placement_evaluation.html``).
        extra=extra,
        credit=credit_for(placement, page.readiness.approved_minutes, extra["final_grade"]),
    ), status


def credit_for(placement, approved_minutes: int, final_grade) -> Credit | None:
    """The placement's credit under its university's scheme (None: the university has none,
    the older planned-SKS meter shows instead)."""
    scheme = credit_queries.scheme_for(placement.university_id)
    if scheme is None:
        return None
    score = final_grade.grade if final_grade is not None else None
    return Credit(scheme, placement, clock.today(), approved_minutes, score)


# --- the list and its export -------------------------------------------------------------------


def _list_args() -> dict:
    return {"q": text_arg("q"), "state": text_arg("state", 20), "mine": text_arg("mine", 1) == "1"}


@bp.route("/placements")
@allow(*SHARING)
def placements():
    args = _list_args()
    pagination = placement_queries.placements_for(
        current_user, page=page_arg(), per_page=page_size(), **args
    )
    return render_template(
        "internships/placements.html", pagination=pagination, states=list(PlacementStatus), **args
    )


@bp.route("/placements.<fmt>")
@allow(*SHARING)
def export_placements(fmt):
    rows = placement_queries.placements_export(current_user, **_list_args())
    headers = [
        _("Student"),
        _("NIM"),
        _("University"),
        pgettext("internship", "Position"),
        _("OPD"),
        _("Mentor"),
        _("DPL"),
        _("Starts"),
        _("Ends"),
        _("Status"),
        _("Planned SKS"),
        _("Approved hours"),
        _("Hours needed"),
    ]
    data = [
        [
            r.placement.student.full_name,
            r.placement.student.nim or "",
            r.placement.student.university.short_name if r.placement.student.university else "",
            r.placement.position.title,
            r.placement.position.agency.short_name,
            r.placement.mentor.full_name,
            r.placement.supervisor.full_name if r.placement.supervisor else "",
            r.placement.starts_on.isoformat(),
            r.placement.ends_on.isoformat(),
            str(r.placement.status.title),
            r.placement.planned_sks if r.placement.planned_sks is not None else "",
            round(r.approved_hours, 1),
            r.needed_hours if r.needed_hours is not None else "",
        ]
        for r in rows
    ]
    return exports.export(fmt, "placements", headers, data, title=_("Placements"))


# --- the shared placement page -----------------------------------------------------------------


@bp.route("/placements/<int:placement_id>")
@allow(*SHARING, own=SHARING_OWN)
def placement(placement_id):
    return render_placement(placement_id)


# --- the final report --------------------------------------------------------------------------


@bp.route("/placements/<int:placement_id>/report", methods=["GET", "POST"])
@allow(Role.STUDENT, own=(Role.STUDENT,))
def upload_report(placement_id):
    placement, _hours = viewable(placement_id)
    require(placement.student_id == current_user.id, 404)
    versions = placement_queries.reports(placement.id)
    if not can_upload_report(placement, versions[0] if versions else None, current_user):
        reason = report_services.why_no_upload(
            placement, versions[0] if versions else None, current_user
        )
        flash(str(reason.message), "warning")
        return to_placement(placement.id, "report")
    form = ReportForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            done = attempt(
                lambda: about_field(
                    "file",
                    lambda: report_services.upload_report(
                        placement, actor=current_user, upload=form.file.data, note=form.note.data
                    ),
                ),
                form=form,
            )
            if done:
                flash(
                    _(
                        "Version %(version)d of the final report was sent to the mentor.",
                        version=done.value.version,
                    ),
                    "success",
                )
                return to_placement(placement_id, "report")
            status = done.error.status
            placement, _hours = viewable(placement_id)
            versions = placement_queries.reports(placement.id)
    return render_template(
        "internships/report_upload.html", form=form, placement=placement, versions=versions
    ), status


@bp.route("/reports/<int:report_id>/action", methods=["POST"])
@allow(Role.MENTOR, Role.UNIVERSITY, own=(Role.MENTOR, Role.UNIVERSITY))
def report_action(report_id):
    report = placement_queries.report(report_id)
    require(report is not None, 404)
    placement, _hours = viewable(report.placement_id)
    form = ReportActionForm()
    if not form.validate_on_submit():
        return render_placement(placement.id, status=400, report_form=form)
    placement_id = placement.id
    done = attempt(
        lambda: report_services.decide_report(
            report,
            placement,
            ReportAction(form.action.data),
            actor=current_user,
            reason=form.reason.data or "",
        ),
        success=_("Your decision on the final report was saved."),
        show=False,
    )
    if not done:
        return render_placement(
            placement_id, status=done.error.status, error=done.alert, report_form=form
        )
    return to_placement(placement_id, "report")


@bp.route("/reports/<int:report_id>/file")
@allow(*SHARING, own=SHARING_OWN)
def report_file(report_id):
    report = placement_queries.report(report_id)
    require(report is not None, 404)
    viewable(report.placement_id)
    return uploads.send(report.file)


# --- the placement's settings and status -------------------------------------------------------


@bp.route("/placements/<int:placement_id>/settings", methods=["GET", "POST"])
@allow(Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def placement_settings(placement_id):
    placement, hours_per_sks = viewable(placement_id)
    require(is_university_staff(current_user, placement.university_id), 404)
    candidates = placement_queries.supervisor_candidates(placement.university_id)
    form = PlacementSettingsForm(
        data={"supervisor_id": placement.supervisor_id or 0, "planned_sks": placement.planned_sks}
    )
    form.set_candidates(candidates, placement.supervisor_id)
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            chosen = next((u for u in candidates if u.id == form.supervisor_id.data), None)
            done = attempt(
                lambda: _save_settings(placement, chosen, form.planned_sks.data),
                success=_("The placement's settings were saved."),
            )
            if done:
                return to_placement(placement_id)
            status = done.error.status
            placement, hours_per_sks = viewable(placement_id)
    return render_template(
        "internships/placement_settings.html",
        form=form,
        placement=placement,
        hours_per_sks=hours_per_sks,
        default_hours=default_hours_per_sks(),
    ), status


def _save_settings(placement, supervisor, sks) -> None:
    """Name the DPL and set the planned SKS, each only when it changes."""
    if supervisor is not None and supervisor.id != placement.supervisor_id:
        placement_services.assign_supervisor(placement, supervisor, actor=current_user)
    if sks is not None and sks != placement.planned_sks:
        placement_services.set_planned_sks(placement, sks, actor=current_user)


@bp.route("/placements/<int:placement_id>/status", methods=["POST"])
@allow(Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, own=(Role.UNIVERSITY, Role.MENTOR))
def placement_status(placement_id):
    placement, _hours = viewable(placement_id)
    form = PlacementStatusForm()
    if not form.validate_on_submit():
        return render_placement(placement.id, status=400, status_form=form)
    if form.action.data == workflow.COMPLETE:
        done = attempt(
            lambda: lifecycle.complete_placement(placement, actor=current_user), show=False
        )
    else:
        done = attempt(
            lambda: placement_services.terminate_placement(
                placement, actor=current_user, reason=form.end_reason.data or ""
            ),
            show=False,
        )
    if not done:
        return render_placement(
            placement_id, status=done.error.status, error=done.alert, status_form=form
        )
    flash(_("The placement is now “%(status)s”.", status=placement.status.title), "success")
    return to_placement(placement_id)


@bp.route("/university/settings", methods=["GET", "POST"])
@allow(Role.UNIVERSITY)
def university_settings():
    """University staff set the hours of work one SKS needs for their students (the
    credit-readiness meter); empty follows the portal's default."""
    university_id = current_user.university_id
    require(university_id is not None, 404)
    default = default_hours_per_sks()
    current = hours_per_sks(university_id)
    form = UniversitySettingsForm(data={"hours_per_sks": current if current != default else None})
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            done = attempt(
                lambda: about_field(
                    "hours_per_sks",
                    lambda: set_hours_per_sks(
                        university_id, form.hours_per_sks.data, actor=current_user
                    ),
                ),
                form=form,
                success=_("The internship settings of your university were saved."),
            )
            if done:
                return redirect(url_for("internships.university_settings"))
            status = done.error.status
    return render_template(
        "internships/university_settings.html", form=form, current=current, default=default
    ), status


# The logbook pages register their routes on the same blueprint.
