"""Writes about competencies, standards and assessments. Services flush; the view commits."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal import audit
from portal.competency import catalogue, standards
from portal.competency.models import (
    LEVELS,
    AsnProfile,
    Assessment,
    AssessmentMethod,
    AssessmentResult,
    Competency,
    CompetencyLevel,
    CompetencyType,
    CompetencyVersion,
    Position,
    StandardItem,
)
from portal.db import db
from portal.errors import DomainError
from portal.i18n import _l
from portal.own_record import refuse_own_record
from portal.util import clock

#: Why an official assessment or a supervisor rating of oneself is refused (issue 15).
OWN_ASSESSMENT = _l(
    "You cannot assess your own competencies: another administrator must record it."
)
OWN_RATING = _l("You cannot rate yourself as your own supervisor: use the self-assessment.")


def add_version(
    competency: Competency,
    *,
    name,
    definition,
    levels,
    actor=None,
    source=None,
    to_be_confirmed=False,
) -> CompetencyVersion:
    """Freeze a new wording of ``competency``; ``levels`` maps 1..5 to (description, indicators).

    Refuses anything but exactly five levels with a description each.
    """
    if sorted(levels) != list(LEVELS) or not all(levels[n][0].strip() for n in LEVELS):
        raise DomainError(_l("Describe each of the five levels."))
    number = 1 + (
        db.session.scalar(
            sa.select(sa.func.max(CompetencyVersion.number)).where(
                CompetencyVersion.competency_id == competency.id
            )
        )
        or 0
    )
    version = CompetencyVersion(
        competency_id=competency.id,
        number=number,
        name=name,
        definition=definition,
        source=source,
        to_be_confirmed=to_be_confirmed,
        created_by_id=getattr(actor, "id", None),
        levels=[
            CompetencyLevel(level=n, description=levels[n][0], indicators=levels[n][1] or "")
            for n in LEVELS
        ],
    )
    db.session.add(version)
    db.session.flush()
    competency.current_version_id = version.id
    return version


def seed_catalogue(agencies_by_short_name: dict) -> dict[str, Competency]:
    """The 8 managerial, the socio-cultural and the demo technical competencies (by code)."""
    seeded = {}
    for ctype, code, name, definition, quoted, agency, field in catalogue.entries():
        competency = Competency(
            code=code,
            type=ctype,
            field=field,
            agency_id=agencies_by_short_name[agency].id if agency else None,
        )
        db.session.add(competency)
        db.session.flush()
        descriptors = catalogue.level_descriptors(name, ctype, quoted)
        add_version(
            competency,
            name=name,
            definition=definition,
            levels={level: (text, "") for level, text, _confirmed in descriptors},
            source=catalogue.SOURCE_38_2017 if ctype != CompetencyType.TECHNICAL else None,
            to_be_confirmed=not all(confirmed for _level, _text, confirmed in descriptors),
        )
        seeded[code] = competency
    return seeded


def default_standard(
    position: Position, competencies, *, jenjang: dict | None = None, technical_ids=None
):
    """Give ``position`` the suggested standard: managerial and socio-cultural competencies at the
    level of its kind, or of its jenjang for a JF (``standards.rule_levels``, configurable), and
    the technical competencies of its jabatan at the technical level: ``technical_ids`` (what the
    same jabatan holds elsewhere) or else the dictionary's competencies of the position's field.
    The OPD plays no part: a Pranata Komputer at Dinkes gets informatics competencies."""
    level, technical_level = standards.rule_levels(position, jenjang)
    chosen = set(technical_ids or ())
    items = []
    for competency in competencies:
        if competency.is_retired:
            continue
        if competency.type == CompetencyType.TECHNICAL:
            if chosen:
                if competency.id not in chosen:
                    continue
            elif position.field is None or competency.field != position.field:
                continue
            items.append(StandardItem(competency_id=competency.id, required_level=technical_level))
        else:
            items.append(StandardItem(competency_id=competency.id, required_level=level))
    position.standard = items
    return items


def _check_levels(levels: dict[int, int], allowed_ids: set[int]) -> None:
    if not levels:
        raise DomainError(_l("Choose a level for at least one competency."))
    for competency_id, level in levels.items():
        if competency_id not in allowed_ids:
            raise DomainError(_l("This competency is not part of the assessment."))
        if level not in LEVELS:
            raise DomainError(_l("A level runs from 1 to 5."))


def record_assessment(
    asn: AsnProfile,
    *,
    actor,
    method: AssessmentMethod,
    assessed_on: date,
    assessor: str,
    levels: dict[int, int],
    note: str | None = None,
    report=None,
):
    """Store an assessment with the current version of each competency (and its report file).

    Official methods set the ASN's current level; self-assessment and supervisor rating are
    estimates kept apart. Refuses anything but a self-assessment recorded by the ASN themself
    (an admin does not record their own official assessment, nobody rates themself as their
    own supervisor), levels outside 1–5, unknown or retired competencies and dates in the future.
    """
    if method != AssessmentMethod.SELF_ASSESSMENT:
        refuse_own_record(
            actor,
            asn,
            OWN_RATING if method == AssessmentMethod.SUPERVISOR_RATING else OWN_ASSESSMENT,
        )
    if assessed_on > clock.today():
        raise DomainError(_l("The assessment date cannot be in the future."))
    competencies = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Competency).where(
                Competency.id.in_(list(levels)), Competency.is_retired.is_(False)
            )
        )
    }
    _check_levels(levels, set(competencies))
    assessment = Assessment(
        asn_id=asn.id,
        assessed_on=assessed_on,
        method=method,
        is_official=method.is_official,
        assessor=assessor,
        recorded_by_id=getattr(actor, "id", None),
        note=note,
        report_file_id=report.id if report is not None else None,
        results=[
            AssessmentResult(
                competency_id=cid, version_id=competencies[cid].current_version_id, level=level
            )
            for cid, level in sorted(levels.items())
        ],
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        actor, "assessment.record", asn.user, method=method.value, competencies=len(levels)
    )
    return assessment
