"""The verified progress signals recognition rules look at (DOMAIN.md §6). Reads only, each in a
fixed number of queries whatever the number of ASN:

- the yearly JP target met with **verified** ledger records (submitted ones do not count);
- the JPM up between the two latest **official** assessments (self-assessments and supervisor
  ratings are estimates and never count);
- the **supervisor's** L3 form saying the ASN applies what was learned;
- for a mentor, interns who **completed** their placement in the year and rated the mentor 4 or 5.

Each signal yields ``Signal(asn_id, agency_id, evidence)``; the evidence is stored with the
proposal, as found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from portal.auth.models import AccountStatus, User
from portal.competency.gaps import GapRow, jpm
from portal.competency.models import AsnProfile, AsnStatus, Assessment, StandardItem
from portal.db import db
from portal.internships.evaluation.models import StudentFeedback
from portal.internships.models import Placement, PlacementStatus
from portal.trainings.evaluation.models import L3Form, L3Rating, Respondent
from portal.trainings.ledger.models import EntryState, LedgerEntry
from portal.trainings.ledger.queries import PPPK_STATUSES, target_for
from portal.trainings.models import Registration, TrainingBatch

_ACTIVE = (User.is_active_flag.is_(True), User.status == AccountStatus.ACTIVE)


@dataclass
class Signal:
    asn_id: int
    agency_id: int
    evidence: dict


def jp_target_met(year: int, percent: float) -> list[Signal]:
    """ASN (active accounts) whose verified JP of ``year`` reach ``percent`` of their target.
    One grouped query."""
    jp = sa.func.sum(LedgerEntry.jp)
    rows = db.session.execute(
        sa.select(AsnProfile.id, AsnProfile.agency_id, AsnProfile.status, jp)
        .join(LedgerEntry, LedgerEntry.asn_id == AsnProfile.id)
        .join(User, User.id == AsnProfile.user_id)
        .where(*_ACTIVE, LedgerEntry.year == year, LedgerEntry.state == EntryState.VERIFIED)
        .group_by(AsnProfile.id, AsnProfile.agency_id, AsnProfile.status)
        .order_by(AsnProfile.id)
    ).all()
    pns, pppk = target_for(AsnStatus.PNS), target_for(AsnStatus.PPPK)
    found = []
    for asn_id, agency_id, status, total in rows:
        target = pppk if status in PPPK_STATUSES else pns
        jp_done = round(float(total or 0), 1)
        if target and jp_done * 100 >= target * percent:
            found.append(Signal(asn_id, agency_id, {"jp": jp_done, "target": target, "year": year}))
    return found


def _jpm_after(assessments: list[Assessment], standard: dict[int, int], cap: bool):
    """The JPM once these official assessments (oldest first) are known: for each competency of
    the standard, the latest level among them."""
    levels: dict[int, int] = {}
    for assessment in assessments:
        for result in assessment.results:
            levels[result.competency_id] = result.level
    rows = [
        GapRow(
            competency_id=cid,
            code="",
            name="",
            type_title="",
            required=required,
            current=levels.get(cid),
        )
        for cid, required in standard.items()
    ]
    return jpm(rows, cap_at_required=cap)


def jpm_gains(year: int, points: float) -> list[Signal]:
    """ASN whose latest official assessment falls in ``year`` and whose JPM rose by at least
    ``points`` over the JPM after their previous official assessment (against the standard of
    their current position). Three queries."""
    twice = (
        sa.select(Assessment.asn_id)
        .where(Assessment.is_official.is_(True))
        .group_by(Assessment.asn_id)
        .having(sa.func.count(Assessment.id) >= 2)
    )
    asn_rows = db.session.execute(
        sa.select(AsnProfile.id, AsnProfile.agency_id, AsnProfile.position_id)
        .join(User, User.id == AsnProfile.user_id)
        .where(*_ACTIVE, AsnProfile.id.in_(twice), AsnProfile.position_id.is_not(None))
    ).all()
    if not asn_rows:
        return []
    positions = {position_id for _a, _g, position_id in asn_rows}
    standards: dict[int, dict[int, int]] = {}
    for item in db.session.scalars(
        sa.select(StandardItem).where(StandardItem.position_id.in_(positions))
    ):
        standards.setdefault(item.position_id, {})[item.competency_id] = item.required_level
    history: dict[int, list[Assessment]] = {}
    for assessment in db.session.scalars(
        sa.select(Assessment)
        .where(
            Assessment.is_official.is_(True), Assessment.asn_id.in_([a for a, _g, _p in asn_rows])
        )
        .options(selectinload(Assessment.results))
        .order_by(Assessment.asn_id, Assessment.assessed_on, Assessment.id)
    ):
        history.setdefault(assessment.asn_id, []).append(assessment)
    cap = current_app.config["JPM_CAP_AT_REQUIRED"]
    found = []
    for asn_id, agency_id, position_id in asn_rows:
        done, standard = history.get(asn_id, []), standards.get(position_id, {})
        if len(done) < 2 or not standard or done[-1].assessed_on.year != year:
            continue
        before, after = _jpm_after(done[:-1], standard, cap), _jpm_after(done, standard, cap)
        if before is None or after is None or after - before < points:
            continue
        found.append(
            Signal(
                asn_id,
                agency_id,
                {
                    "jpm_before": before,
                    "jpm_after": after,
                    "gain": round(after - before, 1),
                    "assessed_before": done[-2].assessed_on.isoformat(),
                    "assessed_after": done[-1].assessed_on.isoformat(),
                },
            )
        )
    return found


def l3_applies(year: int, average: float) -> list[Signal]:
    """ASN whose supervisor answered, in ``year``, an L3 form with an average rating of at least
    ``average`` (1–4; 3 = applies what was learned). The best form counts. One grouped query."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    mean = sa.func.avg(L3Rating.rating)
    rows = db.session.execute(
        sa.select(
            Registration.asn_id,
            Registration.agency_id,
            TrainingBatch.title,
            L3Form.id,
            mean,
            sa.func.count(L3Rating.id),
        )
        .join(L3Form, L3Form.registration_id == Registration.id)
        .join(L3Rating, L3Rating.form_id == L3Form.id)
        .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .join(User, User.id == Registration.user_id)
        .where(
            *_ACTIVE,
            L3Form.respondent == Respondent.SUPERVISOR,
            L3Form.answered_at >= start,
            L3Form.answered_at < end,
        )
        .group_by(Registration.asn_id, Registration.agency_id, TrainingBatch.title, L3Form.id)
        .having(mean >= average)
        .order_by(Registration.asn_id, mean.desc(), L3Form.id)
    ).all()
    found: dict[int, Signal] = {}
    for asn_id, agency_id, training, form_id, avg, count in rows:
        if asn_id not in found:  # ordered best first per ASN
            found[asn_id] = Signal(
                asn_id,
                agency_id,
                {
                    "training": training,
                    "form_id": form_id,
                    "average": round(float(avg), 2),
                    "competencies": int(count),
                },
            )
    return list(found.values())


#: A student's rating of the mentor that counts as good feedback (of 5).
GOOD_MENTOR_RATING = 4


def mentor_interns(year: int, interns: float) -> list[Signal]:
    """Mentors (ASN, active accounts) with at least ``interns`` placements that ended completed
    in ``year`` and whose student rated the mentor :data:`GOOD_MENTOR_RATING` or more. A
    terminated placement or one without the student's feedback does not count. One grouped
    query."""
    rated = sa.func.count(Placement.id)
    rows = db.session.execute(
        sa.select(
            AsnProfile.id,
            AsnProfile.agency_id,
            rated,
            sa.func.avg(StudentFeedback.mentor_rating),
        )
        .join(Placement, Placement.mentor_id == AsnProfile.user_id)
        .join(StudentFeedback, StudentFeedback.placement_id == Placement.id)
        .join(User, User.id == AsnProfile.user_id)
        .where(
            *_ACTIVE,
            Placement.status == PlacementStatus.COMPLETED,
            Placement.ends_on >= date(year, 1, 1),
            Placement.ends_on < date(year + 1, 1, 1),
            StudentFeedback.mentor_rating >= GOOD_MENTOR_RATING,
        )
        .group_by(AsnProfile.id, AsnProfile.agency_id)
        .having(rated >= interns)
        .order_by(AsnProfile.id)
    ).all()
    return [
        Signal(
            asn_id,
            agency_id,
            {"interns": int(count), "average": round(float(avg), 2), "year": year},
        )
        for asn_id, agency_id, count, avg in rows
    ]


SIGNALS = {
    "jp_target_met": jp_target_met,
    "jpm_gain": jpm_gains,
    "l3_applies": l3_applies,
    "mentor_interns": mentor_interns,
}
