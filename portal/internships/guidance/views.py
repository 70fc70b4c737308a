"""Guidance-session pages: log, edit, read, confirm or dispute a session; the mentor's list of
sessions across mentees with counts per month, and its export (load → authorise → validate →
service → commit once → redirect)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _, _l
from portal.internships import bp
from portal.internships.guidance import queries as guidance_queries
from portal.internships.guidance import services as guidance_services
from portal.internships.guidance import workflow
from portal.internships.guidance.forms import SessionAnswerForm, SessionForm
from portal.internships.guidance.models import (
    SessionAction,
    SessionMode,
    SessionState,
    can_log_session,
)
from portal.listing import id_arg, page_arg, text_arg
from portal.refusals import attempt
from portal.util import links

EXPORT_HEADERS = (
    _l("Date"),
    _l("Student"),
    _l("Duration (minutes)"),
    _l("Mode"),
    _l("Topics"),
    _l("Competencies touched"),
    _l("Notes for the student"),
    _l("Next meeting"),
    _l("State"),
    _l("Student's comment"),
)


def placement_url(placement_id: int) -> str | None:
    """The shared placement page (None while that page does not exist)."""
    return links.link("internships.placement", placement_id=placement_id)


def loaded_placement(placement_id: int):
    """The placement with the people its pages name; 404 when there is none."""
    found = guidance_queries.placement(placement_id)
    require(found is not None, 404)
    return found


def loaded_session(session_id: int):
    """The session with its placement, mentor and actions; 404 when there is none."""
    found = guidance_queries.session(session_id)
    require(found is not None, 404)
    return found


def _render_form(form, placement, session=None, status=200):
    return render_template(
        "internships/session_form.html",
        form=form,
        placement=placement,
        session=session,
        back_url=placement_url(placement.id),
    ), status


@bp.route("/placements/<int:placement_id>/sessions/new", methods=["GET", "POST"])
@allow(Role.MENTOR, own=(Role.MENTOR,))
def new_session(placement_id):
    """The placement's mentor logs a session; the student is asked to confirm it."""
    placement = loaded_placement(placement_id)
    require(placement.mentor_id == current_user.id, 404)
    if not can_log_session(placement, current_user):
        flash(_("This placement has ended: no more sessions can be logged."), "warning")
        return redirect(placement_url(placement.id) or url_for("internships.mentor_sessions"))
    form = SessionForm(open_actions=guidance_queries.open_actions(placement.id))
    if form.validate_on_submit():
        done = attempt(
            lambda: guidance_services.log_session(
                placement,
                form.data_for_service(),
                actor=current_user,
                done_action_ids=form.done_actions.data,
            ),
            form=form,
            success=_("The session is logged; the student is asked to confirm it."),
        )
        if done:
            return redirect(url_for("internships.session", session_id=done.value.id))
        placement = loaded_placement(placement_id)
    return _render_form(form, placement, status=400 if form.is_submitted() else 200)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow(Role.MENTOR, own=(Role.MENTOR,))
def edit_session(session_id):
    """The mentor corrects a session until the student confirms it."""
    session = loaded_session(session_id)
    require(session.mentor_id == current_user.id, 404)
    if SessionAction.EDIT not in workflow.allowed(session, current_user):
        flash(_("The student confirmed this session; it can no longer change."), "warning")
        return redirect(url_for("internships.session", session_id=session.id))
    form = SessionForm(obj=session if request.method == "GET" else None)
    if form.validate_on_submit():
        done = attempt(
            lambda: guidance_services.edit_session(
                session, form.data_for_service(), actor=current_user
            ),
            form=form,
            success=_("The session is saved; the student is asked to confirm it."),
        )
        if done:
            return redirect(url_for("internships.session", session_id=session_id))
        session = loaded_session(session_id)
    return _render_form(
        form, session.placement, session, status=400 if form.is_submitted() else 200
    )


def _render_session(session, answer_form=None, status=200):
    actions = workflow.allowed(session, current_user)
    if answer_form is None and (
        SessionAction.CONFIRM in actions or SessionAction.DISPUTE in actions
    ):
        answer_form = SessionAnswerForm(formdata=None)
    return render_template(
        "internships/session_detail.html",
        session=session,
        placement=session.placement,
        actions=actions,
        answer_form=answer_form,
        show_private=session.can_see_private(current_user),
        back_url=placement_url(session.placement_id),
    ), status


@bp.route("/sessions/<int:session_id>", endpoint="session")
@allow(Role.MENTOR, Role.STUDENT, Role.UNIVERSITY, own=(Role.MENTOR, Role.STUDENT, Role.UNIVERSITY))
def show_session(session_id):
    """The mentor, the student and the DPL read a session; private notes only for the mentor."""
    session = loaded_session(session_id)
    require(session.can_view(current_user), 404)
    return _render_session(session)


@bp.route("/sessions/<int:session_id>/action", methods=["POST"])
@allow(Role.STUDENT, own=(Role.STUDENT,))
def session_action(session_id):
    """The student confirms the session or disputes it with a comment."""
    session = loaded_session(session_id)
    require(session.placement.student_id == current_user.id, 404)
    form = SessionAnswerForm()
    if form.validate_on_submit():
        done = attempt(
            lambda: guidance_services.answer_session(
                session, form.action.data, actor=current_user, comment=form.comment.data
            ),
            form=form,
        )
        if done:
            flash(
                _("Thank you: the session is now “%(state)s”.", state=session.state.title),
                "success",
            )
            return redirect(url_for("internships.session", session_id=session_id))
        session = loaded_session(session_id)
    return _render_session(session, answer_form=form, status=400)


def _filters():
    month = text_arg("month", 7)
    if not guidance_queries.month_range(month):
        month = ""
    return month, id_arg("mentee")


@bp.route("/sessions")
@allow(Role.MENTOR)
def mentor_sessions():
    """The mentor's sessions across all mentees, with counts per month; filter by month and
    mentee (only the mentor's own sessions are ever listed)."""
    month, mentee = _filters()
    pagination = guidance_queries.mentor_sessions(
        current_user.id, month=month, placement_id=mentee, page=page_arg()
    )
    return render_template(
        "internships/sessions.html",
        pagination=pagination,
        month=month,
        mentee=mentee,
        mentees=guidance_queries.mentees(current_user.id),
        counts=guidance_queries.monthly_counts(mentor_id=current_user.id, placement_id=mentee),
    )


@bp.route("/sessions.<fmt>")
@allow(Role.MENTOR)
def export_sessions(fmt):
    """The mentor's sessions (same filters) as CSV or XLSX; private notes are never exported."""
    month, mentee = _filters()
    rows = [
        (
            r.held_on.isoformat(),
            r.full_name,
            r.duration_minutes,
            SessionMode(r.mode).title,
            r.topics,
            r.competencies,
            r.shared_notes,
            r.next_meeting_on.isoformat() if r.next_meeting_on else "",
            SessionState(r.state).title,
            r.student_comment or "",
        )
        for r in guidance_queries.export_rows(current_user.id, month=month, placement_id=mentee)
    ]
    # No audit row: a GET changes nothing (G6); the mentor exports only their own sessions.
    return export(fmt, f"sesi-bimbingan-{month or 'semua'}", EXPORT_HEADERS, rows)
