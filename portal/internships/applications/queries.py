"""Reads for the application pages: the student's list, one application, and the universities'
and OPDs' lists with their exports. Scoped to what the user may see, eagerly loaded, so each
page runs a fixed number of queries whatever the number of rows (positions: ``queries``).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, raiseload, selectinload

from portal.auth.models import User
from portal.db import db
from portal.i18n import _l
from portal.internships.applications.models import (
    OPEN_STATES,
    Application,
    ApplicationEvent,
    ApplicationState,
)
from portal.internships.common import person, position_options
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    Placement,
    PositionState,
    is_verified_student,
)
from portal.listing import contains, paginate_by_id
from portal.util import clock
from portal.util.dates import lazy_day

#: The most rows an export holds (the list it exports is filtered first).
EXPORT_LIMIT = 5000


# --- applications --------------------------------------------------------------------------------


def _list_options():
    return (
        person(Application.student),
        joinedload(Application.position).options(*position_options()),
    )


def my_applications(user, *, page=1, per_page=20):
    """The student's applications, latest period first, then by preference."""
    stmt = (
        sa.select(Application)
        .where(Application.student_id == user.id)
        .options(joinedload(Application.position).options(*position_options()))
        .join(InternshipPeriod, InternshipPeriod.id == Application.period_id)
        .order_by(
            InternshipPeriod.starts_on.desc(),
            Application.rank.is_(None),
            Application.rank,
            Application.id.desc(),
        )
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def placement_ids(applications) -> dict[int, int]:
    """application id -> placement id, for the accepted ones among ``applications``."""
    ids = [a.id for a in applications if a.state == ApplicationState.ACCEPTED]
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Placement.application_id, Placement.id).where(
                Placement.application_id.in_(ids)
            )
        ).all()
    )


def others_to_withdraw(application: Application) -> list[Application]:
    """The student's other open applications of the period: accepting ``application``
    withdraws them (the confirmation page lists them)."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.student_id == application.student_id,
                Application.period_id == application.period_id,
                Application.id != application.id,
                Application.state.in_(OPEN_STATES),
            )
            .options(joinedload(Application.position).options(*position_options()))
            .order_by(Application.rank, Application.id)
        )
    )


def application(application_id: int) -> Application | None:
    """One application with the student, position (OPD, period), CV and history (who acted)."""
    return (
        db.session.scalars(
            sa.select(Application)
            .where(Application.id == application_id)
            .options(
                *_list_options(),
                joinedload(Application.cv_file),
                selectinload(Application.events).options(
                    joinedload(ApplicationEvent.actor).options(raiseload("*"))
                ),
            )
        )
        .unique()
        .one_or_none()
    )


def application_cv(application_id: int) -> Application | None:
    """An application with its CV file only (the download)."""
    return db.session.scalars(
        sa.select(Application)
        .where(Application.id == application_id)
        .options(joinedload(Application.cv_file), raiseload("*"))
    ).one_or_none()


def _queue_filters(stmt, *, state="", q=""):
    if state in {s.value for s in ApplicationState}:
        stmt = stmt.where(Application.state == state)
    if q:
        stmt = stmt.join(User, User.id == Application.student_id).where(
            sa.or_(
                contains(User.full_name, q),
                contains(sa.func.coalesce(User.nim, ""), q),
                contains(InternshipPosition.title, q),
            )
        )
    return stmt


def _university_stmt(user, *, state="", period_id=None, q=""):
    stmt = (
        sa.select(Application)
        .join(InternshipPosition, InternshipPosition.id == Application.position_id)
        .where(Application.university_id == user.university_id)
        .order_by(Application.created_at.desc(), Application.id.desc())
    )
    if period_id:
        stmt = stmt.where(Application.period_id == period_id)
    return _queue_filters(stmt, state=state, q=q)


def university_queue(user, *, state="", period_id=None, q="", page=1, per_page=20):
    """Applications of the students of ``user``'s university, newest first."""
    stmt = _university_stmt(user, state=state, period_id=period_id, q=q)
    return paginate_by_id(
        stmt, Application.id, options=_list_options(), page=page, per_page=per_page
    )


def university_export(user, **filters) -> list[Application]:
    stmt = _university_stmt(user, **filters).options(*_list_options()).limit(EXPORT_LIMIT)
    return list(db.session.scalars(stmt).unique())


def _opd_stmt(user, *, position_id=None, state="", q="", agency_id=None):
    stmt = (
        sa.select(Application)
        .join(InternshipPosition, InternshipPosition.id == Application.position_id)
        .where(Application.endorsed_at.is_not(None))
        .order_by(Application.endorsed_at.desc(), Application.id.desc())
    )
    if user.admin_agency_id is not None:
        stmt = stmt.where(Application.agency_id == user.admin_agency_id)
    elif agency_id:
        stmt = stmt.where(Application.agency_id == agency_id)
    if position_id:
        stmt = stmt.where(Application.position_id == position_id)
    return _queue_filters(stmt, state=state, q=q)


def opd_queue(user, *, position_id=None, state="", q="", agency_id=None, page=1, per_page=20):
    """Endorsed (and later) applications for the OPD of ``user`` (a city admin: every OPD)."""
    stmt = _opd_stmt(user, position_id=position_id, state=state, q=q, agency_id=agency_id)
    return paginate_by_id(
        stmt, Application.id, options=_list_options(), page=page, per_page=per_page
    )


def opd_export(user, **filters) -> list[Application]:
    stmt = _opd_stmt(user, **filters).options(*_list_options()).limit(EXPORT_LIMIT)
    return list(db.session.scalars(stmt).unique())


def opd_positions(user) -> list[tuple[int, str]]:
    """(id, title) of the positions of the admin's OPD (all for a city admin): the filter."""
    stmt = sa.select(InternshipPosition.id, InternshipPosition.title).order_by(
        InternshipPosition.title, InternshipPosition.id
    )
    if user.admin_agency_id is not None:
        stmt = stmt.where(InternshipPosition.agency_id == user.admin_agency_id)
    return [tuple(row) for row in db.session.execute(stmt)]


def visible_applications(user, ids) -> dict[int, Application]:
    """The applications among ``ids`` that ``user`` may see (a bulk action's summary)."""
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Application)
        .where(Application.id.in_(ids), Application.visible_to(user))
        .options(*_list_options())
    ).unique()
    return {a.id: a for a in rows}


# --- applying ------------------------------------------------------------------------------------


def open_limit(period: InternshipPeriod) -> int:
    """How many open applications a student may have in the period: the round's number of
    preferences while a matching round collects them, else ``INTERNSHIP_MAX_OPEN_APPLICATIONS``."""
    if period.in_matching_round:
        return period.preference_limit
    return current_app.config["INTERNSHIP_MAX_OPEN_APPLICATIONS"]


def period_refusal(period: InternshipPeriod, student_id: int, *, now=None):
    """Why the student may not apply in ``period`` at all now (a lazy text), or None: they hold
    a placement in it already (one per period), or its matching round stopped taking
    preferences and waits for the match."""
    if db.session.scalar(
        sa.select(Placement.id).where(
            Placement.student_id == student_id, Placement.period_id == period.id
        )
    ):
        return _l(
            "You already have a placement in the period “%(period)s”: a student has one "
            "placement per period, so you cannot apply for another position in it.",
            period=period.name,
        )
    closes = period.preferences_close_on
    if period.in_matching_round and closes is not None and clock.today(now) > closes:
        return _l(
            "The preferences of this matching round closed on %(date)s. The match places the "
            "cohort; positions with seats left open again when its result is published.",
            date=lazy_day(closes),
        )
    return None


@dataclass
class ApplyStatus:
    """Whether ``user`` may apply for a position now, and if not why (shown on the pages)."""

    reason: object | None = None  # a lazy text
    existing: Application | None = None  # the user's application for this position
    free_ranks: list[int] | None = None

    @property
    def can_apply(self) -> bool:
        return self.reason is None


def apply_status(position: InternshipPosition, user, *, now=None) -> ApplyStatus:
    """The same refusals as ``application_services.apply`` (which has the last word), read in
    one query: verified student, open position, deadline, one application per position, the
    open-application limit per period."""
    if not is_verified_student(user):
        return ApplyStatus(_l("Only a student whose account the university verified can apply."))
    mine = list(
        db.session.scalars(
            sa.select(Application).where(
                Application.student_id == user.id,
                Application.period_id == position.period_id,
            )
        )
    )
    existing = next((a for a in mine if a.position_id == position.id), None)
    if existing is not None:
        return ApplyStatus(_l("You have already applied for this position."), existing)
    if position.state != PositionState.PUBLISHED:
        return ApplyStatus(_l("This position is not open for applications."))
    if clock.today(now) > position.application_deadline:
        return ApplyStatus(_l("The application deadline for this position has passed."))
    period = db.session.get(InternshipPeriod, position.period_id)
    refusal = period_refusal(period, user.id, now=now)
    if refusal is not None:
        return ApplyStatus(refusal)
    limit = open_limit(period)
    taken = {a.rank for a in mine if a.state in OPEN_STATES}
    if len(taken) >= limit:
        return ApplyStatus(
            _l(
                "You already have %(n)d open applications in this period; withdraw one first.",
                n=len(taken),
            )
        )
    return ApplyStatus(free_ranks=[r for r in range(1, limit + 1) if r not in taken])
