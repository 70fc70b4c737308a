"""The competency dictionary: writes: they flush and audit; the view commits. A refusal is a
``FieldError`` (beside its field) or a ``DomainError``."""

from __future__ import annotations

from portal import audit
from portal.competency import fields, scope
from portal.competency.assessments import services
from portal.competency.dictionary import queries
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    LEVELS,
    Competency,
    CompetencyType,
)
from portal.db import db
from portal.errors import DomainError, FieldError
from portal.i18n import _l


def may_manage_competency(user, competency: Competency) -> bool:
    """The managerial and socio-cultural catalogue is city-wide (BKPSDM): read-only for OPD
    admins; technical competencies are managed by their OPD's admin too."""
    if user.is_city_admin:
        return True
    return competency.type == CompetencyType.TECHNICAL and scope.may_manage_agency(
        user, competency.agency_id
    )


def _check_type_and_agency(ctype: CompetencyType, agency_id: int | None) -> None:
    if ctype == CompetencyType.TECHNICAL and not agency_id:
        raise FieldError("agency_id", _l("A technical competency belongs to an OPD: choose it."))
    if ctype != CompetencyType.TECHNICAL and agency_id:
        raise FieldError(
            "agency_id", _l("Only technical competencies belong to an OPD: choose “none”.")
        )
    if agency_id and scope.agency(agency_id) is None:
        raise FieldError("agency_id", _l("Choose the OPD."))


def create_competency(
    *,
    actor,
    code: str,
    ctype: CompetencyType,
    agency_id,
    name,
    definition,
    levels,
    source=None,
    to_be_confirmed=False,
    field: TechnicalField | None = None,
) -> Competency:
    """Add a competency with its first version.

    Refuses a code already in use, an OPD or a field on a non-technical competency (and none on a
    technical one), and, for an OPD admin, anything but a technical competency of its own OPD.
    """
    _check_type_and_agency(ctype, agency_id)
    if ctype == CompetencyType.TECHNICAL and field is None:
        agency = scope.agency(agency_id)
        field = fields.agency_field(agency.name, agency.short_name) or TechnicalField.LAINNYA
    if ctype != CompetencyType.TECHNICAL and field is not None:
        raise FieldError("field", _l("Only technical competencies have a field: choose “none”."))
    scope.require_manage(
        actor.is_city_admin
        or (ctype == CompetencyType.TECHNICAL and scope.may_manage_agency(actor, agency_id))
    )
    code = code.strip().upper()
    if queries.code_taken(code):
        raise FieldError("code", _l("Another competency already has this code."))
    competency = Competency(code=code, type=ctype, agency_id=agency_id or None, field=field)
    db.session.add(competency)
    db.session.flush()
    version = services.add_version(
        competency,
        name=name,
        definition=definition,
        levels=levels,
        actor=actor,
        source=source or None,
        to_be_confirmed=to_be_confirmed,
    )
    audit.record(actor, "competency.create", competency, target_label=code, version=version.number)
    return competency


def _same_wording(version, *, name, definition, levels, source, to_be_confirmed) -> bool:
    if version is None:
        return False
    current = {lv.level: (lv.description, lv.indicators or "") for lv in version.levels}
    return (
        version.name == name
        and version.definition == definition
        and (version.source or None) == (source or None)
        and version.to_be_confirmed == bool(to_be_confirmed)
        and all(current.get(n) == (levels[n][0], levels[n][1] or "") for n in LEVELS)
    )


def update_competency(
    competency: Competency,
    *,
    actor,
    name,
    definition,
    levels,
    source=None,
    to_be_confirmed=False,
    field: TechnicalField | None = None,
):
    """Save a new version of the wording; the old version stays, and assessments keep pointing at
    the version they used. A technical competency's field changes in place (no new version when
    only the field changed; the current version is returned); a blank field keeps it. Refuses
    retired competencies and a change that changes nothing (no empty versions)."""
    scope.require_manage(may_manage_competency(actor, competency))
    if competency.is_retired:
        raise DomainError(_l("This competency is retired; restore it before changing it."))
    moved = (
        competency.type == CompetencyType.TECHNICAL
        and field is not None
        and field != competency.field
    )
    if moved:
        competency.field = field
        db.session.flush()
        audit.record(actor, "competency.update", competency, target_label=competency.code)
    if _same_wording(
        competency.current_version,
        name=name,
        definition=definition,
        levels=levels,
        source=source,
        to_be_confirmed=to_be_confirmed,
    ):
        if moved:
            return competency.current_version
        raise DomainError(_l("Nothing has changed, so no new version was made."))
    version = services.add_version(
        competency,
        name=name,
        definition=definition,
        levels=levels,
        actor=actor,
        source=source or None,
        to_be_confirmed=to_be_confirmed,
    )
    audit.record(
        actor,
        "competency.update",
        competency,
        target_label=competency.code,
        version=version.number,
    )
    return version


def set_competency_retired(competency: Competency, *, actor, retired: bool) -> None:
    """Retire a competency (no longer offered for standards and assessments; history stays) or
    bring it back. Refuses a change that changes nothing."""
    scope.require_manage(may_manage_competency(actor, competency))
    if competency.is_retired == retired:
        raise DomainError(
            _l("This competency is already retired.")
            if retired
            else _l("This competency is already in use.")
        )
    competency.is_retired = retired
    db.session.flush()
    # There is no "restore" action in the audit vocabulary: a restore is a change.
    audit.record(
        actor,
        "competency.retire" if retired else "competency.update",
        competency,
        target_label=competency.code,
        retired=retired,
    )
