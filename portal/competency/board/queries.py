"""The demand board: where ASN fall below their standard, per OPD × competency × position kind.

Only official assessments count. Admins see every group; university users see groups of at
least ``BOARD_MIN_GROUP`` ASN only: smaller groups are merged across position kinds within the
same OPD and competency, and hidden if still too small (no one can be singled out).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from portal.competency.models import (
    AsnProfile,
    Assessment,
    AssessmentResult,
    Competency,
    CompetencyType,
    CompetencyVersion,
    Position,
    PositionKind,
    StandardItem,
)
from portal.db import db
from portal.institutions.models import Agency
from portal.snapshots import remembered


@dataclass
class Cluster:
    agency_id: int
    agency: str
    competency_id: int
    competency: str
    competency_type: CompetencyType
    kind: PositionKind | None  # None: several position kinds merged
    total: int  # ASN whose position requires the competency
    assessed: int  # … with an official level for it
    below: int  # … below the required level
    gap_sum: int  # Σ (required − current) over those below

    @property
    def share_below(self) -> float:
        return round(self.below / self.assessed * 100, 1) if self.assessed else 0.0

    @property
    def mean_gap(self) -> float:
        return round(self.gap_sum / self.below, 2) if self.below else 0.0


def _latest_official(agency_id: int | None = None):
    """Each ASN's latest official result per competency (rank 1), of one OPD's ASN when given:
    the filter sits inside, as neither database pushes it into a window function's input."""
    rank = (
        sa.func.row_number()
        .over(
            partition_by=(Assessment.asn_id, AssessmentResult.competency_id),
            order_by=(Assessment.assessed_on.desc(), Assessment.id.desc()),
        )
        .label("rank")
    )
    stmt = (
        sa.select(Assessment.asn_id, AssessmentResult.competency_id, AssessmentResult.level, rank)
        .join(AssessmentResult, AssessmentResult.assessment_id == Assessment.id)
        .where(Assessment.is_official.is_(True))
    )
    if agency_id:
        stmt = stmt.join(AsnProfile, AsnProfile.id == Assessment.asn_id).where(
            AsnProfile.agency_id == agency_id
        )
    return stmt.subquery()


@dataclass(frozen=True)
class _Group:
    agency_id: int
    kind: str
    competency_id: int
    total: int
    assessed: int = 0
    below: int = 0
    gap_sum: int = 0


def _filtered(stmt, agency_id: int | None, ctype: str | None):
    stmt = stmt.where(Competency.is_retired.is_(False))
    if agency_id:
        stmt = stmt.where(AsnProfile.agency_id == agency_id)
    if ctype in {t.value for t in CompetencyType}:
        stmt = stmt.where(Competency.type == ctype)
    return stmt


def _raw_groups(agency_id: int | None, ctype: str | None) -> list[_Group]:
    """Per OPD × position kind × competency of a standard: how many ASN hold it, how many have an
    official level, how many are below and by how much (one query).

    The assessed side is driven from the latest official results (joined to the ASN and the
    standard by their keys), not left-joined from every ASN × standard item: SQLite cannot index
    a window-function subquery, and that join grew with the square of the data (a city-scale
    demand board did not finish without ANALYZE)."""
    keys = (AsnProfile.agency_id, Position.kind, StandardItem.competency_id)
    zero = sa.literal(0)
    totals = _filtered(
        sa.select(
            *keys,
            sa.func.count().label("total"),
            zero.label("assessed"),
            zero.label("below"),
            zero.label("gap_sum"),
        )
        .select_from(AsnProfile)
        .join(Position, AsnProfile.position_id == Position.id)
        .join(StandardItem, StandardItem.position_id == Position.id)
        .join(Competency, Competency.id == StandardItem.competency_id),
        agency_id,
        ctype,
    ).group_by(*keys)
    latest = _latest_official(agency_id)
    is_below = latest.c.level < StandardItem.required_level
    assessed = _filtered(
        sa.select(
            *keys,
            zero.label("total"),
            sa.func.count().label("assessed"),
            sa.func.sum(sa.case((is_below, 1), else_=0)).label("below"),
            sa.func.sum(
                sa.case((is_below, StandardItem.required_level - latest.c.level), else_=0)
            ).label("gap_sum"),
        )
        .select_from(latest)
        .join(AsnProfile, AsnProfile.id == latest.c.asn_id)
        .join(Position, AsnProfile.position_id == Position.id)
        .join(
            StandardItem,
            sa.and_(
                StandardItem.position_id == Position.id,
                StandardItem.competency_id == latest.c.competency_id,
            ),
        )
        .join(Competency, Competency.id == StandardItem.competency_id)
        .where(latest.c.rank == 1),
        agency_id,
        ctype,
    ).group_by(*keys)
    # One round trip: the two aggregates as one UNION ALL, merged per group here.
    groups: dict[tuple, list[int]] = {}
    for r in db.session.execute(sa.union_all(totals, assessed)):
        sums = groups.setdefault((r.agency_id, r.kind, r.competency_id), [0, 0, 0, 0])
        for i, value in enumerate((r.total, r.assessed, r.below, r.gap_sum)):
            sums[i] += int(value or 0)
    return [_Group(*key, *sums) for key, sums in groups.items() if sums[0]]


def _names():
    agencies = dict(db.session.execute(sa.select(Agency.id, Agency.short_name)).all())
    competencies = {
        row.id: (row.name, row.type)
        for row in db.session.execute(
            sa.select(Competency.id, CompetencyVersion.name, Competency.type).join(
                CompetencyVersion, CompetencyVersion.id == Competency.current_version_id
            )
        )
    }
    return agencies, competencies


def clusters(
    *, anonymous: bool, agency_id: int | None = None, ctype: str | None = None, min_below: int = 0
) -> tuple[list[Cluster], int]:
    """The board's rows, most ASN below first, and how many small groups were hidden.

    The rows are remembered for a few minutes (``portal/snapshots.py``): at city scale their
    figures cost a second on either database. Anonymising and filtering are done per request."""
    ctype = ctype if ctype in {t.value for t in CompetencyType} else None
    rows = remembered("board.rows", (agency_id, ctype), lambda: _rows(agency_id, ctype))
    hidden = 0
    if anonymous:
        rows, hidden = _k_anonymous(rows, current_app.config["BOARD_MIN_GROUP"])
        rows.sort(key=_order)
    return [r for r in rows if r.below >= min_below], hidden


def _order(row: Cluster):
    """Most ASN below first; the position kind last, so that equal groups keep one order
    whatever order the database returned them in."""
    return (-row.below, -row.gap_sum, row.agency, row.competency, str(row.kind or ""))


def _rows(agency_id: int | None, ctype: str | None) -> list[Cluster]:
    """Every group with its names, in the board's order (three queries)."""
    agencies, competencies = _names()
    rows = [
        Cluster(
            agency_id=r.agency_id,
            agency=agencies.get(r.agency_id, "?"),
            competency_id=r.competency_id,
            competency=competencies[r.competency_id][0],
            competency_type=competencies[r.competency_id][1],
            kind=r.kind,
            total=r.total,
            assessed=r.assessed,
            below=int(r.below or 0),
            gap_sum=int(r.gap_sum or 0),
        )
        for r in _raw_groups(agency_id, ctype)
    ]
    return sorted(rows, key=_order)


def _k_anonymous(rows: list[Cluster], k: int) -> tuple[list[Cluster], int]:
    """Keep groups of at least ``k`` ASN; merge the smaller ones per OPD × competency."""
    kept, small = [], {}
    for row in rows:
        if row.total >= k:
            kept.append(row)
        else:
            small.setdefault((row.agency_id, row.competency_id), []).append(row)
    hidden = 0
    for group in small.values():
        first = group[0]
        merged = Cluster(
            agency_id=first.agency_id,
            agency=first.agency,
            competency_id=first.competency_id,
            competency=first.competency,
            competency_type=first.competency_type,
            kind=None,
            total=sum(r.total for r in group),
            assessed=sum(r.assessed for r in group),
            below=sum(r.below for r in group),
            gap_sum=sum(r.gap_sum for r in group),
        )
        if merged.total >= k:
            kept.append(merged)
        else:
            hidden += len(group)
    return kept, hidden
