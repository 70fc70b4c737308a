"""Reads for the competency profile pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.competency.gaps import GapRow, category, jpm
from portal.competency.models import (
    AsnProfile,
    Assessment,
    AssessmentMethod,
    Competency,
    CompetencyVersion,
    StandardItem,
)
from portal.competency.plans.models import DevelopmentPlan, PlanActivity, PlanEvent
from portal.db import db
from portal.own_record import is_own_record
from portal.uploads import StoredFile


def _profile_query():
    return sa.select(AsnProfile).options(
        joinedload(AsnProfile.user),
        joinedload(AsnProfile.position),
        joinedload(AsnProfile.supervisor).joinedload(AsnProfile.user),
    )


def asn_for_user(user_id: int) -> AsnProfile | None:
    return db.session.scalars(_profile_query().where(AsnProfile.user_id == user_id)).first()


def asn_by_id(asn_id: int) -> AsnProfile | None:
    """One ASN record with its user, position and supervisor; None: no such record."""
    return db.session.scalars(_profile_query().where(AsnProfile.id == asn_id)).first()


def can_view(asn: AsnProfile, user) -> bool:
    """The ASN themselves, their direct supervisor, a city admin, an admin of their OPD."""
    if user.is_admin and (user.is_city_admin or user.admin_agency_id == asn.agency_id):
        return True
    if asn.user_id == user.id:
        return True
    supervisor = asn.supervisor
    return supervisor is not None and supervisor.user_id == user.id


def can_rate(asn: AsnProfile, user) -> bool:
    """Only the direct supervisor rates an ASN, never themself (a record pointing at itself)."""
    return (
        asn.supervisor is not None
        and asn.supervisor.user_id == user.id
        and not is_own_record(user, asn)
    )


def can_record_official(asn: AsnProfile, user) -> bool:
    """A city admin or an admin of the ASN's OPD records official assessments, never of their
    own record (another admin does)."""
    return (
        user.is_admin
        and (user.is_city_admin or user.admin_agency_id == asn.agency_id)
        and not is_own_record(user, asn)
    )


def standard_items(position_id: int | None) -> list[StandardItem]:
    if position_id is None:
        return []
    return list(
        db.session.scalars(
            sa.select(StandardItem)
            .join(Competency)
            .where(StandardItem.position_id == position_id, Competency.is_retired.is_(False))
            .options(
                joinedload(StandardItem.competency)
                .joinedload(Competency.current_version)
                .selectinload(CompetencyVersion.levels)
            )
            .order_by(Competency.type, Competency.code)
        ).unique()
    )


@dataclass
class Profile:
    asn: AsnProfile
    rows: list[GapRow]
    history: list[Assessment]
    jpm: float | None = None
    category: object = None
    assessed_count: int = 0
    names: dict = field(default_factory=dict)


def profile(asn: AsnProfile) -> Profile:
    """Standard against the latest official level, with the latest estimates and the history."""
    items = standard_items(asn.position_id)
    history = list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.asn_id == asn.id)
            .options(selectinload(Assessment.results))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        )
    )
    latest: dict[tuple[str, int], int] = {}
    for assessment in history:  # newest first: the first value seen per key is the latest
        kind = "official" if assessment.is_official else assessment.method.value
        for result in assessment.results:
            latest.setdefault((kind, result.competency_id), result.level)
    rows = []
    for item in items:
        competency = item.competency
        rows.append(
            GapRow(
                competency_id=competency.id,
                code=competency.code,
                name=competency.current_version.name,
                type_title=competency.type.title,
                required=item.required_level,
                current=latest.get(("official", competency.id)),
                self_level=latest.get((AssessmentMethod.SELF_ASSESSMENT.value, competency.id)),
                supervisor_level=latest.get(
                    (AssessmentMethod.SUPERVISOR_RATING.value, competency.id)
                ),
                post_test_level=latest.get(
                    (AssessmentMethod.POST_TRAINING_TEST.value, competency.id)
                ),
            )
        )
    cfg = current_app.config
    value = jpm(rows, cap_at_required=cfg["JPM_CAP_AT_REQUIRED"])
    return Profile(
        asn=asn,
        rows=rows,
        history=history,
        jpm=value,
        category=category(value, tuple(cfg["JPM_THRESHOLDS"])),
        assessed_count=sum(1 for r in rows if r.current is not None),
        names={item.competency_id: item.competency.current_version.name for item in items},
    )


def direct_reports(asn: AsnProfile) -> list[AsnProfile]:
    return list(
        db.session.scalars(
            sa.select(AsnProfile)
            .where(AsnProfile.supervisor_id == asn.id)
            .options(joinedload(AsnProfile.user), joinedload(AsnProfile.position))
            .join(AsnProfile.user)
            .order_by(User.full_name)
        )
    )


def plan(asn_id: int, year: int):
    """The plan of one ASN for one year, with its activities and history (or None)."""
    return db.session.scalars(
        sa.select(DevelopmentPlan)
        .where(DevelopmentPlan.asn_id == asn_id, DevelopmentPlan.year == year)
        .options(
            selectinload(DevelopmentPlan.activities),
            selectinload(DevelopmentPlan.events).joinedload(PlanEvent.actor),
        )
    ).first()


def plan_of_activity(activity_id: int):
    return db.session.scalars(
        sa.select(DevelopmentPlan)
        .join(PlanActivity, PlanActivity.plan_id == DevelopmentPlan.id)
        .where(PlanActivity.id == activity_id)
        .options(selectinload(DevelopmentPlan.activities))
    ).first()


def assessment_report(assessment_id: int):
    """(assessment, stored report file) — either may be None."""
    row = db.session.execute(
        sa.select(Assessment, StoredFile)
        .outerjoin(StoredFile, StoredFile.id == Assessment.report_file_id)
        .where(Assessment.id == assessment_id)
    ).first()
    return (row[0], row[1]) if row else (None, None)
