"""Reads for the JP ledger: one ASN's year, who is behind, OPD compliance, the verification
queue. Each runs a fixed number of queries however many ASN and records there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import AccountStatus, User
from portal.competency.models import AsnProfile, AsnStatus
from portal.db import TitledEnum, db
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.listing import ListPage, any_contains
from portal.snapshots import remembered
from portal.trainings.ledger.models import EntryState, LedgerEntry, LedgerEvent
from portal.util import clock

PPPK_STATUSES = (AsnStatus.PPPK, AsnStatus.PPPK_PARUH_WAKTU)
# Deactivated and rejected accounts (people who left) do not count in reports or reminders.
_ACTIVE = (User.is_active_flag.is_(True), User.status == AccountStatus.ACTIVE)


class QuarterStatus(TitledEnum):
    MET = "met", _l("On track")  # the cumulative milestone is reached
    BEHIND = "behind", _l("Behind")  # the quarter is over and the milestone was missed
    OPEN = "open", _l("In progress")  # the quarter is running and the milestone is not reached yet
    UPCOMING = "upcoming", _l("Not started")


def target_for(status: AsnStatus) -> int:
    """The yearly JP target: JP_TARGET_PPPK for PPPK (both kinds), JP_TARGET_PNS otherwise."""
    key = "JP_TARGET_PPPK" if AsnStatus(status) in PPPK_STATUSES else "JP_TARGET_PNS"
    return int(current_app.config[key])


def milestones(target: float) -> list[float]:
    """Cumulative JP expected by the end of Q1..Q4: JP_QUARTER_SHARES percent of the target."""
    return [target * share / 100 for share in current_app.config["JP_QUARTER_SHARES"]]


def quarter_end(year: int, quarter: int) -> date:
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def expected_by(target: float, year: int, as_of: date) -> float:
    """JP expected on ``as_of``: the milestone of the last quarter of ``year`` that has ended."""
    if as_of.year > year:
        return float(target)
    ended = [m for q, m in enumerate(milestones(target), 1) if quarter_end(year, q) < as_of]
    return ended[-1] if ended else 0.0


@dataclass
class Quarter:
    number: int
    milestone: float
    jp: float  # verified JP, cumulative to the end of this quarter
    status: QuarterStatus


@dataclass
class Ledger:
    asn: AsnProfile
    year: int
    entries: list[LedgerEntry]
    total_jp: float  # verified only
    pending_jp: float  # waiting for verification
    target: int
    quarters: list[Quarter] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Progress for the bar, 0–100."""
        return min(100, int(self.total_jp * 100 // self.target)) if self.target else 100

    @property
    def is_met(self) -> bool:
        return self.total_jp >= self.target


def ledger_for(asn: AsnProfile, year: int, *, as_of: date | None = None) -> Ledger:
    """The ASN's entries of ``year`` (all states, newest first), verified total, target and the
    on-track status per quarter on ``as_of`` (default today). One query."""
    as_of = as_of or clock.today()
    entries = list(
        db.session.scalars(
            sa.select(LedgerEntry)
            .where(LedgerEntry.asn_id == asn.id, LedgerEntry.year == year)
            .options(selectinload(LedgerEntry.evidence), joinedload(LedgerEntry.verified_by))
            .order_by(LedgerEntry.ended_on.desc(), LedgerEntry.id.desc())
        )
    )
    verified = [e for e in entries if e.state == EntryState.VERIFIED]
    target = target_for(asn.status)
    ledger = Ledger(
        asn=asn,
        year=year,
        entries=entries,
        target=target,
        total_jp=round(sum(e.jp for e in verified), 1),
        pending_jp=round(sum(e.jp for e in entries if e.state == EntryState.SUBMITTED), 1),
    )
    for number, milestone in enumerate(milestones(target), 1):
        end = quarter_end(year, number)
        start = date(year, 3 * number - 2, 1)
        jp = round(sum(e.jp for e in verified if e.ended_on <= end), 1)
        if jp >= milestone:
            status = QuarterStatus.MET
        elif end < as_of:
            status = QuarterStatus.BEHIND
        elif start <= as_of:
            status = QuarterStatus.OPEN
        else:
            status = QuarterStatus.UPCOMING
        ledger.quarters.append(Quarter(number, milestone, jp, status))
    return ledger


def _verified_jp(year: int, until: date | None = None):
    """A subquery: verified JP per ASN in ``year`` (ended on or before ``until``)."""
    conditions = [LedgerEntry.year == year, LedgerEntry.state == EntryState.VERIFIED]
    if until is not None:
        conditions.append(LedgerEntry.ended_on <= until)
    return (
        sa.select(LedgerEntry.asn_id, sa.func.sum(LedgerEntry.jp).label("jp"))
        .where(*conditions)
        .group_by(LedgerEntry.asn_id)
        .subquery()
    )


def _by_status(pns_value, pppk_value):
    return sa.case((AsnProfile.status.in_(PPPK_STATUSES), pppk_value), else_=pns_value)


@dataclass
class BehindRow:
    asn: AsnProfile
    supervisor: AsnProfile | None
    jp: float
    expected: float
    target: int


def behind_target(year: int, as_of: date) -> list[BehindRow]:
    """ASN (with an active account) whose verified JP on ``as_of`` are below the milestone of
    the last ended quarter (the whole target once the year is over), with their supervisors
    loaded, for reminders. One query."""
    pns, pppk = target_for(AsnStatus.PNS), target_for(AsnStatus.PPPK)
    exp_pns, exp_pppk = expected_by(pns, year, as_of), expected_by(pppk, year, as_of)
    totals = _verified_jp(year, as_of)
    jp = sa.func.coalesce(totals.c.jp, 0)
    expected = _by_status(exp_pns, exp_pppk)
    rows = db.session.execute(
        sa.select(AsnProfile, jp)
        .join(User, User.id == AsnProfile.user_id)
        .outerjoin(totals, totals.c.asn_id == AsnProfile.id)
        .where(*_ACTIVE, jp < expected)
        .options(
            joinedload(AsnProfile.user),
            joinedload(AsnProfile.supervisor).joinedload(AsnProfile.user),
        )
        .order_by(AsnProfile.agency_id, AsnProfile.id)
    ).unique()
    result = []
    for asn, total in rows:
        is_pppk = asn.status in PPPK_STATUSES
        result.append(
            BehindRow(
                asn=asn,
                supervisor=asn.supervisor,
                jp=float(total or 0),
                expected=exp_pppk if is_pppk else exp_pns,
                target=pppk if is_pppk else pns,
            )
        )
    return result


@dataclass
class ReportRow:
    asn: AsnProfile
    jp: float
    target: int

    @property
    def is_met(self) -> bool:
        return self.jp >= self.target


def reports_progress(supervisor: AsnProfile, year: int) -> list[ReportRow]:
    """The ASN (active accounts) reporting directly to ``supervisor`` with their verified JP
    in ``year``, by name. One query."""
    totals = _verified_jp(year)
    rows = db.session.execute(
        sa.select(AsnProfile, sa.func.coalesce(totals.c.jp, 0))
        .join(User, User.id == AsnProfile.user_id)
        .outerjoin(totals, totals.c.asn_id == AsnProfile.id)
        .where(*_ACTIVE, AsnProfile.supervisor_id == supervisor.id)
        .options(joinedload(AsnProfile.user))
        .order_by(User.full_name, AsnProfile.id)
    ).all()
    return [ReportRow(asn, float(jp), target_for(asn.status)) for asn, jp in rows]


@dataclass
class ComplianceRow:
    agency_id: int | None
    agency_name: object  # str, or a lazy string for the overall row
    asn_count: int
    met_count: int

    @property
    def share(self) -> float:
        """Percent of the OPD's ASN at or above their target, one decimal."""
        return round(self.met_count * 100 / self.asn_count, 1) if self.asn_count else 0.0


@dataclass
class Compliance:
    year: int
    rows: list[ComplianceRow]
    overall: ComplianceRow


def compliance(year: int, *, agency_id: int | None = None) -> Compliance:
    """Per OPD: ASN with an active account, how many reached their JP target in ``year`` with
    verified records, and the share; plus the city overall (of the one OPD ``agency_id`` when
    given). One grouped query, remembered for CITY_FIGURES_MAX_AGE (``portal/snapshots.py``)."""
    return remembered("jp.compliance", (year, agency_id), lambda: _compliance(year, agency_id))


def _compliance(year: int, agency_id: int | None) -> Compliance:
    totals = _verified_jp(year)
    target = _by_status(target_for(AsnStatus.PNS), target_for(AsnStatus.PPPK))
    met = sa.func.sum(sa.case((sa.func.coalesce(totals.c.jp, 0) >= target, 1), else_=0))
    stmt = (
        sa.select(Agency.id, Agency.name, sa.func.count(AsnProfile.id), met)
        .join(AsnProfile, AsnProfile.agency_id == Agency.id)
        .join(User, User.id == AsnProfile.user_id)
        .outerjoin(totals, totals.c.asn_id == AsnProfile.id)
        .where(*_ACTIVE)
        .group_by(Agency.id, Agency.name)
        .order_by(Agency.name)
    )
    if agency_id is not None:
        stmt = stmt.where(Agency.id == agency_id)
    rows = db.session.execute(stmt).all()
    result = [ComplianceRow(a_id, name, int(n), int(m or 0)) for a_id, name, n, m in rows]
    overall = ComplianceRow(
        None, _l("All OPD"), sum(r.asn_count for r in result), sum(r.met_count for r in result)
    )
    return Compliance(year=year, rows=result, overall=overall)


def pending_for(user) -> list[LedgerEntry]:
    """Records waiting for verification that ``user`` may verify (city admin: all; OPD admin:
    their OPD), oldest first, with the ASN and evidence loaded. One query."""
    if not getattr(user, "is_admin", False):
        return []
    stmt = (
        sa.select(LedgerEntry)
        .join(AsnProfile, AsnProfile.id == LedgerEntry.asn_id)
        .where(LedgerEntry.state == EntryState.SUBMITTED, AsnProfile.user_id != user.id)
        .options(
            joinedload(LedgerEntry.asn).joinedload(AsnProfile.user),
            joinedload(LedgerEntry.evidence),
        )
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    )
    if not user.is_city_admin:
        stmt = stmt.where(AsnProfile.agency_id == user.admin_agency_id)
    return list(db.session.scalars(stmt))


def compliance_for(user, year: int) -> Compliance:
    """The compliance report as ``user`` may see it: a city admin every OPD and the city
    overall; an OPD admin only their own OPD (its row is also the overall)."""
    if user.is_city_admin:
        return compliance(year)
    return compliance(year, agency_id=user.admin_agency_id or -1)


def _queue_query(user, q: str = ""):
    stmt = (
        sa.select(LedgerEntry)
        .join(AsnProfile, AsnProfile.id == LedgerEntry.asn_id)
        .join(User, User.id == AsnProfile.user_id)
        .where(LedgerEntry.state == EntryState.SUBMITTED, AsnProfile.user_id != user.id)
    )
    if not user.is_city_admin:
        stmt = stmt.where(AsnProfile.agency_id == user.admin_agency_id)
    if q:
        stmt = stmt.where(any_contains(q, User.full_name, LedgerEntry.title, AsnProfile.nip))
    return stmt


def verification_queue(user, *, q: str = "", page: int = 1, per_page: int = 20):
    """The records ``user`` may verify (see :func:`pending_for`), oldest first, searchable by
    name, NIP or title, one page at a time. Two queries (the count and the page)."""
    if not getattr(user, "is_admin", False):
        return ListPage([], 1, per_page)
    return db.paginate(verification_stmt(user, q), page=page, per_page=per_page, error_out=False)


def verification_stmt(user, q: str = ""):
    """The queue's statement (the page's and the export's): oldest first, with the ASN."""
    return (
        _queue_query(user, q)
        .options(joinedload(LedgerEntry.asn).joinedload(AsnProfile.user))
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    )


def verification_export(user, q: str = "", limit: int = 5000) -> list[LedgerEntry]:
    if not getattr(user, "is_admin", False):
        return []
    return list(db.session.scalars(verification_stmt(user, q).limit(limit)).unique())


def agency_names() -> dict[int, str]:
    """Every OPD's short name by id, for lists that show the OPD of each ASN. One query."""
    return dict(db.session.execute(sa.select(Agency.id, Agency.short_name)).all())


def entry_detail(entry_id: int) -> LedgerEntry | None:
    """One record with its ASN (user, supervisor), evidence, verifier and history. Two queries."""
    return db.session.scalars(
        sa.select(LedgerEntry)
        .where(LedgerEntry.id == entry_id)
        .options(
            joinedload(LedgerEntry.asn).joinedload(AsnProfile.user),
            joinedload(LedgerEntry.asn).joinedload(AsnProfile.supervisor),
            joinedload(LedgerEntry.evidence),
            joinedload(LedgerEntry.verified_by),
            selectinload(LedgerEntry.events).joinedload(LedgerEvent.actor),
        )
    ).first()


def can_read_entry(entry: LedgerEntry, user) -> bool:
    """The ASN, a verifier (city admin, admin of the ASN's OPD) and the ASN's direct supervisor
    (who sees the record but not its evidence). Needs ``asn.supervisor`` loaded."""
    if entry.can_view(user):
        return True
    supervisor = entry.asn.supervisor
    return supervisor is not None and supervisor.user_id == user.id
