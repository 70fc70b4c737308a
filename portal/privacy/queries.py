"""Reads of the personal-data pages: consents, a person's requests, the admins' queue."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from portal.auth.models import User
from portal.curricula.feedback.models import MaterialRating
from portal.db import db
from portal.listing import any_contains
from portal.privacy.models import (
    ConsentPurpose,
    ConsentRecord,
    DataRequest,
    RequestKind,
    RequestState,
)
from portal.trainings.recognition.models import HallOfFameConsent


@dataclass
class ConsentState:
    """One purpose as the person sees it: given or not, the proof, the history."""

    purpose: ConsentPurpose
    given: bool
    record: ConsentRecord | None  # the open ledger row: when, which notice version
    since: object = None  # when the consent in force was given
    history: list[ConsentRecord] = field(default_factory=list)
    shown: int = 0  # feedback: ratings that show the name now


def consents(user, purposes, asn) -> list[ConsentState]:
    """The state of each purpose in ``purposes`` for ``user`` (``asn``: their ASN record or None).

    The feature's own switch decides the state (the hall of fame consent row, the ratings'
    "show my name"); the ledger gives the proof and history.
    """
    records = list(
        db.session.scalars(
            sa.select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id)
            .order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc())
        )
    )
    states = []
    for purpose in purposes:
        history = [r for r in records if r.purpose == purpose]
        record = next((r for r in history if r.withdrawn_at is None), None)
        state = ConsentState(purpose, given=False, record=record, history=history)
        if purpose == ConsentPurpose.HALL_OF_FAME and asn is not None:
            current = db.session.scalar(
                sa.select(HallOfFameConsent).where(
                    HallOfFameConsent.asn_id == asn.id, HallOfFameConsent.withdrawn_at.is_(None)
                )
            )
            state.given = current is not None
            state.since = current.given_at if current else None
        elif purpose == ConsentPurpose.FEEDBACK_NAME:
            state.shown = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(MaterialRating)
                .where(MaterialRating.user_id == user.id, MaterialRating.show_name.is_(True))
            )
            state.given = record is not None or state.shown > 0
            state.since = record.given_at if record else None
        states.append(state)
    return states


def my_requests(user_id: int) -> list[DataRequest]:
    return list(
        db.session.scalars(
            sa.select(DataRequest)
            .where(DataRequest.user_id == user_id)
            .order_by(DataRequest.created_at.desc(), DataRequest.id.desc())
            .limit(200)
        )
    )


def data_request(data_request_id: int) -> DataRequest | None:
    """One request with the person who made it (and their roles) and who handled it."""
    return db.session.scalars(
        sa.select(DataRequest)
        .where(DataRequest.id == data_request_id)
        .options(
            selectinload(DataRequest.user).selectinload(User.role_rows),
            selectinload(DataRequest.handled_by),
        )
    ).first()


def _queue(state: str | None, kind: str | None, q: str):
    requester = aliased(User)
    stmt = sa.select(DataRequest).join(requester, requester.id == DataRequest.user_id)
    if state in set(RequestState):
        stmt = stmt.where(DataRequest.state == state)
    if kind in set(RequestKind):
        stmt = stmt.where(DataRequest.kind == kind)
    if q:
        stmt = stmt.where(
            any_contains(q, requester.full_name, requester.email, DataRequest.details)
        )
    # Open ones first, the earliest due at the top: that is the order they must be handled in.
    # Open requests first, then the steps still due (an approved deletion to erase, a
    # restriction in force to lift), then the closed ones.
    open_first = sa.case(
        (DataRequest.state == RequestState.OPEN, 0),
        (DataRequest.state.in_([RequestState.APPROVED, RequestState.IN_FORCE]), 1),
        else_=2,
    )
    return stmt.order_by(open_first, DataRequest.due_at, DataRequest.id).options(
        selectinload(DataRequest.user), selectinload(DataRequest.handled_by)
    )


def request_queue(*, state, kind, q, page: int, per_page: int):
    return db.paginate(_queue(state, kind, q), page=page, per_page=per_page, error_out=False)


def request_rows(*, state, kind, q) -> list[DataRequest]:
    """The queue without pagination (the export)."""
    return list(db.session.scalars(_queue(state, kind, q)))


def open_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DataRequest)
        .where(DataRequest.state == RequestState.OPEN)
    )
