"""The university staff's panel, scoped to their own university: curriculum proposals by state
and those waiting on the university side (with their open review comments), the students by
application and placement state, the pending account verifications, and the DPL workload.
Four queries, whatever the number of proposals, students or placements; none for a staff
account without a university (the panel explains what is missing instead)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.curricula.models import Curriculum, CurriculumState
from portal.curricula.proposals.models import ReviewComment
from portal.db import db
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.models import Placement, PlacementStatus

CS = CurriculumState
#: Proposal states in which the next step is the university side's (submit, resubmit, approve).
WAITING_ON_UNIVERSITY = (CS.DRAFT, CS.CHANGES_REQUESTED, CS.AGENCY_APPROVED)
WAITING_SHOWN = 8
DPL_SHOWN = 15


@dataclass
class WaitingProposal:
    id: int
    title: str
    state: CurriculumState
    open_comments: int


@dataclass
class DplRow:
    user_id: int | None  # None: the placements without a DPL
    name: str | None
    active: int
    total: int


def _text(column):
    # The three parts of the UNION hold different enums: read the keys back as plain text.
    return sa.cast(column, sa.String(30))


def _figures(university_id: int) -> dict:
    """Applications by state, placements by status and pending students in one UNION query."""
    apps = (
        sa.select(
            _text(sa.literal("application")).label("kind"),
            _text(Application.state).label("key"),
            sa.func.count(Application.id).label("n"),
            sa.func.count(sa.distinct(Application.student_id)).label("people"),
        )
        .where(Application.university_id == university_id)
        .group_by(Application.state)
    )
    places = (
        sa.select(
            _text(sa.literal("placement")),
            _text(Placement.status),
            sa.func.count(Placement.id),
            sa.func.count(sa.distinct(Placement.student_id)),
        )
        .where(Placement.university_id == university_id)
        .group_by(Placement.status)
    )
    pending = (
        sa.select(
            _text(sa.literal("pending")),
            _text(sa.literal("")),
            sa.func.count(User.id),
            sa.func.count(User.id),
        )
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.STUDENT,
            User.university_id == university_id,
            User.status == AccountStatus.PENDING,
        )
    )
    found = {"application": {}, "placement": {}, "pending": 0}
    for kind, key, n, people in db.session.execute(sa.union_all(apps, places, pending)):
        if kind == "pending":
            found["pending"] = int(n)
        else:
            found[kind][key] = (int(n), int(people))
    return found


def _proposals(university_id: int) -> tuple[list, list[WaitingProposal]]:
    """(state, count) of the university's proposals, and those waiting on the university."""
    by_state = db.session.execute(
        sa.select(Curriculum.state, sa.func.count(Curriculum.id))
        .where(Curriculum.university_id == university_id)
        .group_by(Curriculum.state)
    ).all()
    open_comments = (
        sa.select(sa.func.count(ReviewComment.id))
        .where(
            ReviewComment.curriculum_id == Curriculum.id,
            ReviewComment.parent_id.is_(None),
            ReviewComment.is_resolved.is_(False),
        )
        .correlate(Curriculum)
        .scalar_subquery()
    )
    waiting = db.session.execute(
        sa.select(Curriculum.id, Curriculum.title, Curriculum.state, open_comments)
        .where(
            Curriculum.university_id == university_id, Curriculum.state.in_(WAITING_ON_UNIVERSITY)
        )
        .order_by(Curriculum.updated_at.desc(), Curriculum.id.desc())
        .limit(WAITING_SHOWN)
    ).all()
    counts = {CurriculumState(state): int(n) for state, n in by_state}
    ordered = [(state, counts[state]) for state in CurriculumState if state in counts]
    return ordered, [
        WaitingProposal(r[0], r[1], CurriculumState(r[2]), int(r[3] or 0)) for r in waiting
    ]


def _dpl_workload(university_id: int) -> list[DplRow]:
    """Placements per DPL of the university (running and all), busiest first; the placements
    without a DPL are one row with ``user_id`` None."""
    active = sa.func.coalesce(
        sa.func.sum(sa.case((Placement.status == PlacementStatus.ACTIVE, 1), else_=0)), 0
    )
    rows = db.session.execute(
        sa.select(Placement.supervisor_id, User.full_name, active, sa.func.count(Placement.id))
        .outerjoin(User, User.id == Placement.supervisor_id)
        .where(Placement.university_id == university_id)
        .group_by(Placement.supervisor_id, User.full_name)
        .order_by(active.desc(), User.full_name)
    ).all()
    return [DplRow(r[0], r[1], int(r[2]), int(r[3])) for r in rows]


def build(user) -> dict:
    """The university's figures (see the module docstring)."""
    if user.university_id is None:
        return {"missing": True}
    figures = _figures(user.university_id)
    by_state, waiting = _proposals(user.university_id)
    dpl = _dpl_workload(user.university_id)
    apps, places = figures["application"], figures["placement"]
    named = [row for row in dpl if row.user_id is not None]
    unassigned = next((row for row in dpl if row.user_id is None), None)
    return {
        "missing": False,
        "pending_students": figures["pending"],
        "applications": [(s, *apps[s.value]) for s in ApplicationState if s.value in apps],
        "to_endorse": apps.get(ApplicationState.SUBMITTED.value, (0, 0))[0],
        "open_applications": sum(apps[s.value][0] for s in OPEN_STATES if s.value in apps),
        "placements": [(s, *places[s.value]) for s in PlacementStatus if s.value in places],
        "proposals_by_state": by_state,
        "proposals_total": sum(n for _s, n in by_state),
        "waiting": waiting,
        "waiting_total": sum(n for s, n in by_state if s in WAITING_ON_UNIVERSITY),
        "dpl": named[:DPL_SHOWN],
        "dpl_total": len(named),
        "without_dpl": unassigned.active if unassigned else 0,
    }
