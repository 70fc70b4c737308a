"""The trainings part of the ASN's panel: trainings recommended for the ASN's competency gaps,
the evaluations waiting for the ASN (L1 surveys, post-tests, L3 forms), two queries each, and
for a supervisor the registrations of their staff waiting for their decision (one query)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from portal.auth.models import User
from portal.competency.gaps import GapRow
from portal.competency.models import AsnProfile, Position
from portal.curricula.models import Audience, Curriculum, CurriculumState, CurriculumTarget
from portal.db import db, utcnow
from portal.institutions.models import Agency
from portal.trainings.evaluation.models import L1Response, L3Form
from portal.trainings.models import (
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
)
from portal.trainings.quizzes.models import QuizAttempt, QuizKind, QuizQuestion, QuizSet
from portal.util import clock

RECOMMENDED = 5
PENDING_SHOWN = 5
APPROVALS_SHOWN = 5
RUNNING = (BatchState.OPEN, BatchState.CLOSED)


@dataclass
class Recommendation:
    """A published curriculum, or an open batch of one, and the gaps it covers (largest
    first)."""

    curriculum_id: int
    title: str
    covers: list[GapRow]
    batch_id: int | None = None
    starts_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def gap(self) -> int:
        return max(r.gap for r in self.covers)

    @property
    def covers_text(self) -> str:
        return ", ".join(r.name for r in self.covers)

    def rank_key(self):
        """The largest gap covered first, then the soonest start (curricula without an open
        batch after the batches), then the title."""
        return (
            -self.gap,
            self.starts_at is None,
            self.starts_at or datetime.max.replace(tzinfo=None),
            self.title,
            self.batch_id or 0,
            self.curriculum_id,
        )


def _naive(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=None) if moment is not None and moment.tzinfo else moment


def recommendations(record, user, gaps: list[GapRow]) -> list[Recommendation]:
    """Published curricula (for ASN) and open batches of them whose target competencies are
    among the ASN's gaps, ranked, at most ``RECOMMENDED``. A batch the ASN already registered
    for, or that is closed to their OPD or position, is left out; a curriculum with a suitable
    open batch is shown as that batch."""
    by_competency = {g.competency_id: g for g in gaps}
    if not by_competency:
        return []
    matching = (
        sa.select(Curriculum.id, Curriculum.title, CurriculumTarget.competency_id)
        .join(CurriculumTarget, CurriculumTarget.curriculum_id == Curriculum.id)
        .where(
            Curriculum.state == CurriculumState.PUBLISHED,
            Curriculum.audience != Audience.STUDENTS,
            CurriculumTarget.competency_id.in_(by_competency),
        )
    )
    targets = db.session.execute(matching).all()
    if not targets:
        return []
    titles, covers = {}, {}
    for cid, title, competency_id in targets:
        titles[cid] = title
        covers.setdefault(cid, []).append(by_competency[competency_id])
    for rows in covers.values():
        rows.sort(key=lambda r: (-r.gap, r.name))
    now = utcnow()
    registered = sa.select(Registration.id).where(
        Registration.batch_id == TrainingBatch.id, Registration.user_id == user.id
    )
    positions = ~TrainingBatch.target_positions.any()
    if record.position_id is not None:
        positions = positions | TrainingBatch.target_positions.any(
            Position.id == record.position_id
        )
    first_session = sa.func.min(TrainingSession.starts_at)
    batches = db.session.execute(
        sa.select(
            TrainingBatch.id,
            TrainingBatch.title,
            TrainingBatch.curriculum_id,
            TrainingBatch.registration_closes_at,
            first_session,
        )
        .outerjoin(TrainingSession, TrainingSession.batch_id == TrainingBatch.id)
        # The curricula again as a subquery, not as a list of their ids: at city scale that
        # list held ~140 values, and psycopg parses a query of more than 50 parameters anew
        # on every call (its query cache stops there).
        .where(
            TrainingBatch.curriculum_id.in_(matching.with_only_columns(Curriculum.id)),
            TrainingBatch.state == BatchState.OPEN,
            sa.or_(
                TrainingBatch.registration_closes_at.is_(None),
                TrainingBatch.registration_closes_at >= now,
            ),
            ~TrainingBatch.target_agencies.any()
            | TrainingBatch.target_agencies.any(Agency.id == record.agency_id),
            positions,
            ~sa.exists(registered),
        )
        .group_by(
            TrainingBatch.id,
            TrainingBatch.title,
            TrainingBatch.curriculum_id,
            TrainingBatch.registration_closes_at,
        )
    ).all()
    found, with_batch = [], set()
    for batch_id, title, cid, closes, starts in batches:
        with_batch.add(cid)
        found.append(
            Recommendation(
                cid,
                title,
                covers[cid],
                batch_id=batch_id,
                starts_at=_naive(starts),
                closes_at=closes,
            )
        )
    found += [
        Recommendation(cid, titles[cid], covers[cid]) for cid in titles if cid not in with_batch
    ]
    found.sort(key=Recommendation.rank_key)
    return found[:RECOMMENDED]


@dataclass
class PendingEvaluations:
    surveys: list = field(default_factory=list)  # (registration id, batch title)
    post_tests: list = field(default_factory=list)  # (batch id, batch title)
    l3_forms: list = field(default_factory=list)  # rows: id, due_on, title, about (name)
    l3_total: int = 0

    @property
    def total(self) -> int:
        return len(self.surveys) + len(self.post_tests) + self.l3_total


def pending_evaluations(user) -> PendingEvaluations:
    """L1 surveys not answered (open once the last session started or the training completed),
    post-tests open and not taken, and the L3 forms waiting for the user's answer."""
    last_start = (
        sa.select(sa.func.max(TrainingSession.starts_at))
        .where(TrainingSession.batch_id == Registration.batch_id)
        .correlate(Registration)
        .scalar_subquery()
    )
    answered = sa.exists().where(L1Response.registration_id == Registration.id)
    post_open = sa.exists().where(
        QuizSet.batch_id == Registration.batch_id,
        QuizSet.kind == QuizKind.POST,
        sa.exists().where(QuizQuestion.set_id == QuizSet.id),
        ~sa.exists().where(
            QuizAttempt.set_id == QuizSet.id, QuizAttempt.registration_id == Registration.id
        ),
    )
    rows = db.session.execute(
        sa.select(
            Registration.id,
            Registration.state,
            TrainingBatch.id,
            TrainingBatch.title,
            TrainingBatch.state,
            last_start,
            answered,
            post_open,
        )
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .where(
            Registration.user_id == user.id,
            Registration.state.in_((RegistrationState.ENROLLED, RegistrationState.COMPLETED)),
        )
        .order_by(Registration.id.desc())
    ).all()
    now = utcnow()
    pending = PendingEvaluations()
    for reg_id, reg_state, batch_id, title, batch_state, started, has_l1, post in rows:
        began = started is not None and started <= now
        enrolled = reg_state == RegistrationState.ENROLLED
        if not has_l1 and (reg_state == RegistrationState.COMPLETED or (enrolled and began)):
            pending.surveys.append((reg_id, title))
        if post and enrolled and began and batch_state in RUNNING:
            pending.post_tests.append((batch_id, title))
    forms = db.session.execute(
        sa.select(
            L3Form.id, L3Form.due_on, TrainingBatch.title, L3Form.respondent, sa.func.count().over()
        )
        .join(Registration, Registration.id == L3Form.registration_id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .where(L3Form.respondent_user_id == user.id, L3Form.answered_at.is_(None))
        .order_by(L3Form.due_on, L3Form.id)
        .limit(PENDING_SHOWN)
    ).all()
    pending.l3_forms = [row[:4] for row in forms]
    pending.l3_total = int(forms[0][4]) if forms else 0
    return pending


@dataclass(frozen=True)
class WaitingApproval:
    """A registration of the supervisor's staff waiting for their decision."""

    registration_id: int
    asn_name: str
    training: str
    since: datetime
    days: int


@dataclass
class WaitingApprovals:
    rows: list[WaitingApproval] = field(default_factory=list)  # the oldest first
    total: int = 0


def waiting_approvals(record, user, *, today=None) -> WaitingApprovals:
    """The registrations of the ASN who report to ``record`` (their supervisor) that wait for
    the supervisor's decision, the oldest first, at most ``APPROVALS_SHOWN``, with the days
    each has waited (calendar days in Medan) and how many wait in all. Never the supervisor's
    own registration (nobody approves their own). One query."""
    today = today or clock.today()
    rows = db.session.execute(
        sa.select(
            Registration.id,
            User.full_name,
            TrainingBatch.title,
            Registration.created_at,
            sa.func.count().over(),
        )
        .join(AsnProfile, AsnProfile.id == Registration.asn_id)
        .join(User, User.id == Registration.user_id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .where(
            AsnProfile.supervisor_id == record.id,
            Registration.state == RegistrationState.REQUESTED,
            Registration.user_id != user.id,
        )
        .order_by(Registration.created_at, Registration.id)
        .limit(APPROVALS_SHOWN)
    ).all()
    return WaitingApprovals(
        rows=[
            WaitingApproval(
                reg_id,
                name,
                title,
                since,
                max((today - clock.local_time(since).date()).days, 0),
            )
            for reg_id, name, title, since, _total in rows
        ],
        total=int(rows[0][4]) if rows else 0,
    )
