"""Reads of the evaluation pages: the objects a page needs with what it shows eagerly loaded,
the L1 results (averages only from MIN_RESPONSES answers on, so no answer can be traced to one
participant), the signed-in user's pending L3 forms, and an RTL."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.competency.models import AsnProfile, Competency
from portal.curricula.models import Curriculum, CurriculumTarget
from portal.db import db
from portal.listing import page_size
from portal.trainings.evaluation.models import (
    ActionPlanItem,
    L1Answer,
    L1Response,
    L3Form,
    SurveyQuestion,
)
from portal.trainings.models import Registration, TrainingBatch

#: Averages are shown from this many answers on (fewer could identify a participant).
MIN_RESPONSES = 3


def _batch_options(path=None):
    """Eager loads of a batch (at ``path`` from the queried entity, or the batch itself): its
    curriculum joined in, its sessions, facilitators and the curriculum's authors selected."""

    def on(attr):
        return path.selectinload(attr) if path is not None else selectinload(attr)

    curriculum = (
        path.joinedload(TrainingBatch.curriculum)
        if path is not None
        else joinedload(TrainingBatch.curriculum)
    )
    return [
        on(TrainingBatch.sessions),
        on(TrainingBatch.facilitators),
        curriculum,
        curriculum.selectinload(Curriculum.authors),
    ]


def batch_for_evaluation(batch_id: int) -> TrainingBatch | None:
    """The batch with its sessions, facilitators and curriculum authors (None if not found)."""
    return db.session.scalars(
        sa.select(TrainingBatch).where(TrainingBatch.id == batch_id).options(*_batch_options())
    ).first()


def registration_for_evaluation(registration_id: int) -> Registration | None:
    """The registration with its batch (sessions, facilitators, curriculum and its targets),
    its ASN user and the ASN's supervisor: the one-to-one parts joined into the first query.
    None if not found."""
    batch = joinedload(Registration.batch)
    return db.session.scalars(
        sa.select(Registration)
        .where(Registration.id == registration_id)
        .options(
            batch,
            *_batch_options(batch),
            batch.joinedload(TrainingBatch.curriculum)
            .selectinload(Curriculum.targets)
            .joinedload(CurriculumTarget.competency)
            .joinedload(Competency.current_version),
            joinedload(Registration.user),
            joinedload(Registration.asn).joinedload(AsnProfile.supervisor),
        )
    ).first()


def l3_form_with_ratings(form_id: int) -> L3Form | None:
    """The L3 form with its ratings (None if not found)."""
    return (
        db.session.scalars(
            sa.select(L3Form).where(L3Form.id == form_id).options(joinedload(L3Form.ratings))
        )
        .unique()
        .first()
    )


def plan_items(registration_id: int) -> list[ActionPlanItem]:
    return list(
        db.session.scalars(
            sa.select(ActionPlanItem)
            .where(ActionPlanItem.registration_id == registration_id)
            .order_by(ActionPlanItem.due_on.is_(None), ActionPlanItem.due_on, ActionPlanItem.id)
        )
    )


def all_questions() -> list[SurveyQuestion]:
    return list(
        db.session.scalars(
            sa.select(SurveyQuestion).order_by(SurveyQuestion.position, SurveyQuestion.id)
        )
    )


def has_answered_l1(registration_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(L1Response.id).where(L1Response.registration_id == registration_id)
        )
        is not None
    )


# --- L1 results -------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: SurveyQuestion
    average: float | None
    answers: int


@dataclass
class FacilitatorResult:
    facilitator: User
    rows: list[QuestionResult] = field(default_factory=list)


@dataclass
class L1Results:
    responses: int
    shown: bool  # enough responses to show averages
    rows: list[QuestionResult]  # the questions not about one facilitator
    facilitators: list[FacilitatorResult]
    comments: list[str]
    overall: float | None

    @property
    def missing(self) -> int:
        return max(MIN_RESPONSES - self.responses, 0)


def l1_results(
    batch: TrainingBatch, *, facilitator_ids: set[int] | None, with_comments: bool
) -> L1Results:
    """The batch's averages per question, and per facilitator for facilitator questions
    (``facilitator_ids`` None: every facilitator). Four queries whatever the batch size."""
    responses = db.session.scalar(
        sa.select(sa.func.count(L1Response.id))
        .join(Registration, Registration.id == L1Response.registration_id)
        .where(Registration.batch_id == batch.id)
    )
    shown = responses >= MIN_RESPONSES
    sums = {}
    if shown:
        sums = {
            (qid, fid): (avg, n)
            for qid, fid, avg, n in db.session.execute(
                sa.select(
                    L1Answer.question_id,
                    L1Answer.facilitator_id,
                    sa.func.avg(L1Answer.rating),
                    sa.func.count(L1Answer.id),
                )
                .join(L1Response, L1Response.id == L1Answer.response_id)
                .join(Registration, Registration.id == L1Response.registration_id)
                .where(Registration.batch_id == batch.id)
                .group_by(L1Answer.question_id, L1Answer.facilitator_id)
            )
        }
    asked = {qid for qid, _fid in sums}
    questions = [q for q in all_questions() if q.is_active or q.id in asked]

    def row(question, fid):
        avg, n = sums.get((question.id, fid), (None, 0))
        return QuestionResult(question, round(float(avg), 2) if avg is not None else None, n)

    rows = [row(q, None) for q in questions if not q.per_facilitator]
    facilitators = [
        FacilitatorResult(f, [row(q, f.id) for q in questions if q.per_facilitator])
        for f in batch.facilitators
        if facilitator_ids is None or f.id in facilitator_ids
    ]
    comments = []
    if with_comments and shown:
        comments = list(
            db.session.scalars(
                sa.select(L1Response.comment)
                .join(Registration, Registration.id == L1Response.registration_id)
                .where(Registration.batch_id == batch.id, L1Response.comment.is_not(None))
                .order_by(sa.func.length(L1Response.comment), L1Response.comment)
                .limit(200)
            )
        )
    total = [
        (avg, n)
        for (_q, fid), (avg, n) in sums.items()
        if facilitator_ids is None or fid is None or fid in facilitator_ids
    ]
    weight = sum(n for _avg, n in total)
    overall = round(sum(float(a) * n for a, n in total) / weight, 2) if weight else None
    return L1Results(responses, shown, rows, facilitators, comments, overall)


def l1_export_rows(results: L1Results) -> list[tuple]:
    rows = [
        (str(r.question.aspect.title), r.question.label, "", r.answers, r.average)
        for r in results.rows
    ]
    for fac in results.facilitators:
        rows.extend(
            (
                str(r.question.aspect.title),
                r.question.label,
                fac.facilitator.full_name,
                r.answers,
                r.average,
            )
            for r in fac.rows
        )
    return rows


# --- L3 ---------------------------------------------------------------------------------------


def pending_forms(user, page: int):
    """The user's unanswered L3 forms, soonest due first (paginated, fixed query count)."""
    reg = selectinload(L3Form.registration)
    return db.paginate(
        sa.select(L3Form)
        .where(L3Form.respondent_user_id == user.id, L3Form.answered_at.is_(None))
        .options(reg.selectinload(Registration.batch), reg.selectinload(Registration.user))
        .order_by(L3Form.due_on, L3Form.id),
        page=page,
        per_page=page_size(),
        error_out=False,
    )


def pending_count(user) -> int:
    """How many L3 forms wait for ``user`` (for a dashboard badge; one query)."""
    return db.session.scalar(
        sa.select(sa.func.count(L3Form.id)).where(
            L3Form.respondent_user_id == user.id, L3Form.answered_at.is_(None)
        )
    )


def form_targets(registration: Registration) -> list[tuple[int, str]]:
    """(competency id, name) of the curriculum's target competencies (loaded with the
    registration by ``registration_for_evaluation``)."""
    found = []
    for target in registration.batch.curriculum.targets:
        version = target.competency.current_version
        found.append((target.competency_id, version.name if version else target.competency.code))
    return found


def ratings_by_competency(form: L3Form) -> dict[int, int]:
    return {r.competency_id: r.rating for r in form.ratings}
