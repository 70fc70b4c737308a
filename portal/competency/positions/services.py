"""Positions and standards: writes: they flush and audit; the view commits. A refusal is a
``FieldError`` (beside its field) or a ``DomainError``."""

from __future__ import annotations

from portal import audit
from portal.competency import scope, standards
from portal.competency.assessments import services
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    LEVELS,
    Position,
    PositionKind,
    StandardItem,
)
from portal.competency.positions import queries
from portal.db import db
from portal.errors import DomainError, FieldError
from portal.i18n import _l


def save_position(
    position: Position | None,
    *,
    actor,
    name: str,
    kind: PositionKind,
    jenjang,
    agency_id: int,
    field: TechnicalField | None = None,
    pembina: str | None = None,
) -> Position:
    """Create or change a position.

    Refuses a jenjang on a non-functional position (and none on a functional one), a name
    already used in the same OPD, an OPD the admin does not manage, and moving a position that
    ASN hold to another OPD. A field or pembina left blank is the jabatan's
    (``standards.jabatan_profile``: the same jabatan elsewhere, a known JF, else the OPD's
    urusan). Moving keeps the standard: technical competencies follow the jabatan, not the OPD.
    """
    if kind == PositionKind.FUNGSIONAL and not jenjang:
        raise FieldError("jenjang", _l("Choose the jenjang of a functional position."))
    if kind != PositionKind.FUNGSIONAL and jenjang:
        raise FieldError("jenjang", _l("Only functional positions have a jenjang."))
    if scope.agency(agency_id) is None:
        raise FieldError("agency_id", _l("Choose the OPD."))
    scope.require_manage(scope.may_manage_agency(actor, agency_id))
    if queries.position_name_taken(
        agency_id, name, exclude_id=position.id if position is not None else None
    ):
        raise FieldError("name", _l("This OPD already has a position with this name."))
    if field is None or not pembina:
        known_field, known_pembina = standards.jabatan_profile(
            name,
            kind,
            scope.agency(agency_id),
            exclude_id=position.id if position is not None else None,
        )
        field = field or known_field
        pembina = pembina or known_pembina
    if position is None:
        position = Position(agency_id=agency_id, standard=[])
        db.session.add(position)
    elif position.agency_id != agency_id:
        if queries.position_holders(position.id):
            raise FieldError(
                "agency_id",
                _l("ASN hold this position: it cannot move to another OPD. Make a new one."),
            )
        position.agency_id = agency_id
    position.name, position.kind, position.jenjang = name, kind, jenjang or None
    position.field, position.pembina = field, (pembina or None)
    db.session.flush()
    audit.record(actor, "position.save", position, kind=kind.value, agency_id=agency_id)
    return position


def save_standard(position: Position, *, actor, levels: dict[int, int], allowed) -> int:
    """Set the required level of each competency in ``levels`` (0 removes it from the standard).

    Refuses competencies that are not relevant to the position (``allowed``), and levels outside
    0–5. Returns the number of competencies in the standard afterwards.
    """
    scope.require_manage(scope.may_manage_agency(actor, position.agency_id))
    allowed_ids = {c.id for c in allowed}
    for competency_id, level in levels.items():
        if competency_id not in allowed_ids:
            raise DomainError(_l("This competency is not part of the standard of this position."))
        if level not in (0, *LEVELS):
            raise DomainError(_l("A level runs from 1 to 5."))
    items = {item.competency_id: item for item in position.standard}
    kept = []
    for competency_id, item in items.items():
        level = levels.get(competency_id, item.required_level)
        if level:
            item.required_level = level
            kept.append(item)
    for competency_id, level in levels.items():
        if level and competency_id not in items:
            kept.append(StandardItem(competency_id=competency_id, required_level=level))
    position.standard = kept
    db.session.flush()
    audit.record(actor, "position.save", position, standard=len(kept))
    return len(kept)


def fill_standard_by_rule(position: Position, *, actor, competencies) -> int:
    """Replace the standard with the rule of thumb (``services.default_standard``): managerial and
    socio-cultural at the level for the kind of position or the JF jenjang (configurable), the
    jabatan's technical competencies (those the same jabatan holds in another OPD, else those of
    its field) at the technical level. A position without a field gets its jabatan's first."""
    scope.require_manage(scope.may_manage_agency(actor, position.agency_id))
    if position.field is None:
        position.field, pembina = standards.jabatan_profile(
            position.name, position.kind, scope.agency(position.agency_id), exclude_id=position.id
        )
        position.pembina = position.pembina or pembina
    technical_ids = standards.jabatan_technical_ids(position)
    # Old rows go first: the unit of work would insert the new ones before deleting the old,
    # tripping the unique (position, competency) constraint.
    position.standard = []
    db.session.flush()
    items = services.default_standard(position, competencies, technical_ids=technical_ids)
    db.session.flush()
    audit.record(actor, "position.save", position, standard=len(items), rule_of_thumb=True)
    return len(items)
