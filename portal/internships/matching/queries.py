"""Reads of a matching round: what goes into the match (``round_inputs``), the pages' lists (a
position's applicants to score, the admin's round, a student's preferences and why the match
placed them where it did)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.db import db
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.common import person, position_options
from portal.internships.matching.models import MatchingRun
from portal.internships.models import (
    IntakeMode,
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    PositionMentor,
    PositionState,
)
from portal.listing import QueryPage

#: Applications that take part in a round: endorsed by the university and not yet decided.
IN_ROUND = (ApplicationState.ENDORSED, ApplicationState.SHORTLISTED, ApplicationState.WAITLISTED)


@dataclass
class RoundInputs:
    """Everything the match reads, as plain ids and numbers (``algorithm.Instance`` and the
    mentors' room), with the application behind each (student, position) pair."""

    preferences: dict[int, list[int]] = field(default_factory=dict)
    scores: dict[int, dict[int, float]] = field(default_factory=dict)
    seats: dict[int, int] = field(default_factory=dict)
    mentors: dict[int, list[int]] = field(default_factory=dict)
    room: dict[int, int] = field(default_factory=dict)
    application: dict[tuple[int, int], int] = field(default_factory=dict)
    unscored: int = 0

    @property
    def demand(self) -> dict[int, int]:
        return {p: len(s) for p, s in self.scores.items()}

    def digest(self) -> str:
        """A hash of what the match reads: publishing a preview whose inputs changed is refused."""
        data = [
            sorted(self.preferences.items()),
            sorted((p, sorted(s.items())) for p, s in self.scores.items()),
            sorted(self.seats.items()),
            sorted((p, sorted(m)) for p, m in self.mentors.items()),
            sorted(self.room.items()),
        ]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()


def round_inputs(period: InternshipPeriod) -> RoundInputs:
    """The round of ``period`` as the match reads it, in four queries. An applicant the OPD did
    not score counts as 0 (ties go by the lottery); one marked not acceptable is left out of the
    position's scores."""
    inputs = RoundInputs()
    positions = db.session.execute(
        sa.select(InternshipPosition.id, InternshipPosition.quota, InternshipPosition.seats_taken)
        .where(
            InternshipPosition.period_id == period.id,
            InternshipPosition.state.in_((PositionState.PUBLISHED, PositionState.CLOSED)),
        )
        .order_by(InternshipPosition.id)
    ).all()
    for position_id, quota, taken in positions:
        inputs.seats[position_id] = max(0, quota - taken)
        inputs.scores[position_id] = {}
        inputs.mentors[position_id] = []
    rows = db.session.execute(
        sa.select(
            Application.id,
            Application.student_id,
            Application.position_id,
            Application.opd_score,
            Application.opd_unacceptable,
        )
        .where(
            Application.period_id == period.id,
            Application.state.in_(IN_ROUND),
            Application.rank.is_not(None),
            Application.position_id.in_(list(inputs.seats)),
        )
        .order_by(Application.student_id, Application.rank)
    ).all()
    for application_id, student_id, position_id, score, unacceptable in rows:
        inputs.preferences.setdefault(student_id, []).append(position_id)
        inputs.application[student_id, position_id] = application_id
        if not unacceptable:
            inputs.scores[position_id][student_id] = float(score or 0)
            inputs.unscored += score is None
    for position_id, mentor_id in db.session.execute(
        sa.select(PositionMentor.position_id, PositionMentor.mentor_id)
        .join(InternshipPosition, InternshipPosition.id == PositionMentor.position_id)
        .where(InternshipPosition.period_id == period.id)
        .order_by(PositionMentor.id)
    ):
        if position_id in inputs.mentors:
            inputs.mentors[position_id].append(mentor_id)
    wanted = {m for ms in inputs.mentors.values() for m in ms}
    if wanted:
        for mentor_id, limit, active in db.session.execute(
            sa.select(
                MentorCapacity.user_id, MentorCapacity.mentee_limit, MentorCapacity.active_mentees
            ).where(MentorCapacity.user_id.in_(wanted))
        ):
            inputs.room[mentor_id] = max(0, limit - active)
    return inputs


def matching_periods() -> list[InternshipPeriod]:
    """Periods in matching mode, latest first (the admin's list of rounds)."""
    return list(
        db.session.scalars(
            sa.select(InternshipPeriod)
            .where(InternshipPeriod.intake_mode == IntakeMode.MATCHING)
            .order_by(InternshipPeriod.starts_on.desc(), InternshipPeriod.id.desc())
        )
    )


def latest_run(period_id: int) -> MatchingRun | None:
    """The published run of the period, else its latest preview."""
    return db.session.scalar(
        sa.select(MatchingRun)
        .where(MatchingRun.period_id == period_id)
        .order_by(MatchingRun.published_at.is_(None), MatchingRun.id.desc())
        .limit(1)
    )


def run(run_id: int) -> MatchingRun | None:
    return db.session.get(MatchingRun, run_id)


def period(period_id: int) -> InternshipPeriod | None:
    return db.session.get(InternshipPeriod, period_id)


def applicants(position: InternshipPosition) -> list[Application]:
    """The applicants of a position the OPD scores: endorsed and not decided, by score (best
    first), then by when they were endorsed."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.position_id == position.id, Application.state.in_(IN_ROUND))
            .options(person(Application.student))
            .order_by(
                Application.opd_unacceptable,
                Application.opd_score.is_(None),
                Application.opd_score.desc(),
                Application.endorsed_at,
                Application.id,
            )
        )
    )


def preview_rows(run: MatchingRun, *, page: int, per_page: int) -> QueryPage:
    """One page of a run's placements, by student name: items are (application, choice)."""
    choices = {
        int(app_id): choice
        for app_id, (outcome, choice, _mentor) in run.result.items()
        if outcome == "matched"
    }
    if not choices:
        return QueryPage([], 0, page, per_page)
    stmt = (
        sa.select(Application)
        .join(User, User.id == Application.student_id)
        .where(Application.id.in_(list(choices)))
        .options(
            joinedload(Application.student),
            joinedload(Application.position).options(*position_options()),
        )
        .order_by(User.full_name, Application.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    items = [(a, choices[a.id]) for a in db.session.scalars(stmt)]
    return QueryPage(items, len(choices), page, per_page)


def unfilled(run: MatchingRun) -> list[tuple[InternshipPosition, int, int]]:
    """Positions with seats the run left empty: (position, seats in the round, placed)."""
    seats = run.figures.get("seats_by_position", {})
    placed = run.figures.get("placed_by_position", {})
    empty = {int(p): (n, placed.get(p, 0)) for p, n in seats.items() if placed.get(p, 0) < n}
    if not empty:
        return []
    positions = db.session.scalars(
        sa.select(InternshipPosition)
        .where(InternshipPosition.id.in_(list(empty)))
        .options(*position_options())
        .order_by(InternshipPosition.title, InternshipPosition.id)
    )
    return [(p, *empty[p.id]) for p in positions]


#: The most unplaced students the round page names (the rest are counted).
UNPLACED_SHOWN = 100


def unplaced_students(run: MatchingRun) -> list[User]:
    """The first students of the run who got no place, by name (the admin sees who will be
    told; the figures count them all)."""
    ids = run.figures.get("unplaced_ids", [])
    if not ids:
        return []
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(ids))
            .order_by(User.full_name, User.id)
            .limit(UNPLACED_SHOWN)
        )
    )


def my_round(user, period: InternshipPeriod) -> list[Application]:
    """The student's applications in a round: open ones by preference, then the ones the match
    decided, by the choice they were."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.student_id == user.id, Application.period_id == period.id)
            .options(joinedload(Application.position).options(*position_options()))
            .order_by(
                Application.rank.is_(None),
                Application.rank,
                Application.match_choice.is_(None),
                Application.match_choice,
                Application.id,
            )
        )
    )


def student_rounds(user) -> list[InternshipPeriod]:
    """The matching periods the student has applications in (for their list's banner)."""
    return list(
        db.session.scalars(
            sa.select(InternshipPeriod)
            .where(
                InternshipPeriod.intake_mode == IntakeMode.MATCHING,
                InternshipPeriod.id.in_(
                    sa.select(Application.period_id).where(Application.student_id == user.id)
                ),
            )
            .order_by(InternshipPeriod.starts_on.desc())
        )
    )


@dataclass
class RoundPosition:
    position: InternshipPosition
    applicants: int
    scored: int
    unacceptable: int


def round_positions(period: InternshipPeriod, user) -> list[RoundPosition]:
    """The positions of the round an OPD admin scores (their OPD's), with how many applicants
    they have and how many they scored; empty for a city-wide admin (the figures say it)."""
    if user.admin_agency_id is None:
        return []
    counts = {
        position_id: (total, scored, unacceptable)
        for position_id, total, scored, unacceptable in db.session.execute(
            sa.select(
                Application.position_id,
                sa.func.count(Application.id),
                sa.func.count(Application.opd_score),
                sa.func.count(sa.case((Application.opd_unacceptable, 1))),
            )
            .where(
                Application.period_id == period.id,
                Application.agency_id == user.admin_agency_id,
                Application.state.in_(IN_ROUND),
            )
            .group_by(Application.position_id)
        )
    }
    positions = db.session.scalars(
        sa.select(InternshipPosition)
        .where(
            InternshipPosition.period_id == period.id,
            InternshipPosition.agency_id == user.admin_agency_id,
            InternshipPosition.state != PositionState.DRAFT,
        )
        .order_by(InternshipPosition.title, InternshipPosition.id)
    )
    return [RoundPosition(p, *counts.get(p.id, (0, 0, 0))) for p in positions]
