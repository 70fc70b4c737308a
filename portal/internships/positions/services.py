"""Writes about what an OPD offers: internship periods, positions, and the mentors named for them."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app

from portal import audit
from portal.auth.models import Role
from portal.db import db, utcnow
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    PositionMentor,
    PositionState,
    WorkMode,
    is_opd_admin,
)
from portal.internships.positions import workflow
from portal.internships.positions.workflow import PositionAction
from portal.util.text import without_nul

#: The fields an OPD admin may set on a position; everything else (agency, state, the seat
#: counter, the author) only changes through the services below (QUALITY.md G4).
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "unit",
        "description",
        "tasks",
        "wanted_majors",
        "wanted_skills",
        "quota",
        "starts_on",
        "ends_on",
        "location",
        "mode",
        "application_deadline",
        "work_plan_item",
        "period",
    }
)
_TEXT_LIMITS = {"title": 200, "unit": 200, "location": 200, "work_plan_item": 300}


def _require_manager(position_or_agency_id, actor) -> None:
    agency_id = getattr(position_or_agency_id, "agency_id", position_or_agency_id)
    if not is_opd_admin(actor, agency_id):
        raise DomainError(_l("Only an admin of this OPD can manage its internship positions."))


def mentor_rows(position: InternshipPosition) -> list[PositionMentor]:
    """The position's mentor rows, read explicitly (pages load positions without relationships)."""
    return list(
        db.session.scalars(
            sa.select(PositionMentor)
            .where(PositionMentor.position_id == position.id)
            .order_by(PositionMentor.id)
        )
    )


def create_period(*, actor, name: str, starts_on: date, ends_on: date) -> InternshipPeriod:
    """A new internship period (city-wide admins only); refuses a repeated name or reversed dates."""
    if actor is None or not actor.is_city_admin:
        raise DomainError(_l("Only a city-wide admin can create internship periods."))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(_l("Give the period a name of at most 100 characters."))
    if ends_on < starts_on:
        raise DomainError(_l("The period must end after it starts."))
    if db.session.scalar(sa.select(InternshipPeriod.id).where(InternshipPeriod.name == name)):
        raise DomainError(_l("A period with this name already exists."))
    period = InternshipPeriod(name=name, starts_on=starts_on, ends_on=ends_on)
    db.session.add(period)
    db.session.flush()
    audit.record(actor, "internship.period", period)
    return period


def _check_fields(values: dict) -> None:
    for field, limit in _TEXT_LIMITS.items():
        if field in values and len(values[field] or "") > limit:
            raise DomainError(_l("This text is too long (at most %(n)d characters).", n=limit))
    if "title" in values and not (values["title"] or "").strip():
        raise DomainError(_l("Give the position a title."))
    if "quota" in values and (not isinstance(values["quota"], int) or values["quota"] < 1):
        raise DomainError(_l("The quota must be at least 1."))
    if "mode" in values and values["mode"] not in tuple(WorkMode):
        raise DomainError(_l("Choose on site or hybrid."))
    if values["ends_on"] < values["starts_on"]:
        raise DomainError(_l("The internship must end after it starts."))
    if values["application_deadline"] > values["starts_on"]:
        raise DomainError(_l("The application deadline must not be after the start date."))


def create_position(
    agency,
    *,
    actor,
    period: InternshipPeriod,
    title: str,
    quota: int,
    starts_on: date,
    ends_on: date,
    application_deadline: date,
    **fields,
) -> InternshipPosition:
    """A draft position of ``agency``; only its admins (or city-wide admins) create one."""
    _require_manager(agency.id, actor)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    values = without_nul(
        dict(
            title=title,
            quota=quota,
            starts_on=starts_on,
            ends_on=ends_on,
            application_deadline=application_deadline,
            **fields,
        )
    )
    _check_fields(values)
    values["mode"] = WorkMode(values.get("mode", WorkMode.ON_SITE))
    position = InternshipPosition(
        agency_id=agency.id,
        period_id=period.id,
        created_by_id=actor.id,
        state=PositionState.DRAFT,
        **{k: v for k, v in values.items() if k != "period"},
    )
    db.session.add(position)
    db.session.flush()
    audit.record(actor, "internship.position", position, target_label=position.title)
    return position


def update_position(position: InternshipPosition, *, actor, **changes) -> None:
    """Change the editable fields (G4: anything else is refused). A closed position is frozen,
    the period is fixed once published, and the quota never drops below the seats taken."""
    _require_manager(position, actor)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    if position.state == PositionState.CLOSED:
        raise InvalidTransition(_l("A closed position cannot be changed; publish it again first."))
    changes = without_nul(changes)
    if "period" in changes and changes["period"].id != position.period_id:
        if position.state != PositionState.DRAFT:
            raise InvalidTransition(_l("The period of a published position cannot change."))
        position.period_id = changes["period"].id
    merged = {f: getattr(position, f) for f in ("starts_on", "ends_on", "application_deadline")}
    merged.update(changes)
    _check_fields(merged)
    quota = changes.pop("quota", None)
    if quota is not None and quota != position.quota:
        # Conditional, like the seat counter itself: an acceptance at the same moment can't
        # leave more seats taken than the new quota.
        result = db.session.execute(
            sa.update(InternshipPosition)
            .where(InternshipPosition.id == position.id, InternshipPosition.seats_taken <= quota)
            .values(quota=quota)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise DomainError(
                _l(
                    "The quota cannot be lower than the %(n)d seats already taken.",
                    n=position.seats_taken,
                )
            )
        db.session.expire(position, ["quota", "seats_taken"])
    for field, value in changes.items():
        if field != "period":
            setattr(position, field, WorkMode(value) if field == "mode" else value)
    db.session.flush()
    audit.record(
        actor,
        "internship.position",
        position,
        target_label=position.title,
        changed=sorted(set(changes) | ({"quota"} if quota is not None else set())),
    )


def add_mentor(position: InternshipPosition, mentor, *, actor, mentee_limit: int | None = None):
    """Name ``mentor`` (an active user with the mentor role in the position's OPD) for the
    position, and set their mentee limit (default ``MENTOR_DEFAULT_LIMIT``)."""
    _require_manager(position, actor)
    if (
        mentor is None
        or Role.MENTOR not in mentor.roles
        or not mentor.is_active
        or mentor.agency_id != position.agency_id
    ):
        raise DomainError(_l("The mentor must be an active mentor of the position's OPD."))
    if mentee_limit is not None and (mentee_limit < 0 or mentee_limit > 100):
        raise DomainError(_l("The mentee limit must be between 0 and 100."))
    if any(m.mentor_id == mentor.id for m in mentor_rows(position)):
        raise DomainError(_l("This mentor is already named for the position."))
    capacity = db.session.get(MentorCapacity, mentor.id)
    if capacity is None:
        limit = (
            mentee_limit if mentee_limit is not None else current_app.config["MENTOR_DEFAULT_LIMIT"]
        )
        capacity = MentorCapacity(user_id=mentor.id, mentee_limit=limit, active_mentees=0)
        db.session.add(capacity)
    elif mentee_limit is not None:
        capacity.mentee_limit = mentee_limit  # a lower limit only stops new placements
    row = PositionMentor(position_id=position.id, mentor_id=mentor.id)
    db.session.add(row)
    db.session.flush()
    db.session.expire(position, ["mentors"])
    audit.record(
        actor,
        "internship.mentors",
        position,
        target_label=position.title,
        added=mentor.id,
        mentee_limit=capacity.mentee_limit,
    )
    return row


def remove_mentor(position: InternshipPosition, mentor, *, actor) -> None:
    """Stop naming ``mentor`` for new placements (their current mentees keep them). A published
    position keeps at least one mentor."""
    _require_manager(position, actor)
    rows = mentor_rows(position)
    row = next((m for m in rows if m.mentor_id == mentor.id), None)
    if row is None:
        raise DomainError(_l("This mentor is not named for the position."))
    if position.state == PositionState.PUBLISHED and len(rows) == 1:
        raise InvalidTransition(_l("A published position needs at least one mentor."))
    db.session.delete(row)
    db.session.flush()
    db.session.expire(position, ["mentors"])
    audit.record(
        actor, "internship.mentors", position, target_label=position.title, removed=mentor.id
    )


def publish_position(position: InternshipPosition, *, actor, now: datetime | None = None) -> None:
    """Open a draft (or re-open a closed) position for applications. Refuses a position
    without a mentor or whose application deadline has passed (``workflow.POSITION``)."""
    _require_manager(position, actor)
    position.state = workflow.check(position, PositionAction.PUBLISH, actor, now=now)
    position.published_at = now or utcnow()
    position.closed_at = None
    db.session.flush()
    audit.record(
        actor,
        "internship.position_state",
        position,
        target_label=position.title,
        state=str(position.state),
    )


def close_position(position: InternshipPosition, *, actor, now: datetime | None = None) -> None:
    """Stop taking applications; those already sent go on (offers can still be accepted)."""
    _require_manager(position, actor)
    position.state = workflow.check(position, PositionAction.CLOSE, actor, now=now)
    position.closed_at = now or utcnow()
    db.session.flush()
    audit.record(
        actor,
        "internship.position_state",
        position,
        target_label=position.title,
        state=str(position.state),
    )
