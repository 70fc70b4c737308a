"""Reads of the admin dashboard panel, city-wide or for one OPD.

Each function runs one or a few grouped queries, so the panel costs the same number of queries
whatever the number of OPD, ASN, applications or answers. ``scope`` is None for a city admin and
the OPD's id for an OPD admin (see :func:`agency_scope`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.competency.board import queries as board
from portal.competency.models import AsnProfile
from portal.curricula.feedback.models import MaterialFlag, MaterialRating
from portal.curricula.feedback.queries import UNRESOLVED, MaterialStats, thresholds
from portal.curricula.models import Curriculum, Material, Module
from portal.curricula.models import MaterialVersion as Version
from portal.db import db
from portal.institutions.models import Agency
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.models import Placement, PlacementStatus
from portal.snapshots import remembered
from portal.trainings.evaluation.models import L1Answer, L1Response, L3Form, L3Rating, Respondent
from portal.trainings.evaluation.queries import MIN_RESPONSES
from portal.trainings.ledger.models import EntryState, LedgerEntry
from portal.trainings.models import Registration, RegistrationState
from portal.trainings.recognition.models import ProposalState, RecognitionProposal
from portal.util import clock

S = ApplicationState
#: Applications that reached an offer (whatever the student did with it).
OFFER_STATES = (S.OFFERED, S.ACCEPTED, S.OFFER_DECLINED, S.OFFER_EXPIRED)
#: Applications the OPD still has to decide on.
OPD_DECIDES = (S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)
TOP_COMPETENCIES = 8
TOP_OPD = 12
TREND_MONTHS = 12
MATERIALS_SHOWN = 8


def agency_scope(user) -> int | None:
    """None for a city admin; an OPD admin's OPD (-1 when none is set: then nothing matches)."""
    return None if user.is_city_admin else (user.admin_agency_id or -1)


# --- competency gaps ----------------------------------------------------------------------------


@dataclass
class Cell:
    below: int = 0  # assessed ASN below the required level
    assessed: int = 0  # ASN whose position requires the competency, officially assessed

    @property
    def share(self) -> float | None:
        return round(self.below * 100 / self.assessed, 1) if self.assessed else None

    # What the heatmap macro writes: the share (None: nobody assessed) and "below/assessed".
    value = share

    @property
    def text(self) -> str:
        return "–" if self.share is None else f"{self.share:g}%"

    @property
    def detail(self) -> str:
        return f"{self.below}/{self.assessed}" if self.assessed else ""


@dataclass
class Heatmap:
    rows: list[str] = field(default_factory=list)  # OPD short names
    cols: list[str] = field(default_factory=list)  # competency names
    cells: list[list[Cell]] = field(default_factory=list)  # [row][col]
    more_opd: int = 0  # OPD with gaps left out to keep the grid readable


def gap_heatmap(scope: int | None) -> Heatmap:
    """OPD × competency: assessed ASN below their position's required level (the demand board's
    figures, position kinds added up), for the TOP_COMPETENCIES competencies with the most ASN
    below and the TOP_OPD OPD with the most. Three queries (see ``board.clusters``),
    remembered for a few minutes with the grid (``portal/snapshots.py``)."""
    return remembered("admin.heatmap", (scope,), lambda: _gap_heatmap(scope))


def _gap_heatmap(scope: int | None) -> Heatmap:
    clusters, _hidden = board.clusters(anonymous=False, agency_id=scope)
    cells: dict[tuple[int, int], Cell] = {}
    names, opd_names, by_competency, by_opd = {}, {}, {}, {}
    for c in clusters:
        cell = cells.setdefault((c.agency_id, c.competency_id), Cell())
        cell.below += c.below
        cell.assessed += c.assessed
        names[c.competency_id], opd_names[c.agency_id] = c.competency, c.agency
        by_competency[c.competency_id] = by_competency.get(c.competency_id, 0) + c.below
    columns = sorted(
        (cid for cid, n in by_competency.items() if n),
        key=lambda cid: (-by_competency[cid], names[cid]),
    )[:TOP_COMPETENCIES]
    for (agency_id, cid), cell in cells.items():
        if cid in columns:
            by_opd[agency_id] = by_opd.get(agency_id, 0) + cell.below
    opds = sorted((a for a, n in by_opd.items() if n), key=lambda a: (-by_opd[a], opd_names[a]))
    heatmap = Heatmap(more_opd=max(len(opds) - TOP_OPD, 0))
    for agency_id in opds[:TOP_OPD]:
        heatmap.rows.append(opd_names[agency_id])
        heatmap.cells.append([cells.get((agency_id, cid), Cell()) for cid in columns])
    heatmap.cols = [names[cid] for cid in columns] if heatmap.rows else []
    return heatmap


# --- internship funnel --------------------------------------------------------------------------


@dataclass
class Funnel:
    applied: int = 0
    endorsed: int = 0
    offered: int = 0
    placed: int = 0
    completed: int = 0


def funnel(scope: int | None) -> Funnel:
    """Applications (to the OPD's positions for an OPD admin) that were made, endorsed by the
    university, offered a place, became a placement, and completed it. One query over every
    application (20,000 at city scale), remembered (``portal/snapshots.py``)."""
    return remembered("admin.funnel", (scope,), lambda: _funnel(scope))


def _funnel(scope: int | None) -> Funnel:
    was_offered = sa.or_(
        Application.state.in_(OFFER_STATES),
        sa.exists().where(
            ApplicationEvent.application_id == Application.id,
            ApplicationEvent.to_state == S.OFFERED,
        ),
    )

    def count(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    stmt = sa.select(
        sa.func.count(Application.id),
        count(Application.endorsed_at.is_not(None)),
        count(was_offered),
        sa.func.count(Placement.id),
        count(Placement.status == PlacementStatus.COMPLETED),
    ).outerjoin(Placement, Placement.application_id == Application.id)
    if scope is not None:
        stmt = stmt.where(Application.agency_id == scope)
    return Funnel(*(int(v or 0) for v in db.session.execute(stmt).one()))


# --- L1 / L3 trend ------------------------------------------------------------------------------


@dataclass
class Month:
    start: date
    l1: float | None = None  # average L1 rating (1–4), from MIN_RESPONSES responses on
    l1_responses: int = 0
    l3: float | None = None  # average supervisor L3 rating (1–4), from MIN_RESPONSES forms on
    l3_forms: int = 0


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _bucket(column, bounds: list[datetime]):
    """The index of the month ``column`` falls in (bounds are the months' first instants)."""
    whens = [(column >= bound, index) for index, bound in reversed(list(enumerate(bounds)))]
    return sa.case(*whens, else_=None)


def trend(scope: int | None, *, today: date | None = None) -> list[Month]:
    """Per month (Asia/Jakarta) of the last TREND_MONTHS: the average L1 reaction rating and the
    average L3 rating by supervisors, of participants from the OPD for an OPD admin. Averages
    of fewer than MIN_RESPONSES responses stay None (they could identify someone). One query,
    remembered for CITY_FIGURES_MAX_AGE (``portal/snapshots.py``)."""
    today = today or clock.today()
    return remembered("admin.trend", (scope, today), lambda: _trend(scope, today))


def _trend(scope: int | None, today: date) -> list[Month]:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    months = [Month(start) for start in _month_starts(today, TREND_MONTHS)]
    bounds = [datetime(m.start.year, m.start.month, 1, tzinfo=zone).astimezone(UTC) for m in months]
    scoped = [] if scope is None else [Registration.agency_id == scope]
    # One query over both levels (1 and 3, inline constants). The month is computed in a subquery:
    # grouping by a CASE with bound values would not match the selected CASE on PostgreSQL.
    l1 = (
        sa.select(
            sa.literal_column("1").label("level"),
            _bucket(L1Response.submitted_at, bounds).label("month"),
            L1Response.id.label("item"),
            L1Answer.rating.label("rating"),
        )
        .join(L1Answer, L1Answer.response_id == L1Response.id)
        .join(Registration, Registration.id == L1Response.registration_id)
        .where(L1Response.submitted_at >= bounds[0], *scoped)
    )
    l3 = (
        sa.select(
            sa.literal_column("3").label("level"),
            _bucket(L3Form.answered_at, bounds).label("month"),
            L3Form.id.label("item"),
            L3Rating.rating.label("rating"),
        )
        .join(L3Rating, L3Rating.form_id == L3Form.id)
        .join(Registration, Registration.id == L3Form.registration_id)
        .where(L3Form.respondent == Respondent.SUPERVISOR, L3Form.answered_at >= bounds[0], *scoped)
    )
    both = sa.union_all(l1, l3).subquery()
    rows = db.session.execute(
        sa.select(
            both.c.level,
            both.c.month,
            sa.func.avg(both.c.rating),
            sa.func.count(sa.distinct(both.c.item)),
        ).group_by(both.c.level, both.c.month)
    )
    for level, index, avg, n in rows:
        if index is None:
            continue
        average = round(float(avg), 2) if n >= MIN_RESPONSES else None
        if int(level) == 1:
            months[index].l1, months[index].l1_responses = average, int(n)
        else:
            months[index].l3, months[index].l3_forms = average, int(n)
    return months


# --- materials ----------------------------------------------------------------------------------


@dataclass
class MaterialRow:
    material_id: int
    title: str
    curriculum: str
    stats: MaterialStats


def materials_to_improve(scope: int | None) -> list[MaterialRow]:
    """Materials (of curricula co-designed with the OPD, for an OPD admin) with unresolved
    problem reports or averaging below the improvement threshold (``MaterialStats``), the most
    reports and the lowest average first; at most MATERIALS_SHOWN. One query, remembered for
    a minute (``portal/snapshots.py``: 100,000 ratings at city scale)."""
    return remembered("admin.materials", (scope,), lambda: _materials_to_improve(scope))


def _materials_to_improve(scope: int | None) -> list[MaterialRow]:
    limits = thresholds()
    flags = (
        sa.select(MaterialFlag.material_id, sa.func.count(MaterialFlag.id).label("n"))
        .where(MaterialFlag.state.in_(UNRESOLVED))
        .group_by(MaterialFlag.material_id)
        .subquery()
    )
    ratings, total = (
        sa.func.count(MaterialRating.id),
        sa.func.coalesce(sa.func.sum(MaterialRating.overall), 0),
    )
    open_flags = sa.func.coalesce(flags.c.n, 0)
    low = sa.and_(ratings >= limits.min_for_flag, total < limits.improvement_below * ratings)
    stmt = (
        sa.select(Material.id, Material.title, Curriculum.title, ratings, total, open_flags)
        .join(Module, Module.id == Material.module_id)
        .join(Curriculum, Curriculum.id == Module.curriculum_id)
        .outerjoin(
            Version,
            sa.and_(Version.material_id == Material.id, Version.number == Material.version_count),
        )
        .outerjoin(MaterialRating, MaterialRating.version_id == Version.id)
        .outerjoin(flags, flags.c.material_id == Material.id)
        .group_by(Material.id, Material.title, Curriculum.title, flags.c.n)
        .having(sa.or_(open_flags > 0, low))
        .order_by(open_flags.desc(), (total * 1.0 / sa.func.nullif(ratings, 0)).asc(), Material.id)
        .limit(MATERIALS_SHOWN)
    )
    if scope is not None:
        stmt = stmt.where(Curriculum.agency_id == scope)
    return [
        MaterialRow(
            mid,
            title,
            curriculum,
            MaterialStats(count=int(n), sums=(int(s), 0, 0, 0), open_flags=int(f), limits=limits),
        )
        for mid, title, curriculum, n, s, f in db.session.execute(stmt)
    ]


# --- what waits ---------------------------------------------------------------------------------


@dataclass
class Pending:
    agency_name: str | None = None  # the OPD admin's OPD
    jp_records: int = 0
    registrations: int = 0
    applications: int = 0
    students: int | None = None  # city admin only
    proposals: int | None = None  # city admin only


def pending(user, scope: int | None) -> Pending:
    """What waits on the admin: JP records to verify (not their own, as the verification queue),
    training registrations waiting for the supervisor, applications the OPD has to decide on;
    for a city admin also student accounts waiting for their university (as the users list
    filtered on them counts them) and recognition proposals. One query, always fresh."""

    jp = (
        sa.select(sa.func.count(LedgerEntry.id))
        .join(AsnProfile, AsnProfile.id == LedgerEntry.asn_id)
        .where(LedgerEntry.state == EntryState.SUBMITTED, AsnProfile.user_id != user.id)
    )
    regs = sa.select(sa.func.count(Registration.id)).where(
        Registration.state == RegistrationState.REQUESTED
    )
    apps = sa.select(sa.func.count(Application.id)).where(Application.state.in_(OPD_DECIDES))
    if scope is not None:
        name = sa.select(Agency.name).where(Agency.id == scope)
        jp = jp.where(AsnProfile.agency_id == scope)
        regs = regs.where(Registration.agency_id == scope)
        apps = apps.where(Application.agency_id == scope)
        extra = [sa.select(sa.null()), sa.select(sa.null())]
    else:
        name = sa.select(sa.null())
        students = (
            sa.select(sa.func.count(User.id))
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == Role.STUDENT,
                User.status == AccountStatus.PENDING,
                User.is_active_flag.is_(True),
                User.password_hash.is_not(None),
            )
        )
        proposals = sa.select(sa.func.count(RecognitionProposal.id)).where(
            RecognitionProposal.state == ProposalState.PROPOSED
        )
        extra = [students, proposals]
    columns = [q.scalar_subquery() for q in (name, jp, regs, apps, *extra)]
    return Pending(*db.session.execute(sa.select(*columns)).one())
