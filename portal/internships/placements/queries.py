"""Reads for the placement pages: scoped to what the user may see, with explicit eager loading, so
each page runs a fixed number of queries however long the logbook or the list grows.

The placement page costs four queries here: the placement (with its people, position, OPD and
the university's hours per SKS), the logbook's day/hours/state rows (weekly summary, credit
readiness, documents, and the count for the pagination), one page of entries, and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, lazyload, selectinload

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.internships.credit.models import CreditKind, CreditScheme
from portal.internships.models import InternshipPosition, Placement, PlacementStatus, signed_in
from portal.internships.placements.logbook_numbers import Readiness, Week, readiness, weekly_summary
from portal.internships.placements.models import EntryState, FinalReport, LogbookEntry, LogbookEvent
from portal.internships.settings import UniversitySettings, effective_hours_per_sks
from portal.listing import ListPage, any_contains, contains
from portal.uploads import StoredFile


class SlicePage(ListPage):
    """A page whose items were fetched with LIMIT/OFFSET and whose total is already known,
    with the interface of ``ListPage`` (the pagination macros use it)."""

    def __init__(self, fetch, total: int, page: int, per_page: int):
        self.total, self.per_page = total, per_page
        self.pages = max(1, -(-total // per_page))
        self.page = min(max(page, 1), self.pages)
        self.items = fetch((self.page - 1) * per_page, per_page) if total else []


# --- who sees which placements -----------------------------------------------------------------


def visible_to(user):
    """The rule of ``Placement.can_view`` as a WHERE clause: the student, the mentor and the DPL
    their own; university staff their university's students; an OPD admin its OPD's; a
    city-wide admin all of them."""
    if not signed_in(user):
        return sa.false()
    rules = [
        Placement.student_id == user.id,
        Placement.mentor_id == user.id,
        Placement.supervisor_id == user.id,
    ]
    if Role.UNIVERSITY in user.roles and user.university_id is not None:
        rules.append(Placement.university_id == user.university_id)
    if Role.ADMIN in user.roles:
        if user.admin_agency_id is None:
            return sa.true()
        rules.append(Placement.agency_id == user.admin_agency_id)
    return sa.or_(*rules)


def _people_options():
    """The placement's people, position and OPD (what every placement page shows)."""
    return (
        joinedload(Placement.student).options(
            lazyload(User.role_rows), joinedload(User.university)
        ),
        joinedload(Placement.mentor).options(lazyload(User.role_rows)),
        joinedload(Placement.supervisor).options(lazyload(User.role_rows)),
        joinedload(Placement.position).joinedload(InternshipPosition.agency),
    )


def _with_settings(stmt):
    return stmt.outerjoin(
        UniversitySettings, UniversitySettings.university_id == Placement.university_id
    )


# --- the list ----------------------------------------------------------------------------------


@dataclass
class PlacementRow:
    placement: Placement
    approved_minutes: int
    hours_per_sks: int
    #: the university's credit scheme, when it has one: (kind, hours per SKS, SKS)
    scheme: tuple | None = None

    @property
    def approved_hours(self) -> float:
        return self.approved_minutes / 60

    @property
    def needed_hours(self) -> int | None:
        """The hours the credit needs: none under a semester scheme (weeks count, not hours),
        the scheme's SKS × its hours under an hours scheme, else the planned SKS × the
        university's hours per SKS."""
        if self.scheme is not None:
            kind, per_sks, sks = self.scheme
            return None if kind == CreditKind.SEMESTER else sks * per_sks
        return self.placement.hours_needed(self.hours_per_sks)


def _filters(user, *, q: str, state: str, mine: bool = False) -> list:
    where = [visible_to(user)]
    if mine:  # the ones the user takes part in: as the student, the mentor or the DPL
        where.append(
            sa.or_(
                Placement.student_id == user.id,
                Placement.mentor_id == user.id,
                Placement.supervisor_id == user.id,
            )
        )
    if state in {s.value for s in PlacementStatus}:
        where.append(Placement.status == state)
    if q:
        students = sa.select(User.id).where(any_contains(q, User.full_name, User.nim))
        positions = sa.select(InternshipPosition.id).where(contains(InternshipPosition.title, q))
        where.append(
            sa.or_(Placement.student_id.in_(students), Placement.position_id.in_(positions))
        )
    return where


def _approved_minutes():
    return (
        sa.select(sa.func.coalesce(sa.func.sum(LogbookEntry.minutes), 0))
        .where(
            LogbookEntry.placement_id == Placement.id,
            LogbookEntry.state == EntryState.APPROVED,
        )
        .correlate(Placement)
        .scalar_subquery()
    )


def _rows_stmt(where):
    return (
        _with_settings(
            sa.select(
                Placement,
                _approved_minutes(),
                UniversitySettings.hours_per_sks,
                CreditScheme.kind,
                CreditScheme.hours_per_sks,
                CreditScheme.sks,
            )
        )
        .outerjoin(CreditScheme, CreditScheme.university_id == Placement.university_id)
        .where(*where)
        .options(*_people_options())
        .order_by(Placement.starts_on.desc(), Placement.id.desc())
    )


def _as_rows(result) -> list[PlacementRow]:
    return [
        PlacementRow(
            placement,
            int(minutes or 0),
            effective_hours_per_sks(override),
            (kind, per_sks, sks) if kind is not None else None,
        )
        for placement, minutes, override, kind, per_sks, sks in result
    ]


def placements_for(
    user, *, q: str = "", state: str = "", mine: bool = False, page: int = 1, per_page: int = 20
):
    """A page of the placements ``user`` may see (newest start first), two queries."""
    where = _filters(user, q=q, state=state, mine=mine)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Placement).where(*where))

    def fetch(offset, limit):
        return _as_rows(db.session.execute(_rows_stmt(where).offset(offset).limit(limit)))

    return SlicePage(fetch, total or 0, page, per_page)


def placements_export(user, *, q: str = "", state: str = "", mine: bool = False) -> list:
    """Every placement of the list (same scope and filters), for the CSV/XLSX export."""
    return _as_rows(db.session.execute(_rows_stmt(_filters(user, q=q, state=state, mine=mine))))


# --- one placement -----------------------------------------------------------------------------


def placement_with_rules(placement_id: int) -> tuple[Placement, int] | None:
    """The placement with its people, position and OPD, and the hours per SKS that count for
    its student's university (one query), or None."""
    row = db.session.execute(
        _with_settings(sa.select(Placement, UniversitySettings.hours_per_sks))
        .where(Placement.id == placement_id)
        .options(*_people_options())
    ).first()
    if row is None:
        return None
    return row[0], effective_hours_per_sks(row[1])


def placement(placement_id: int) -> Placement | None:
    found = placement_with_rules(placement_id)
    return found[0] if found else None


def _entries_seen_by(placement: Placement, user) -> list:
    """Drafts are the student's own until submitted."""
    where = [LogbookEntry.placement_id == placement.id]
    if user.id != placement.student_id:
        where.append(LogbookEntry.state != EntryState.DRAFT)
    return where


@dataclass
class PlacementPage:
    placement: Placement
    hours_per_sks: int
    entries: SlicePage
    weeks: list[Week]
    readiness: Readiness
    attachments: list  # rows: id, day, original_name (logbook entries with a file)
    reports: list[FinalReport] = field(default_factory=list)  # newest version first

    @property
    def latest_report(self) -> FinalReport | None:
        return self.reports[0] if self.reports else None


def placement_page(
    placement: Placement, hours_per_sks: int, user, *, page: int, per_page: int
) -> PlacementPage:
    """Everything the shared placement page shows besides the placement itself (three queries)."""
    where = _entries_seen_by(placement, user)
    rows = db.session.execute(
        sa.select(
            LogbookEntry.id,
            LogbookEntry.day,
            LogbookEntry.minutes,
            LogbookEntry.state,
            StoredFile.original_name,
        )
        .outerjoin(StoredFile, StoredFile.id == LogbookEntry.attachment_id)
        .where(*where)
        .order_by(LogbookEntry.day.desc())
    ).all()

    def fetch(offset, limit):
        return list(
            db.session.scalars(
                sa.select(LogbookEntry)
                .where(*where)
                .options(joinedload(LogbookEntry.attachment))
                .order_by(LogbookEntry.day.desc(), LogbookEntry.id.desc())
                .offset(offset)
                .limit(limit)
            )
        )

    return PlacementPage(
        placement=placement,
        hours_per_sks=hours_per_sks,
        entries=SlicePage(fetch, len(rows), page, per_page),
        weeks=weekly_summary(rows),
        readiness=readiness(rows, planned_sks=placement.planned_sks, hours_per_sks=hours_per_sks),
        attachments=[r for r in rows if r.original_name is not None],
        reports=reports(placement.id),
    )


def reports(placement_id: int) -> list[FinalReport]:
    """Every version of the final report, newest first, with its file and deciders."""
    return list(
        db.session.scalars(
            sa.select(FinalReport)
            .where(FinalReport.placement_id == placement_id)
            .options(
                joinedload(FinalReport.file),
                joinedload(FinalReport.mentor_decided_by).options(lazyload(User.role_rows)),
                joinedload(FinalReport.dpl_decided_by).options(lazyload(User.role_rows)),
            )
            .order_by(FinalReport.version.desc())
        )
    )


def entry(entry_id: int) -> LogbookEntry | None:
    return db.session.scalar(
        sa.select(LogbookEntry)
        .where(LogbookEntry.id == entry_id)
        .options(joinedload(LogbookEntry.attachment))
    )


def entry_history(entry_id: int) -> list:
    return list(
        db.session.scalars(
            sa.select(LogbookEvent)
            .where(LogbookEvent.entry_id == entry_id)
            .options(joinedload(LogbookEvent.actor).options(lazyload(User.role_rows)))
            .order_by(LogbookEvent.id)
        )
    )


def report(report_id: int) -> FinalReport | None:
    return db.session.scalar(
        sa.select(FinalReport)
        .where(FinalReport.id == report_id)
        .options(joinedload(FinalReport.file))
    )


def supervisor_candidates(university_id: int) -> list[User]:
    """Active university users of the student's university: who may be named the DPL."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.university_id == university_id,
                User.is_active_flag.is_(True),
                User.status == AccountStatus.ACTIVE,
                User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == Role.UNIVERSITY)),
            )
            .options(selectinload(User.role_rows))
            .order_by(User.full_name, User.id)
        )
    )
