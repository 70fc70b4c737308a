"""The impact of one curriculum over all its batches: L1 averages per aspect and per batch, the
L2 gain per target competency (pre/post tests, ``CompetencyGain``), the L3 ratings of the ASN
and of the supervisor, and the competencies whose application stays low, each with a suggested
follow-up session. A fixed number of queries whatever the number of batches or answers."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.competency.models import Competency
from portal.curricula.models import AuthorSide, Curriculum, CurriculumTarget
from portal.db import db
from portal.i18n import _
from portal.listing import page_size
from portal.trainings.batches.services import can_schedule
from portal.trainings.evaluation.models import (
    APPLIES_FROM,
    ASPECT_TITLES,
    L1Answer,
    L1Response,
    L3Form,
    L3Rating,
    Respondent,
    SurveyQuestion,
)
from portal.trainings.evaluation.queries import MIN_RESPONSES
from portal.trainings.models import (
    BatchState,
    Registration,
    TrainingBatch,
    is_admin_for,
    is_city_admin,
    signed_in,
)
from portal.trainings.quizzes.models import CompetencyGain
from portal.util import links

#: A competency counts as "applied too little" when the supervisors' average L3 rating (1–4) is
#: below this.
LOW_APPLICATION_BELOW = 2.5
TITLE_MAX = 200


def curriculum_for_impact(curriculum_id: int) -> Curriculum | None:
    """The curriculum with its authors and target competencies (None if not found)."""
    return (
        db.session.scalars(
            sa.select(Curriculum)
            .where(Curriculum.id == curriculum_id)
            .options(
                joinedload(Curriculum.authors),  # one curriculum: its authors joined in
                selectinload(Curriculum.targets)
                .joinedload(CurriculumTarget.competency)
                .joinedload(Competency.current_version),
            )
        )
        .unique()
        .first()
    )


def can_view_impact(curriculum: Curriculum, user) -> bool:
    """City admins, admins of the partner OPD, and the curriculum's university co-authors."""
    if not signed_in(user):
        return False
    if is_city_admin(user) or (curriculum.agency_id and is_admin_for(user, curriculum.agency_id)):
        return True
    return any(a.user_id == user.id and a.side == AuthorSide.UNIVERSITY for a in curriculum.authors)


def _avg(value) -> float | None:
    return round(float(value), 2) if value is not None else None


@dataclass
class CompetencyImpact:
    competency_id: int
    name: str
    gain: float | None = None
    pre: float | None = None
    post: float | None = None
    tested: int = 0
    asn_avg: float | None = None
    asn_count: int = 0
    supervisor_avg: float | None = None
    supervisor_count: int = 0
    supervisor_applies: int = 0
    suggestion: str | None = None
    suggestion_url: str | None = None

    @property
    def applies_share(self) -> float | None:
        if not self.supervisor_count:
            return None
        return round(100 * self.supervisor_applies / self.supervisor_count)

    @property
    def is_low(self) -> bool:
        return self.suggestion is not None


@dataclass
class L1Summary:
    responses: int
    aspects: list[tuple[str, float | None]]  # (aspect title, average) in the aspects' order
    overall: float | None


def l1_by_aspect(curriculum_id: int) -> L1Summary:
    """Responses over all batches and the averages per aspect and overall (None below
    MIN_RESPONSES)."""
    in_curriculum = (
        sa.select(L1Response.id)
        .join(Registration, Registration.id == L1Response.registration_id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .where(TrainingBatch.curriculum_id == curriculum_id)
    )
    responses = db.session.scalar(sa.select(sa.func.count()).select_from(in_curriculum.subquery()))
    averages, overall = {}, None
    # read whatever the count (the page sends as many queries with few answers as with many)
    rows = db.session.execute(
        sa.select(SurveyQuestion.aspect, sa.func.avg(L1Answer.rating), sa.func.count(L1Answer.id))
        .join(L1Answer, L1Answer.question_id == SurveyQuestion.id)
        .where(L1Answer.response_id.in_(in_curriculum))
        .group_by(SurveyQuestion.aspect)
    ).all()
    if responses >= MIN_RESPONSES:
        averages = {aspect: avg for aspect, avg, _n in rows}
        weight = sum(n for _a, _avg, n in rows)
        overall = _avg(sum(float(avg) * n for _a, avg, n in rows) / weight) if weight else None
    aspects = [(title, _avg(averages.get(a))) for a, title in ASPECT_TITLES.items()]
    return L1Summary(responses, aspects, overall)


def batch_page(curriculum_id: int, page: int):
    """The curriculum's batches (newest first) with their L1 average and response count."""
    pagination = db.paginate(
        sa.select(TrainingBatch)
        .where(
            TrainingBatch.curriculum_id == curriculum_id,
            TrainingBatch.state != BatchState.CANCELLED,
        )
        .order_by(TrainingBatch.created_at.desc(), TrainingBatch.id.desc()),
        page=page,
        per_page=page_size(),
        error_out=False,
    )
    ids = [b.id for b in pagination.items]
    # read even for an empty page (as many queries without batches as with them)
    stats = {
        batch_id: (n, avg)
        for batch_id, n, avg in db.session.execute(
            sa.select(
                Registration.batch_id,
                sa.func.count(sa.distinct(L1Response.id)),
                sa.func.avg(L1Answer.rating),
            )
            .join(L1Response, L1Response.registration_id == Registration.id)
            .join(L1Answer, L1Answer.response_id == L1Response.id)
            .where(Registration.batch_id.in_(ids))
            .group_by(Registration.batch_id)
        )
    }
    rows = []
    for batch in pagination.items:
        n, avg = stats.get(batch.id, (0, None))
        rows.append((batch, n, _avg(avg) if n >= MIN_RESPONSES else None))
    return pagination, rows


def competency_impact(curriculum: Curriculum, user) -> list[CompetencyImpact]:
    """One row per target competency: L2 gain, L3 averages, and a follow-up suggestion where the
    supervisors' average is below LOW_APPLICATION_BELOW (from MIN_RESPONSES forms on)."""
    rows = {}
    for target in curriculum.targets:
        version = target.competency.current_version
        rows[target.competency_id] = CompetencyImpact(
            target.competency_id, version.name if version else target.competency.code
        )
    in_curriculum = TrainingBatch.curriculum_id == curriculum.id
    for cid, pre, post, gain, n in db.session.execute(
        sa.select(
            CompetencyGain.competency_id,
            sa.func.avg(CompetencyGain.pre_score),
            sa.func.avg(CompetencyGain.post_score),
            sa.func.avg(CompetencyGain.gain),
            sa.func.count(CompetencyGain.gain),
        )
        .join(Registration, Registration.id == CompetencyGain.registration_id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .where(in_curriculum)
        .group_by(CompetencyGain.competency_id)
    ):
        if cid in rows:
            row = rows[cid]
            row.pre, row.post, row.gain, row.tested = _avg(pre), _avg(post), _avg(gain), n
    applies = sa.func.sum(sa.case((L3Rating.rating >= APPLIES_FROM, 1), else_=0))
    for cid, who, avg, n, yes in db.session.execute(
        sa.select(
            L3Rating.competency_id,
            L3Form.respondent,
            sa.func.avg(L3Rating.rating),
            sa.func.count(L3Rating.id),
            applies,
        )
        .join(L3Form, L3Form.id == L3Rating.form_id)
        .join(Registration, Registration.id == L3Form.registration_id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .where(in_curriculum)
        .group_by(L3Rating.competency_id, L3Form.respondent)
    ):
        row = rows.get(cid)
        if row is None or n < MIN_RESPONSES:
            continue
        if who == Respondent.SUPERVISOR:
            row.supervisor_avg, row.supervisor_count = _avg(avg), n
            row.supervisor_applies = int(yes or 0)
        else:
            row.asn_avg, row.asn_count = _avg(avg), n
    may_schedule = can_schedule(curriculum, user)
    for row in rows.values():
        if row.supervisor_avg is not None and row.supervisor_avg < LOW_APPLICATION_BELOW:
            row.suggestion = _("Follow-up: applying %(competency)s at work", competency=row.name)[
                :TITLE_MAX
            ]
            if may_schedule:
                row.suggestion_url = links.link(
                    "trainings.new_batch", curriculum_id=curriculum.id, title=row.suggestion
                )
    return list(rows.values())


def overall(rows: list[CompetencyImpact]) -> dict[str, float | None]:
    """Averages over the competencies shown (each competency weighs the same)."""

    def mean(values):
        values = [v for v in values if v is not None]
        return round(sum(values) / len(values), 2) if values else None

    return {
        "gain": mean(r.gain for r in rows),
        "asn": mean(r.asn_avg for r in rows),
        "supervisor": mean(r.supervisor_avg for r in rows),
    }
