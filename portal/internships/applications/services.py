"""Writes for applications: applying, the university's endorsement, the OPD's decisions, the
student's answers, and the daily expiry of offers. Accepting an offer makes a placement: it is
in ``portal.internships.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from portal import audit, uploads
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.applications import queries, workflow
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.applications.workflow import APPLICATION, ApplicationAction
from portal.internships.common import (
    about_field,
    application_link,
    opd_admins,
    record_step,
    university_staff,
)
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    PositionState,
    is_verified_student,
)
from portal.notify import tell
from portal.util import clock
from portal.util.text import clean_text

A = ApplicationAction
MOTIVATION_MAX, NOTE_MAX = 8000, 2000
#: The largest CV accepted (well under the request limit: a CV is a few pages).
CV_MAX_BYTES = 5 * 1024 * 1024


def context(application: Application) -> tuple[InternshipPosition, User, Agency]:
    """The position, student and OPD of an application (from the identity map when loaded)."""
    position = db.session.get(InternshipPosition, application.position_id)
    student = db.session.get(User, application.student_id)
    agency = db.session.get(Agency, application.agency_id)
    return position, student, agency


def notice_params(application: Application) -> dict:
    position, student, agency = context(application)
    return {"student": student.full_name, "position": position.title, "agency": agency.short_name}


def open_applications(student_id: int, period_id: int) -> list[Application]:
    return list(
        db.session.scalars(
            sa.select(Application).where(
                Application.student_id == student_id,
                Application.period_id == period_id,
                Application.state.in_(OPEN_STATES),
            )
        )
    )


def apply(
    position: InternshipPosition,
    *,
    actor,
    motivation: str,
    cv,
    rank: int | None = None,
    semester: int | None = None,
    gpa=None,
    now: datetime | None = None,
) -> Application:
    """Apply for a published position before its deadline, with a motivation letter and a PDF CV.

    Refuses anyone but a verified student, a second application for the same position, more
    than ``INTERNSHIP_MAX_OPEN_APPLICATIONS`` open applications in the period, and a preference
    rank already given to another open application (the database enforces the last two too).
    """
    if not is_verified_student(actor):
        raise DomainError(_l("Only a student whose account the university verified can apply."))
    if position.state != PositionState.PUBLISHED:
        raise DomainError(_l("This position is not open for applications."))
    if clock.today(now) > position.application_deadline:
        raise DomainError(_l("The application deadline for this position has passed."))
    period = db.session.get(InternshipPeriod, position.period_id)
    refusal = queries.period_refusal(period, actor.id, now=now)
    if refusal is not None:
        raise DomainError(refusal)
    motivation = clean_text(motivation)
    if not motivation or len(motivation) > MOTIVATION_MAX:
        raise DomainError(
            _l("Write a motivation letter of at most %(n)d characters.", n=MOTIVATION_MAX)
        )
    if cv is None or cv.mimetype != "application/pdf" or cv.uploaded_by_id not in (None, actor.id):
        raise DomainError(_l("Attach your CV as a PDF file."))
    if db.session.scalar(
        sa.select(Application.id).where(
            Application.student_id == actor.id, Application.position_id == position.id
        )
    ):
        raise DomainError(_l("You have already applied for this position."))
    limit = queries.open_limit(period)
    taken = {a.rank for a in open_applications(actor.id, position.period_id)}
    if len(taken) >= limit:
        raise DomainError(
            _l(
                "You already have %(n)d open applications in this period; withdraw one first.",
                n=len(taken),
            )
        )
    if rank is None:
        rank = min(r for r in range(1, limit + 1) if r not in taken)
    elif not 1 <= rank <= limit:
        raise DomainError(_l("Choose a preference between 1 and %(n)d.", n=limit))
    elif rank in taken:
        raise DomainError(
            _l("Preference %(rank)d is already given to another application.", rank=rank)
        )
    if semester is not None and not 1 <= semester <= 14:
        raise FieldError("semester", _l("A semester between 1 and 14."), status=400)
    if gpa is not None and not 0 <= gpa <= 4:
        raise FieldError("gpa", _l("A GPA between 0.00 and 4.00."), status=400)
    application = Application.sent(position, actor, rank=rank, motivation=motivation, cv=cv)
    application.semester = semester
    application.gpa = None if gpa is None else round(float(gpa), 2)
    try:
        with db.session.begin_nested():
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        # Another application of this student was sent at the same moment.
        raise DomainError(
            _l("Your applications changed in the meantime; reload the page and try again.")
        ) from None
    record_step(application, workflow.APPLY, None, application.state, actor, None, now or utcnow())
    db.session.flush()
    audit.record(
        actor,
        "internship.application",
        application,
        target_label=position.title,
        step=workflow.APPLY,
    )
    tell(
        university_staff(application.university_id),
        "internships.submitted",
        link=application_link(application),
        **notice_params(application),
    )
    return application


def apply_with_cv(
    position: InternshipPosition,
    *,
    actor,
    upload,
    motivation: str,
    rank: int | None = None,
    semester: int | None = None,
    gpa=None,
    now: datetime | None = None,
) -> Application:
    """Keep the uploaded CV (a PDF of at most ``CV_MAX_BYTES``), then :func:`apply` with it.

    A refused file is about the form's ``cv`` field (400: the request is wrong, not the
    moment); a refused application leaves no file on the disk (the caller's rollback removes
    its row)."""
    stored = about_field(
        "cv",
        lambda: uploads.store(upload, allowed=("pdf",), actor=actor, max_bytes=CV_MAX_BYTES),
        status=400,
    )
    try:
        return apply(
            position,
            actor=actor,
            motivation=motivation,
            cv=stored,
            rank=rank,
            semester=semester,
            gpa=gpa,
            now=now,
        )
    except DomainError:
        uploads.discard(stored)
        raise


def _step(
    application: Application,
    action: ApplicationAction,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    """Check and take one step of the workflow (the history with it); refuses
    (InvalidTransition) saying why, and a missing reason or an over-long note."""
    workflow.check(application, action, actor, now=now)  # why not, before the note
    note = clean_text(note) or None
    if action.needs_reason and note is None:
        raise DomainError(_l("Give a reason; the student will read it."))
    if note is not None and len(note) > NOTE_MAX:
        raise DomainError(_l("Keep the note to %(n)d characters.", n=NOTE_MAX))
    next_state = APPLICATION.apply(application, action, actor, note=note, at=now, now=now)
    if action.needs_reason:
        application.decision_reason = note
    db.session.flush()
    position = db.session.get(InternshipPosition, application.position_id)
    audit.record(
        actor,
        "internship.application",
        application,
        target_label=position.title,
        step=str(action),
        state=str(next_state),
    )


def tell_withdrawn(application: Application) -> None:
    """Whoever was dealing with the application: the OPD once endorsed, else the university."""
    people = (
        opd_admins(application.agency_id)
        if application.reached_opd
        else university_staff(application.university_id)
    )
    tell(
        people,
        "internships.withdrawn",
        link=application_link(application),
        **notice_params(application),
    )


def withdraw_application(application: Application, *, actor, now=None, note=None) -> None:
    """The student withdraws an application that has no decision yet."""
    _step(application, A.WITHDRAW, actor=actor, note=note, now=now)
    tell_withdrawn(application)


def endorse_application(application: Application, *, actor, now=None, note=None) -> None:
    """The student's university endorses the application: from now on the OPD sees it."""
    _step(application, A.ENDORSE, actor=actor, note=note, now=now)
    application.endorsed_at = now or utcnow()
    db.session.flush()
    params, here = notice_params(application), application_link(application)
    student = db.session.get(User, application.student_id)
    tell([student], "internships.endorsed", link=here, **params)
    tell(opd_admins(application.agency_id), "internships.new_endorsed", link=here, **params)


def decline_application(application: Application, *, actor, reason: str, now=None) -> None:
    """The student's university declines the application, with a reason; the OPD never sees it."""
    _step(application, A.DECLINE, actor=actor, note=reason, now=now)
    student = db.session.get(User, application.student_id)
    tell(
        [student],
        "internships.declined",
        link=application_link(application),
        reason=application.decision_reason,
        **notice_params(application),
    )


@dataclass
class BulkResult:
    endorsed: list[int] = field(default_factory=list)
    refused: dict[int, object] = field(default_factory=dict)  # id -> why (a lazy text)


def bulk_endorse(application_ids, *, actor, now=None) -> BulkResult:
    """Endorse several applications; each one that cannot be endorsed is left as it was and
    listed with the reason. Ids the actor may not see are refused like missing ones."""
    result = BulkResult()
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    found = {
        a.id: a for a in db.session.scalars(sa.select(Application).where(Application.id.in_(ids)))
    }
    for application_id in ids:
        application = found.get(application_id)
        if application is None or not application.can_view(actor):
            result.refused[application_id] = _l(
                "This application is not among your students' applications."
            )
            continue
        try:
            endorse_application(application, actor=actor, now=now)
        except DomainError as exc:
            result.refused[application_id] = exc.message
        else:
            result.endorsed.append(application_id)
    return result


def _tell_student(application: Application, key: str, **extra) -> None:
    student = db.session.get(User, application.student_id)
    tell([student], key, link=application_link(application), **notice_params(application), **extra)


def shortlist_application(application: Application, *, actor, now=None, note=None) -> None:
    """The OPD puts an endorsed (or waiting-listed) application on its shortlist."""
    _step(application, A.SHORTLIST, actor=actor, note=note, now=now)
    _tell_student(application, "internships.shortlisted")


def waitlist_application(application: Application, *, actor, now=None, note=None) -> None:
    """The OPD keeps the application on its waiting list."""
    _step(application, A.WAITLIST, actor=actor, note=note, now=now)
    _tell_student(application, "internships.waitlisted")


def offer_application(application: Application, *, actor, now=None, note=None) -> None:
    """The OPD makes an offer, open for ``INTERNSHIP_OFFER_DAYS`` days. The quota is checked
    when the student accepts, not here (an OPD may offer more seats than it has)."""
    now = now or utcnow()
    _step(application, A.OFFER, actor=actor, note=note, now=now)
    application.offer_expires_at = now + timedelta(days=current_app.config["INTERNSHIP_OFFER_DAYS"])
    db.session.flush()
    _tell_student(
        application,
        "internships.offered",
        expires=application.offer_expires_at,
    )


def reject_application(application: Application, *, actor, reason: str, now=None) -> None:
    """The OPD does not accept the application, and says why."""
    _step(application, A.REJECT, actor=actor, note=reason, now=now)
    _tell_student(application, "internships.rejected", reason=application.decision_reason)


def decline_offer(application: Application, *, actor, now=None, note=None) -> None:
    """The student says no to an offer."""
    _step(application, A.DECLINE_OFFER, actor=actor, note=note, now=now)
    tell(
        opd_admins(application.agency_id),
        "internships.offer_declined",
        link=application_link(application),
        **notice_params(application),
    )


def take_action(
    application: Application,
    action: ApplicationAction,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
):
    """One entry point for the application's own steps (a view posts the action's name).
    Accepting an offer makes a placement: ``lifecycle.take_action`` takes that one."""
    if action == A.ACCEPT:
        raise ValueError("accepting an offer makes a placement: use lifecycle.take_action")
    services = {
        A.WITHDRAW: withdraw_application,
        A.ENDORSE: endorse_application,
        A.SHORTLIST: shortlist_application,
        A.WAITLIST: waitlist_application,
        A.OFFER: offer_application,
        A.DECLINE_OFFER: decline_offer,
    }
    if action == A.DECLINE:
        return decline_application(application, actor=actor, reason=note, now=now)
    if action == A.REJECT:
        return reject_application(application, actor=actor, reason=note, now=now)
    if action in services:  # the note goes into the history
        return services[action](application, actor=actor, now=now, note=note)
    return _step(application, action, actor=actor, note=note, now=now)  # refused: not a user step


def expire_offers(now: datetime | None = None) -> int:
    """The daily job: offers whose time ran out become ``offer_expired``; returns how many.

    Each application is locked and re-read first, so an acceptance at the same moment wins or
    loses cleanly (never both).
    """
    now = now or utcnow()
    due = db.session.scalars(
        sa.select(Application.id)
        .where(Application.state == ApplicationState.OFFERED, Application.offer_expires_at <= now)
        .order_by(Application.id)
    ).all()
    expired = 0
    for application_id in due:
        application = db.session.execute(
            sa.select(Application)
            .where(Application.id == application_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
        if application.state != ApplicationState.OFFERED or not workflow.offer_has_expired(
            application, now
        ):
            continue
        APPLICATION.apply(application, A.EXPIRE, None, at=now, now=now)
        db.session.flush()
        audit.record(None, "internship.application", application, step=str(A.EXPIRE))
        params, here = notice_params(application), application_link(application)
        student = db.session.get(User, application.student_id)
        tell([student], "internships.offer_expired", link=here, **params)
        tell(opd_admins(application.agency_id), "internships.offer_expired", link=here, **params)
        expired += 1
    return expired
