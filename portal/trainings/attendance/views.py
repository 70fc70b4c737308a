"""Attendance pages: the facilitator's sheet for one session (present/absent for every enrolled
participant, saved in one POST), the session's check-in code with its QR code, and the ASN's
check-in with that code."""

from __future__ import annotations

import hmac
import io

import segno
from flask import redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.attendance import services as attendance_services
from portal.trainings.batches import queries as batch_queries
from portal.trainings.batches.forms import CheckInForm, TokenForm
from portal.trainings.models import BatchState, TrainingSession

PRESENT, ABSENT = "present", "absent"


def run_session(session_id: int) -> TrainingSession:
    """The session with its batch; 404 unless the user is its facilitator or an admin for it."""
    session = batch_queries.session_for_page(session_id)
    require(
        session is not None
        and attendance_services.can_mark_attendance(session.batch, current_user),
        404,
    )
    return session


def _render_sheet(session, *, marks=None, status=200, error=None):
    rows = batch_queries.enrolled(session.batch)
    recorded = batch_queries.attendance_of(session)
    if marks is None:
        marks = {
            r.id: (PRESENT if recorded[r.id].present else ABSENT) for r in rows if r.id in recorded
        }
    return render_template(
        "trainings/batches/attendance.html",
        session=session,
        batch=session.batch,
        rows=rows,
        recorded=recorded,
        marks=marks,
        error=error,
        form=TokenForm(formdata=None),
        editable=session.batch.state in (BatchState.OPEN, BatchState.CLOSED),
    ), status


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@allow(Role.ADMIN, Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def attendance(session_id):
    """The sheet: ``present-<registration id>`` = ``present`` or ``absent`` for each row; rows
    left unmarked keep what they had."""
    session = run_session(session_id)
    if request.method == "GET":
        return _render_sheet(session)
    if not TokenForm().validate_on_submit():
        return _render_sheet(session, status=400, error=_("The form expired; try again."))
    rows = batch_queries.enrolled(session.batch)
    marks = {r.id: request.form.get(f"present-{r.id}", "") for r in rows}
    marks = {reg_id: value for reg_id, value in marks.items() if value in (PRESENT, ABSENT)}
    if not marks:
        return _render_sheet(session, status=400, error=_("Mark at least one participant."))

    def mark_all():
        for registration in rows:
            if registration.id in marks:
                attendance_services.mark_attendance(
                    session,
                    registration,
                    actor=current_user,
                    present=marks[registration.id] == PRESENT,
                )

    done = attempt(
        mark_all,
        success=_("Attendance saved for %(count)s participants.", count=len(marks)),
        show=False,
    )
    if not done:
        return _render_sheet(
            run_session(session_id),
            marks=marks,
            status=done.error.status,
            error=done.alert,
        )
    return redirect(url_for("trainings.attendance", session_id=session_id))


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of ``url`` (drawn here: no outside service sees the code)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", xmldecl=False, svgns=True, scale=8, border=2, title=url, svgclass="qr-code"
    )
    return Markup(out.getvalue().decode("utf-8"))  # noqa: S704 - segno's own SVG, URL escaped


@bp.route("/sessions/<int:session_id>/code")
@allow(Role.ADMIN, Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def session_code(session_id):
    session = run_session(session_id)
    url = url_for("trainings.check_in", code=session.check_in_code, _external=True)
    opens, closes = attendance_services.check_in_window(session)
    return render_template(
        "trainings/batches/session_code.html",
        session=session,
        batch=session.batch,
        url=url,
        qr=qr_svg(url),
        opens=opens,
        closes=closes,
    )


def _normal(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "").replace("-", "")


def _session_for_code(code: str) -> TrainingSession | None:
    """Of the sessions of the ASN's running trainings, the one whose code this is."""
    wanted = _normal(code).encode()
    found = None
    for session in batch_queries.sessions_of_enrolled(current_user):
        if hmac.compare_digest(wanted, session.check_in_code.encode()):
            found = session
    return found


@bp.route("/check-in", methods=["GET", "POST"])
@allow(Role.ASN)
def check_in():
    """The ASN types the code shown in the session (``?code=`` prefills it: the QR code)."""
    form = CheckInForm()
    if not form.is_submitted():
        form.code.data = request.args.get("code", "")[:20]
        return render_template("trainings/batches/check_in.html", form=form)
    if not form.validate_on_submit():
        return render_template("trainings/batches/check_in.html", form=form), 400
    session = _session_for_code(form.code.data)
    if session is None:
        form.code.errors = [
            _("This code is not the code of a session of a training you are enrolled in.")
        ]
        return render_template("trainings/batches/check_in.html", form=form), 409
    done = attempt(
        lambda: attendance_services.check_in(session, form.code.data, actor=current_user),
        form=form,
        success=_("You are checked in to “%(training)s”.", training=session.batch.title),
    )
    if not done:
        return render_template("trainings/batches/check_in.html", form=form), done.error.status
    return redirect(url_for("trainings.my_trainings"))
