"""Reads for the test pages, each in a fixed number of queries whatever the batch size."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal.auth.models import User
from portal.competency.models import (
    AsnProfile,
    Assessment,
    AssessmentResult,
    Competency,
)
from portal.curricula.models import Curriculum, CurriculumTarget
from portal.db import db
from portal.listing import any_contains
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from portal.trainings.quizzes.models import (
    CompetencyGain,
    QuizAttempt,
    QuizKind,
    QuizQuestion,
    QuizSet,
)

#: Registrations that held a seat: they may have taken the tests.
SEATED = (RegistrationState.ENROLLED, RegistrationState.COMPLETED, RegistrationState.NOT_COMPLETED)


def _curriculum_options(path):
    return (
        path.selectinload(Curriculum.authors),
        path.selectinload(Curriculum.targets)
        .joinedload(CurriculumTarget.competency)
        .joinedload(Competency.current_version),
    )


def batch_for_quizzes(batch_id: int) -> TrainingBatch | None:
    """The batch with its sessions, facilitators, curriculum authors and target competencies
    (None if not found)."""
    curriculum = joinedload(TrainingBatch.curriculum)
    return (
        db.session.scalars(
            sa.select(TrainingBatch)
            .where(TrainingBatch.id == batch_id)
            .options(
                joinedload(TrainingBatch.sessions),  # one batch: its sessions joined in
                selectinload(TrainingBatch.facilitators),
                curriculum,
                *_curriculum_options(curriculum),
            )
        )
        .unique()
        .first()
    )


def targets(batch: TrainingBatch) -> list[tuple[int, str, int]]:
    """(competency id, name, target level) of the curriculum's targets (loaded with the batch)."""
    return [
        (
            t.competency_id,
            t.competency.current_version.name
            if t.competency.current_version
            else t.competency.code,
            t.target_level,
        )
        for t in batch.curriculum.targets
    ]


def quiz_set(batch_id: int, kind: QuizKind) -> QuizSet | None:
    """The set with its questions and their choices (in order)."""
    return (
        db.session.scalars(
            sa.select(QuizSet)
            .where(QuizSet.batch_id == batch_id, QuizSet.kind == kind)
            .options(joinedload(QuizSet.questions).selectinload(QuizQuestion.choices))
        )
        .unique()
        .first()
    )


def sets(batch_id: int) -> dict[QuizKind, QuizSet | None]:
    """Both sets of the batch (None when not written), without their questions. One query."""
    found = {
        s.kind: s
        for s in db.session.scalars(sa.select(QuizSet).where(QuizSet.batch_id == batch_id))
    }
    return {kind: found.get(kind) for kind in QuizKind}


def sets_with_questions(batch_id: int) -> dict[QuizKind, QuizSet | None]:
    """Both sets of the batch (None when not written) with their questions but not their
    choices: what ``quiz_services.can_open_test`` reads. One query."""
    found = {
        s.kind: s
        for s in db.session.scalars(
            sa.select(QuizSet)
            .where(QuizSet.batch_id == batch_id)
            .options(joinedload(QuizSet.questions))
        ).unique()
    }
    return {kind: found.get(kind) for kind in QuizKind}


def question_for_edit(question_id: int) -> QuizQuestion | None:
    """The question with its choices and its set's questions (None if not found)."""
    return (
        db.session.scalars(
            sa.select(QuizQuestion)
            .where(QuizQuestion.id == question_id)
            .options(
                joinedload(QuizQuestion.choices),
                joinedload(QuizQuestion.quiz_set)
                .selectinload(QuizSet.questions)
                .selectinload(QuizQuestion.choices),
            )
        )
        .unique()
        .first()
    )


def own_registration(batch_id: int, user_id: int) -> Registration | None:
    return db.session.scalars(
        sa.select(Registration).where(
            Registration.batch_id == batch_id, Registration.user_id == user_id
        )
    ).first()


def attempt(set_id: int, registration_id: int) -> QuizAttempt | None:
    return (
        db.session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.set_id == set_id, QuizAttempt.registration_id == registration_id)
            .options(joinedload(QuizAttempt.answers))
        )
        .unique()
        .first()
    )


def gains(registration_id: int) -> dict[int, CompetencyGain]:
    return {
        g.competency_id: g
        for g in db.session.scalars(
            sa.select(CompetencyGain).where(CompetencyGain.registration_id == registration_id)
        )
    }


# --- the results of a batch ---------------------------------------------------------------------


@dataclass
class ResultRow:
    registration_id: int
    agency_id: int
    user_id: int  # the participant (nobody records their own post-test as an assessment)
    full_name: str
    nip: str
    state: RegistrationState
    pre: float | None
    post: float | None
    passed: bool | None
    recorded: bool

    @property
    def gain(self) -> float | None:
        return round(self.post - self.pre, 2) if None not in (self.pre, self.post) else None


def results(batch_id: int, sets: dict[QuizKind, QuizSet | None], q: str = "") -> list[ResultRow]:
    """Per seated ASN (by name): pre score, post score, passed, whether recorded as an
    assessment; ``q`` searches the name or NIP. One query."""
    pre, post = aliased(QuizAttempt), aliased(QuizAttempt)
    pre_id = sets[QuizKind.PRE].id if sets.get(QuizKind.PRE) else -1
    post_id = sets[QuizKind.POST].id if sets.get(QuizKind.POST) else -1
    stmt = (
        sa.select(
            Registration.id,
            Registration.agency_id,
            Registration.user_id,
            User.full_name,
            AsnProfile.nip,
            Registration.state,
            pre.score,
            post.score,
            post.passed,
            post.assessment_id,
        )
        .join(User, User.id == Registration.user_id)
        .join(AsnProfile, AsnProfile.id == Registration.asn_id)
        .outerjoin(pre, sa.and_(pre.registration_id == Registration.id, pre.set_id == pre_id))
        .outerjoin(post, sa.and_(post.registration_id == Registration.id, post.set_id == post_id))
        .where(Registration.batch_id == batch_id, Registration.state.in_(SEATED))
        .order_by(User.full_name, Registration.id)
    )
    if q:
        stmt = stmt.where(any_contains(q, User.full_name, AsnProfile.nip))
    return [ResultRow(*row[:-1], row[-1] is not None) for row in db.session.execute(stmt)]


@dataclass
class CompetencyAverage:
    competency_id: int
    name: str
    pre: float | None
    post: float | None
    gain: float | None
    count: int


def competency_averages(batch: TrainingBatch) -> list[CompetencyAverage]:
    """Per target competency, the average pre, post and gain over the batch's ASN. One query."""
    rows = {
        cid: (pre, post, gain, count)
        for cid, pre, post, gain, count in db.session.execute(
            sa.select(
                CompetencyGain.competency_id,
                sa.func.avg(CompetencyGain.pre_score),
                sa.func.avg(CompetencyGain.post_score),
                sa.func.avg(CompetencyGain.gain),
                sa.func.count(CompetencyGain.id),
            )
            .join(Registration, Registration.id == CompetencyGain.registration_id)
            .where(Registration.batch_id == batch.id, Registration.state.in_(SEATED))
            .group_by(CompetencyGain.competency_id)
        )
    }
    out = []
    for cid, name, _level in targets(batch):
        pre, post, gain, count = rows.get(cid, (None, None, None, 0))
        out.append(CompetencyAverage(cid, name, _round(pre), _round(post), _round(gain), count))
    return out


def _round(value) -> float | None:
    return round(float(value), 2) if value is not None else None


# --- recording an assessment --------------------------------------------------------------------


def registration_for_assessment(registration_id: int) -> Registration | None:
    """The registration with its batch (curriculum targets) and its ASN record and user (None if
    not found)."""
    curriculum = joinedload(Registration.batch).joinedload(TrainingBatch.curriculum)
    return db.session.scalars(
        sa.select(Registration)
        .where(Registration.id == registration_id)
        .options(
            curriculum,
            *_curriculum_options(curriculum),
            joinedload(Registration.asn).joinedload(AsnProfile.user),
        )
    ).first()


def post_attempt(registration: Registration) -> QuizAttempt | None:
    return db.session.scalars(
        sa.select(QuizAttempt)
        .join(QuizSet, QuizSet.id == QuizAttempt.set_id)
        .where(QuizAttempt.registration_id == registration.id, QuizSet.kind == QuizKind.POST)
        .options(joinedload(QuizAttempt.quiz_set))
    ).first()


def current_levels(asn_id: int, competency_ids) -> dict[int, int]:
    """The ASN's latest official level per competency (of those given)."""
    rows = db.session.execute(
        sa.select(AssessmentResult.competency_id, AssessmentResult.level)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .where(
            Assessment.asn_id == asn_id,
            Assessment.is_official.is_(True),
            AssessmentResult.competency_id.in_(list(competency_ids)),
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )
    latest: dict[int, int] = {}
    for cid, level in rows:
        latest.setdefault(cid, level)
    return latest


def suggested_levels(registration: Registration, attempt: QuizAttempt, mark: int):
    """Per target competency: (id, name, target level, post score used, current level,
    suggested level). The post score is the competency's own when the post-test had questions
    on it, else the overall score; at or above ``mark`` the target level is suggested, else the
    current official level (at least 1)."""
    batch = registration.batch
    wanted = targets(batch)
    own = gains(registration.id)
    current = current_levels(registration.asn_id, [cid for cid, _, _ in wanted])
    out = []
    for cid, name, target in wanted:
        row = own.get(cid)
        post = row.post_score if row is not None and row.post_score is not None else attempt.score
        now = current.get(cid)
        suggestion = target if post + 1e-9 >= mark else max(now or 1, 1)
        out.append((cid, name, target, post, now, suggestion))
    return out


def to_record(user, *, q: str = "", page: int = 1, per_page: int = 20):
    """A page of :func:`to_record_stmt`. A fixed number of queries."""
    return db.paginate(to_record_stmt(user, q=q), page=page, per_page=per_page, error_out=False)


def to_record_export(user, *, q: str = "", limit: int = 5000) -> list[QuizAttempt]:
    return list(db.session.scalars(to_record_stmt(user, q=q).limit(limit)).unique())


def to_record_stmt(user, *, q: str = ""):
    """Passed post-tests not yet recorded as assessments, of the admin's OPD (a city admin: all)
    but never the admin's own, newest first; ``q`` searches the name, NIP or training."""
    stmt = (
        sa.select(QuizAttempt)
        .join(QuizSet, QuizSet.id == QuizAttempt.set_id)
        .join(Registration, Registration.id == QuizAttempt.registration_id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .join(AsnProfile, AsnProfile.id == Registration.asn_id)
        .join(User, User.id == Registration.user_id)
        .where(
            QuizSet.kind == QuizKind.POST,
            QuizAttempt.passed.is_(True),
            QuizAttempt.assessment_id.is_(None),
            Registration.user_id != user.id,
        )
        .options(
            joinedload(QuizAttempt.registration).joinedload(Registration.batch),
            joinedload(QuizAttempt.registration)
            .joinedload(Registration.asn)
            .joinedload(AsnProfile.user),
        )
        .order_by(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    )
    if user.admin_agency_id is not None:
        stmt = stmt.where(Registration.agency_id == user.admin_agency_id)
    if q:
        stmt = stmt.where(any_contains(q, User.full_name, AsnProfile.nip, TrainingBatch.title))
    return stmt
