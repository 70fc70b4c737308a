"""Reads for the recognition pages, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.auth.models import AccountStatus, User
from portal.competency.models import AsnProfile
from portal.db import db
from portal.institutions.models import Agency
from portal.listing import any_contains
from portal.trainings.ledger.models import EntryState, LedgerEntry
from portal.trainings.ledger.queries import target_for
from portal.trainings.recognition.models import (
    AwardNomination,
    HallOfFameConsent,
    ProposalState,
    RecognitionProposal,
    RecognitionRule,
)


def rules() -> list[RecognitionRule]:
    return list(
        db.session.scalars(
            sa.select(RecognitionRule).order_by(RecognitionRule.kind, RecognitionRule.id)
        )
    )


def _search(stmt, q: str):
    if not q:
        return stmt
    return stmt.where(any_contains(q, User.full_name, AsnProfile.nip))


def proposals(*, page: int, per_page: int, **filters):
    """A page of :func:`proposals_stmt`."""
    return db.paginate(proposals_stmt(**filters), page=page, per_page=per_page, error_out=False)


def proposals_export(*, limit: int = 5000, **filters) -> list[RecognitionProposal]:
    return list(db.session.scalars(proposals_stmt(**filters).limit(limit)).unique())


def proposals_stmt(*, state: str | None, year: int | None, agency_id: int | None, q: str):
    """The city admin's queue: proposals with the ASN, OPD, rule and certificate loaded; oldest
    first among those waiting, newest decision first otherwise."""
    stmt = (
        sa.select(RecognitionProposal)
        .join(AsnProfile, AsnProfile.id == RecognitionProposal.asn_id)
        .join(User, User.id == AsnProfile.user_id)
        .options(
            joinedload(RecognitionProposal.asn).joinedload(AsnProfile.user),
            joinedload(RecognitionProposal.agency),
            joinedload(RecognitionProposal.rule),
            joinedload(RecognitionProposal.certificate),
        )
    )
    if state:
        stmt = stmt.where(RecognitionProposal.state == state)
    if year:
        stmt = stmt.where(RecognitionProposal.period == year)
    if agency_id:
        stmt = stmt.where(RecognitionProposal.agency_id == agency_id)
    return _search(stmt, q).order_by(
        RecognitionProposal.decided_at.desc().nulls_first(), RecognitionProposal.id
    )


def proposal(proposal_id: int) -> RecognitionProposal | None:
    return db.session.scalars(
        sa.select(RecognitionProposal)
        .where(RecognitionProposal.id == proposal_id)
        .options(
            joinedload(RecognitionProposal.asn).joinedload(AsnProfile.user),
            joinedload(RecognitionProposal.rule),
        )
    ).first()


def badges(asn_id: int) -> list[RecognitionProposal]:
    """The ASN's approved recognitions (their badges) with certificates, newest first. One
    query."""
    return list(
        db.session.scalars(
            sa.select(RecognitionProposal)
            .where(
                RecognitionProposal.asn_id == asn_id,
                RecognitionProposal.state == ProposalState.APPROVED,
            )
            .options(joinedload(RecognitionProposal.certificate))
            .order_by(RecognitionProposal.period.desc(), RecognitionProposal.id.desc())
        )
    )


def consent_history(asn_id: int) -> list[HallOfFameConsent]:
    return list(
        db.session.scalars(
            sa.select(HallOfFameConsent)
            .where(HallOfFameConsent.asn_id == asn_id)
            .order_by(HallOfFameConsent.given_at.desc(), HallOfFameConsent.id.desc())
        )
    )


@dataclass
class FameRow:
    asn: AsnProfile
    badges: list[RecognitionProposal]


def hall_of_fame(*, agency_id: int | None, page: int, per_page: int):
    """ASN with a current consent, an active account and at least one approved recognition,
    most recognised first, with their badges. Three queries (count, page, badges)."""
    approved = (
        sa.select(RecognitionProposal.asn_id, sa.func.count(RecognitionProposal.id).label("n"))
        .where(RecognitionProposal.state == ProposalState.APPROVED)
        .group_by(RecognitionProposal.asn_id)
        .subquery()
    )
    stmt = (
        sa.select(AsnProfile)
        .join(approved, approved.c.asn_id == AsnProfile.id)
        .join(
            HallOfFameConsent,
            sa.and_(
                HallOfFameConsent.asn_id == AsnProfile.id, HallOfFameConsent.withdrawn_at.is_(None)
            ),
        )
        .join(User, User.id == AsnProfile.user_id)
        .where(User.is_active_flag.is_(True), User.status == AccountStatus.ACTIVE)
        # A restriction of processing in force (UU PDP Pasal 11) stops this optional one.
        .where(User.processing_restricted.is_(False))
        .options(joinedload(AsnProfile.user), joinedload(AsnProfile.position))
        .order_by(approved.c.n.desc(), User.full_name, AsnProfile.id)
    )
    if agency_id:
        stmt = stmt.where(AsnProfile.agency_id == agency_id)
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    ids = [asn.id for asn in pagination.items]
    by_asn: dict[int, list[RecognitionProposal]] = {}
    if ids:
        for badge in db.session.scalars(
            sa.select(RecognitionProposal)
            .where(
                RecognitionProposal.asn_id.in_(ids),
                RecognitionProposal.state == ProposalState.APPROVED,
            )
            .order_by(RecognitionProposal.period.desc(), RecognitionProposal.id)
        ):
            by_asn.setdefault(badge.asn_id, []).append(badge)
    pagination.items = [FameRow(asn, by_asn.get(asn.id, [])) for asn in pagination.items]
    return pagination


def agencies() -> list[Agency]:
    return list(db.session.scalars(sa.select(Agency).order_by(Agency.name)))


def nominations(user, *, page: int, per_page: int, **filters):
    """A page of :func:`nominations_stmt`."""
    return db.paginate(
        nominations_stmt(user, **filters), page=page, per_page=per_page, error_out=False
    )


def nominations_export(user, *, limit: int = 5000, **filters) -> list[AwardNomination]:
    return list(db.session.scalars(nominations_stmt(user, **filters).limit(limit)).unique())


def nominations_stmt(user, *, state: str | None, q: str):
    """Nomination dossiers the admin may see (city: all; OPD admin: their OPD), newest first."""
    stmt = (
        sa.select(AwardNomination)
        .join(AsnProfile, AsnProfile.id == AwardNomination.asn_id)
        .join(User, User.id == AsnProfile.user_id)
        .options(
            joinedload(AwardNomination.asn).joinedload(AsnProfile.user),
            joinedload(AwardNomination.agency),
        )
        .order_by(AwardNomination.created_at.desc(), AwardNomination.id.desc())
    )
    if not user.is_city_admin:
        stmt = stmt.where(AwardNomination.agency_id == user.admin_agency_id)
    if state:
        stmt = stmt.where(AwardNomination.state == state)
    return _search(stmt, q)


def nomination(nomination_id: int) -> AwardNomination | None:
    return db.session.scalars(
        sa.select(AwardNomination)
        .where(AwardNomination.id == nomination_id)
        .options(
            joinedload(AwardNomination.asn).joinedload(AsnProfile.user),
            joinedload(AwardNomination.asn).joinedload(AsnProfile.position),
            joinedload(AwardNomination.agency),
            joinedload(AwardNomination.prepared_by),
            joinedload(AwardNomination.submitted_by),
        )
    ).first()


def asn_by_nip(nip: str) -> AsnProfile | None:
    return db.session.scalars(
        sa.select(AsnProfile).where(AsnProfile.nip == nip).options(joinedload(AsnProfile.user))
    ).first()


# --- appreciation --------------------------------------------------------------------------------


@dataclass
class Appreciation:
    """A year in which the ASN's verified JP reached their yearly target."""

    year: int
    jp: float
    target: int


def jp_appreciations(asn: AsnProfile, years: tuple[int, ...]) -> list[Appreciation]:
    """The years of ``years`` (newest first) in which the ASN met the yearly JP target with
    verified records: thanked for, not recognised (models.DEFAULT_RULES). One query."""
    target = target_for(asn.status)
    rows = db.session.execute(
        sa.select(LedgerEntry.year, sa.func.sum(LedgerEntry.jp))
        .where(
            LedgerEntry.asn_id == asn.id,
            LedgerEntry.state == EntryState.VERIFIED,
            LedgerEntry.year.in_(years),
        )
        .group_by(LedgerEntry.year)
    ).all()
    return [
        Appreciation(year=year, jp=round(float(jp), 1), target=target)
        for year, jp in sorted(rows, reverse=True)
        if target and jp >= target
    ]
