"""Reads behind one batch's pages (the batch, its sessions, roster, nominees, attendance, the
batch form's choices) and the ASN's registrations: each loads what its page shows with explicit
eager loading, in a fixed number of queries, scoped to what the user may see. The batch list and
its export are in :mod:`~portal.trainings.batches.list_queries`."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.certificates.models import Certificate
from portal.competency.models import AsnProfile, Position
from portal.curricula.models import (
    AuthorSide,
    Curriculum,
    CurriculumAuthor,
    CurriculumState,
    DeliveryMode,
    Module,
)
from portal.db import db
from portal.institutions.models import Agency
from portal.listing import any_contains
from portal.trainings.batches.certificates import SOURCE_TYPE
from portal.trainings.ledger import schedule
from portal.trainings.ledger.conversion import LEDGER_FORMS, ConversionRule, Scope
from portal.trainings.models import (
    ACTIVE_STATES,
    Attendance,
    BatchState,
    Registration,
    RegistrationEvent,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
    is_city_admin,
)

CERTIFICATE_SOURCE = SOURCE_TYPE
#: The most rows an export holds (the list it exports is filtered first).
EXPORT_LIMIT = 5000


def my_asn(user) -> AsnProfile | None:
    """The user's ASN record (taken from :func:`registration_of` when it ran in this request)."""
    known = g.get("_trainings_my_asn", {}) if has_request_context() else {}
    if user.id in known:
        return known[user.id]
    return db.session.scalar(sa.select(AsnProfile).where(AsnProfile.user_id == user.id))


def _schedule_columns():
    """The ledger form a batch converts as (``schedule.curriculum_form`` in SQL), the rule stored
    for it (None: the built-in default) and the curriculum's JP, read with the batch."""
    form = sa.case(
        (Curriculum.mode == DeliveryMode.E_LEARNING, "e_learning"),
        (Curriculum.training_type.in_(schedule.STRUCTURAL_TYPES), "pelatihan_kepemimpinan"),
        (Curriculum.training_type.in_(list(LEDGER_FORMS)), Curriculum.training_type),
        else_=schedule.DEFAULT_FORM,
    )
    total = (
        sa.select(sa.func.coalesce(sa.func.sum(Module.jp), 0))
        .where(Module.curriculum_id == TrainingBatch.curriculum_id)
        .scalar_subquery()
    )
    return form, total


def batch_for_page(batch_id: int, *, modules: bool = False) -> TrainingBatch | None:
    """The batch with its curriculum and co-authors (joined in; ``modules`` too for the JP
    total), sessions, facilitators and targets; and, in the same query, what
    ``schedule.batch_jp`` needs besides the sessions (``batch.schedule_inputs``)."""
    curriculum = [joinedload(Curriculum.authors)]
    if modules:
        curriculum.append(selectinload(Curriculum.modules))
    form, total = _schedule_columns()
    row = (
        db.session.execute(
            sa.select(TrainingBatch, form, ConversionRule, total)
            .join(Curriculum, Curriculum.id == TrainingBatch.curriculum_id)
            .outerjoin(
                ConversionRule,
                sa.and_(ConversionRule.form == form, ConversionRule.scope == Scope.NATIONAL),
            )
            .where(TrainingBatch.id == batch_id)
            .options(
                joinedload(TrainingBatch.curriculum).options(*curriculum),
                selectinload(TrainingBatch.sessions),
                selectinload(TrainingBatch.facilitators),
                selectinload(TrainingBatch.target_agencies),
                selectinload(TrainingBatch.target_positions),
            )
        )
        .unique()
        .first()
    )
    if row is None:
        return None
    batch, form_key, rule, nominal = row
    batch.schedule_inputs = {"form": form_key, "rule": rule, "nominal": int(nominal or 0)}
    return batch


def session_for_page(session_id: int) -> TrainingSession | None:
    return db.session.scalar(
        sa.select(TrainingSession)
        .where(TrainingSession.id == session_id)
        .options(
            joinedload(TrainingSession.batch).options(
                joinedload(TrainingBatch.curriculum).selectinload(Curriculum.authors),
                selectinload(TrainingBatch.facilitators),
                selectinload(TrainingBatch.sessions),
            )
        )
    )


def _waitlist_rank():
    """Place on the waiting list now, as a correlated column (1 = next to move up)."""
    other = aliased(Registration)
    return (
        sa.select(sa.func.count())
        .where(
            other.batch_id == Registration.batch_id,
            other.state == RegistrationState.WAITLISTED,
            other.waitlist_position <= Registration.waitlist_position,
        )
        .correlate(Registration)
        .scalar_subquery()
    )


def roster_stmt(batch: TrainingBatch):
    """The batch's registrations with ASN and rank on the waiting list (page and export)."""
    return (
        sa.select(Registration, _waitlist_rank())
        .where(Registration.batch_id == batch.id)
        .options(joinedload(Registration.user), joinedload(Registration.asn))
        .order_by(Registration.state, Registration.waitlist_position, Registration.id)
    )


def roster_export(batch: TrainingBatch, *, limit: int = EXPORT_LIMIT) -> list:
    return db.session.execute(roster_stmt(batch).limit(limit)).all()


def roster(batch: TrainingBatch, *, page: int, per_page: int):
    """The batch's registrations (with ASN and rank on the waiting list), a page of them, and
    how many there are (counted in the same query; on its own only for a page past the end)."""
    stmt = roster_stmt(batch).add_columns(sa.func.count().over())
    found = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    if found:
        return [(registration, rank) for registration, rank, _total in found], found[0][2]
    if page <= 1:  # an empty first page: nobody registered
        return [], 0
    total = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.batch_id == batch.id)
    )
    return [], total


def registration_of(batch: TrainingBatch, user) -> Registration | None:
    """The user's registration in the batch; the user's ASN record comes in the same query and
    is kept for :func:`my_asn` for the rest of the request."""
    found = db.session.execute(
        sa.select(User.id, Registration, AsnProfile)
        .select_from(User)
        .outerjoin(
            Registration, (Registration.user_id == User.id) & (Registration.batch_id == batch.id)
        )
        .outerjoin(AsnProfile, AsnProfile.user_id == User.id)
        .where(User.id == user.id)
    ).first()
    if found is None:
        return None
    if has_request_context():
        g.setdefault("_trainings_my_asn", {})[user.id] = found[2]
    return found[1]


def nominees(batch: TrainingBatch, admin, text: str, limit: int = 20) -> list[tuple]:
    """ASN matching a name or NIP that ``admin`` may nominate (an OPD admin: that OPD's), with
    whether each is already registered."""
    if not text:
        return []
    registered = sa.exists().where(
        Registration.batch_id == batch.id, Registration.asn_id == AsnProfile.id
    )
    stmt = (
        sa.select(AsnProfile, registered)
        .join(User, User.id == AsnProfile.user_id)
        .where(
            User.is_active_flag.is_(True),
            User.status == AccountStatus.ACTIVE,
            any_contains(text, User.full_name, AsnProfile.nip),
        )
        .options(joinedload(AsnProfile.user))
        .order_by(User.full_name, AsnProfile.id)
        .limit(limit)
    )
    if not is_city_admin(admin):
        stmt = stmt.where(AsnProfile.agency_id == admin.admin_agency_id)
    return list(db.session.execute(stmt).all())


def registration_for_page(registration_id: int) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration)
        .where(Registration.id == registration_id)
        .options(
            joinedload(Registration.batch).options(
                joinedload(TrainingBatch.curriculum).selectinload(Curriculum.authors),
                selectinload(TrainingBatch.facilitators),
                selectinload(TrainingBatch.sessions),
            ),
            joinedload(Registration.user),
            joinedload(Registration.asn),
            selectinload(Registration.events).joinedload(RegistrationEvent.actor),
        )
    )


def approvals(supervisor: AsnProfile, *, page: int, per_page: int):
    """Registrations of the supervisor's direct reports that wait for approval."""
    stmt = (
        sa.select(Registration)
        .join(AsnProfile, AsnProfile.id == Registration.asn_id)
        .where(
            AsnProfile.supervisor_id == supervisor.id,
            Registration.state == RegistrationState.REQUESTED,
        )
        .options(
            joinedload(Registration.user),
            joinedload(Registration.asn),
            joinedload(Registration.batch).selectinload(TrainingBatch.sessions),
        )
        .order_by(Registration.created_at, Registration.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def my_registrations(user, *, page: int, per_page: int):
    """The ASN's registrations: those still in play (all of them), and a page of the others."""
    options = (joinedload(Registration.batch).selectinload(TrainingBatch.sessions),)
    upcoming = list(
        db.session.scalars(
            sa.select(Registration)
            .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
            .where(
                Registration.user_id == user.id,
                Registration.state.in_(ACTIVE_STATES),
                TrainingBatch.state.in_((BatchState.OPEN, BatchState.CLOSED)),
            )
            .options(*options)
            .order_by(Registration.id.desc())
        )
    )
    past = db.paginate(
        sa.select(Registration)
        .where(Registration.user_id == user.id, Registration.id.not_in([r.id for r in upcoming]))
        .options(*options)
        .order_by(Registration.id.desc()),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return upcoming, past


def checked_in(pairs) -> dict[int, Attendance]:
    """The present attendance of each (registration id, session id) pair, by registration id:
    "My trainings" says the ASN checked in instead of offering it again. One query."""
    pairs = list(pairs)
    if not pairs:
        return {}
    rows = db.session.scalars(
        sa.select(Attendance).where(
            sa.tuple_(Attendance.registration_id, Attendance.session_id).in_(pairs),
            Attendance.present.is_(True),
        )
    )
    return {row.registration_id: row for row in rows}


def certificates_for(registrations) -> dict[int, Certificate]:
    ids = [r.id for r in registrations]
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Certificate).where(
            Certificate.source_type == CERTIFICATE_SOURCE, Certificate.source_id.in_(ids)
        )
    )
    return {c.source_id: c for c in rows}


def enrolled(batch: TrainingBatch) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(
                Registration.batch_id == batch.id, Registration.state == RegistrationState.ENROLLED
            )
            .options(joinedload(Registration.user), joinedload(Registration.asn))
            .order_by(Registration.id)
        )
    )


def attendance_of(session: TrainingSession) -> dict[int, Attendance]:
    rows = db.session.scalars(sa.select(Attendance).where(Attendance.session_id == session.id))
    return {row.registration_id: row for row in rows}


def schedulable_curricula(user) -> list[Curriculum]:
    """Published curricula ``user`` may schedule (admin of the partner OPD or city-wide, or agency
    co-author)."""
    stmt = sa.select(Curriculum).where(Curriculum.state == CurriculumState.PUBLISHED)
    if not is_city_admin(user):
        coauthor = sa.select(CurriculumAuthor.curriculum_id).where(
            CurriculumAuthor.user_id == user.id, CurriculumAuthor.side == AuthorSide.AGENCY
        )
        condition = Curriculum.id.in_(coauthor)
        if Role.ADMIN in user.roles:
            condition = condition | (Curriculum.agency_id == user.admin_agency_id)
        stmt = stmt.where(condition)
    return list(db.session.scalars(stmt.order_by(Curriculum.title).limit(200)))


def curriculum_for_batch(curriculum_id: int) -> Curriculum | None:
    return db.session.scalar(
        sa.select(Curriculum)
        .where(Curriculum.id == curriculum_id)
        .options(selectinload(Curriculum.authors), selectinload(Curriculum.modules))
    )


def active_agencies() -> list[Agency]:
    return list(
        db.session.scalars(
            sa.select(Agency).where(Agency.is_active.is_(True)).order_by(Agency.name)
        )
    )


def form_choices():
    """Active lecturers (facilitators), active OPD and active positions for the batch form."""
    lecturers = db.session.scalars(
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.UNIVERSITY,
            User.is_active_flag.is_(True),
            User.status == AccountStatus.ACTIVE,
        )
        .order_by(User.full_name)
    ).all()
    agencies = active_agencies()
    positions = db.session.execute(
        sa.select(Position, Agency.name)
        .join(Agency, Agency.id == Position.agency_id)
        .where(Position.is_active.is_(True))
        .order_by(Agency.name, Position.name, Position.id)
    ).all()
    return list(lecturers), list(agencies), [(p, opd) for p, opd in positions]


def by_ids(model, ids) -> list:
    """The rows of ``model`` with these ids (users with their roles, which services check)."""
    ids = list(ids or [])
    if not ids:
        return []
    stmt = sa.select(model).where(model.id.in_(ids)).order_by(model.id)
    if model is User:
        stmt = stmt.options(selectinload(User.role_rows))
    return list(db.session.scalars(stmt))


def sessions_of_enrolled(user) -> list[TrainingSession]:
    """Sessions of the running batches ``user`` is enrolled in (for the check-in page)."""
    return list(
        db.session.scalars(
            sa.select(TrainingSession)
            .join(TrainingBatch, TrainingBatch.id == TrainingSession.batch_id)
            .join(Registration, Registration.batch_id == TrainingBatch.id)
            .where(
                Registration.user_id == user.id,
                Registration.state == RegistrationState.ENROLLED,
                TrainingBatch.state.in_((BatchState.OPEN, BatchState.CLOSED)),
            )
            .options(joinedload(TrainingSession.batch))
            .order_by(TrainingSession.starts_at)
        )
    )


def batch_id_of_session(session_id: int) -> int | None:
    """The batch of a session (None when there is no such session)."""
    return db.session.scalar(
        sa.select(TrainingSession.batch_id).where(TrainingSession.id == session_id)
    )


def registered_count(batch: TrainingBatch) -> int:
    """How many registrations of ``batch`` are still in play (the waiting list included): the
    ASN told when its schedule changes."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.batch_id == batch.id, Registration.state.in_(ACTIVE_STATES))
    )
