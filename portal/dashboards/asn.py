"""The ASN's panel: JP ledger progress this year (the ledger page's numbers), competency gaps
(the profile's rule: required − the latest official level), recommended trainings for those
gaps, and the evaluations waiting for the ASN. At most six queries, whatever the number of
records, assessments, curricula or batches; one for an account without an ASN record (the
panel explains what is missing instead)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from portal.competency.gaps import GapRow
from portal.competency.models import (
    AsnProfile,
    AsnStatus,
    Assessment,
    AssessmentResult,
    Competency,
    CompetencyType,
    CompetencyVersion,
    StandardItem,
)
from portal.dashboards import asn_trainings
from portal.db import db
from portal.trainings.ledger import queries as ledger_queries
from portal.trainings.ledger.models import EntryState, LedgerEntry
from portal.util import clock

TOP_GAPS = 5


@dataclass(frozen=True)
class AsnRecord:
    id: int
    status: AsnStatus
    agency_id: int
    position_id: int | None
    supervisor_id: int | None


def _jp(state: EntryState, year: int):
    return (
        sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.jp), 0))
        .where(
            LedgerEntry.asn_id == AsnProfile.id,
            LedgerEntry.year == year,
            LedgerEntry.state == state,
        )
        .correlate(AsnProfile)
        .scalar_subquery()
    )


def _record_and_jp(user, year: int):
    """The ASN record with its verified and pending JP of ``year`` (one query), or None."""
    row = db.session.execute(
        sa.select(
            AsnProfile.id,
            AsnProfile.status,
            AsnProfile.agency_id,
            AsnProfile.position_id,
            AsnProfile.supervisor_id,
            _jp(EntryState.VERIFIED, year),
            _jp(EntryState.SUBMITTED, year),
        ).where(AsnProfile.user_id == user.id)
    ).first()
    if row is None:
        return None, 0.0, 0.0
    return AsnRecord(*row[:5]), float(row[5] or 0), float(row[6] or 0)


def _ledger(record: AsnRecord, year: int, verified: float, pending: float, today):
    """The ledger page's summary (``ledger_queries.Ledger``: verified total, target, percent)
    without loading every record, plus the JP expected by today."""
    target = ledger_queries.target_for(record.status)
    ledger = ledger_queries.Ledger(
        asn=None,
        year=year,
        entries=[],
        target=target,
        total_jp=round(verified, 1),
        pending_jp=round(pending, 1),
    )
    expected = ledger_queries.expected_by(target, year, today)
    return ledger, expected


def gap_rows(record: AsnRecord) -> list[GapRow]:
    """The position's standard against the latest official levels, by the profile page's rule
    (``competency.queries.profile``: the newest official assessment of each competency), in
    one query."""
    if record.position_id is None:
        return []
    latest = (
        sa.select(AssessmentResult.level)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .where(
            Assessment.asn_id == record.id,
            Assessment.is_official.is_(True),
            AssessmentResult.competency_id == Competency.id,
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
        .correlate(Competency)
        .scalar_subquery()
    )
    items = db.session.execute(
        sa.select(
            Competency.id,
            Competency.code,
            CompetencyVersion.name,
            Competency.type,
            StandardItem.required_level,
            latest,
        )
        .join(Competency, Competency.id == StandardItem.competency_id)
        .outerjoin(CompetencyVersion, CompetencyVersion.id == Competency.current_version_id)
        .where(StandardItem.position_id == record.position_id, Competency.is_retired.is_(False))
        .order_by(Competency.type, Competency.code)
    ).all()
    return [
        GapRow(
            competency_id=cid,
            code=code,
            name=name or code,
            type_title=CompetencyType(kind).title,
            required=required,
            current=current,
        )
        for cid, code, name, kind, required, current in items
    ]


def build(user) -> dict:
    """The ASN's figures (see the module docstring)."""
    today = clock.today()
    record, verified, pending = _record_and_jp(user, today.year)
    if record is None:
        return {"missing": True}
    ledger, expected = _ledger(record, today.year, verified, pending, today)
    rows = gap_rows(record)
    gaps = sorted((r for r in rows if r.gap and r.gap > 0), key=lambda r: (-r.gap, r.name))
    return {
        "missing": False,
        "year": today.year,
        "ledger": ledger,
        "expected": expected,
        "behind": ledger.total_jp < expected,
        "has_position": record.position_id is not None,
        "standard_size": len(rows),
        "not_assessed": sum(1 for r in rows if r.current is None),
        "gap_count": len(gaps),
        "top_gaps": gaps[:TOP_GAPS],
        "recommendations": asn_trainings.recommendations(record, user, gaps),
        "pending": asn_trainings.pending_evaluations(user),
        "approvals": asn_trainings.waiting_approvals(record, user, today=today),
    }
