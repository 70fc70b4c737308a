"""Writes of the competency admin screens. Services flush and audit; the view commits.

Each refusal is a :class:`FieldError` (shown on the form field it concerns) or a ``DomainError``.
The scoping rule for OPD admins is :func:`may_manage_competency`, :func:`may_manage_agency`.
"""

from __future__ import annotations

from portal import audit
from portal.auth.models import Role
from portal.competency.admin import queries
from portal.competency.assessments import services
from portal.competency.models import (
    LEVELS,
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    AsnProfile,
    AsnStatus,
    Competency,
    CompetencyType,
    Position,
    PositionKind,
    StandardItem,
)
from portal.competency.nip import check_nip, normalise_nip
from portal.db import db
from portal.errors import DomainError, FieldError
from portal.i18n import _l

# --- who may change what ----------------------------------------------------------------------------


def may_manage_agency(user, agency_id: int | None) -> bool:
    """City-wide admins manage every OPD's data; an OPD admin only its own OPD's."""
    if not user.is_admin:
        return False
    return user.is_city_admin or (agency_id is not None and agency_id == user.admin_agency_id)


def may_manage_competency(user, competency: Competency) -> bool:
    """The managerial and socio-cultural catalogue is city-wide (BKPSDM): read-only for OPD
    admins; technical competencies are managed by their OPD's admin too."""
    if user.is_city_admin:
        return True
    return competency.type == CompetencyType.TECHNICAL and may_manage_agency(
        user, competency.agency_id
    )


def _require(condition: bool) -> None:
    if not condition:
        raise DomainError(_l("You may not change this."))


# --- catalogue --------------------------------------------------------------------------------------


def _check_type_and_agency(ctype: CompetencyType, agency_id: int | None) -> None:
    if ctype == CompetencyType.TECHNICAL and not agency_id:
        raise FieldError("agency_id", _l("A technical competency belongs to an OPD: choose it."))
    if ctype != CompetencyType.TECHNICAL and agency_id:
        raise FieldError(
            "agency_id", _l("Only technical competencies belong to an OPD: choose “none”.")
        )
    if agency_id and queries.agency(agency_id) is None:
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
) -> Competency:
    """Add a competency with its first version.

    Refuses a code already in use, an OPD on a non-technical competency (and none on a technical
    one), and, for an OPD admin, anything but a technical competency of its own OPD.
    """
    _check_type_and_agency(ctype, agency_id)
    _require(
        actor.is_city_admin
        or (ctype == CompetencyType.TECHNICAL and may_manage_agency(actor, agency_id))
    )
    code = code.strip().upper()
    if queries.code_taken(code):
        raise FieldError("code", _l("Another competency already has this code."))
    competency = Competency(code=code, type=ctype, agency_id=agency_id or None)
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
    competency: Competency, *, actor, name, definition, levels, source=None, to_be_confirmed=False
):
    """Save a new version of the wording; the old version stays, and assessments keep pointing at
    the version they used. Refuses retired competencies and a wording identical to the current
    one (no empty versions)."""
    _require(may_manage_competency(actor, competency))
    if competency.is_retired:
        raise DomainError(_l("This competency is retired; restore it before changing it."))
    if _same_wording(
        competency.current_version,
        name=name,
        definition=definition,
        levels=levels,
        source=source,
        to_be_confirmed=to_be_confirmed,
    ):
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
    _require(may_manage_competency(actor, competency))
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


# --- positions --------------------------------------------------------------------------------------


def save_position(
    position: Position | None, *, actor, name: str, kind: PositionKind, jenjang, agency_id: int
) -> Position:
    """Create or change a position.

    Refuses a jenjang on a non-functional position (and none on a functional one), a name
    already used in the same OPD, an OPD the admin does not manage, and moving a position that
    ASN hold to another OPD. Moving drops the old OPD's technical competencies from the standard.
    """
    if kind == PositionKind.FUNGSIONAL and not jenjang:
        raise FieldError("jenjang", _l("Choose the jenjang of a functional position."))
    if kind != PositionKind.FUNGSIONAL and jenjang:
        raise FieldError("jenjang", _l("Only functional positions have a jenjang."))
    if queries.agency(agency_id) is None:
        raise FieldError("agency_id", _l("Choose the OPD."))
    _require(may_manage_agency(actor, agency_id))
    if queries.position_name_taken(
        agency_id, name, exclude_id=position.id if position is not None else None
    ):
        raise FieldError("name", _l("This OPD already has a position with this name."))
    if position is None:
        position = Position(agency_id=agency_id, standard=[])
        db.session.add(position)
    elif position.agency_id != agency_id:
        if queries.position_holders(position.id):
            raise FieldError(
                "agency_id",
                _l("ASN hold this position: it cannot move to another OPD. Make a new one."),
            )
        technical = queries.technical_ids([i.competency_id for i in position.standard])
        position.standard = [i for i in position.standard if i.competency_id not in technical]
        position.agency_id = agency_id
    position.name, position.kind, position.jenjang = name, kind, jenjang or None
    db.session.flush()
    audit.record(actor, "position.save", position, kind=kind.value, agency_id=agency_id)
    return position


def save_standard(position: Position, *, actor, levels: dict[int, int], allowed) -> int:
    """Set the required level of each competency in ``levels`` (0 removes it from the standard).

    Refuses competencies that are not relevant to the position (``allowed``), and levels outside
    0–5. Returns the number of competencies in the standard afterwards.
    """
    _require(may_manage_agency(actor, position.agency_id))
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
    socio-cultural at the level for the kind of position, the OPD's technical ones likewise."""
    _require(may_manage_agency(actor, position.agency_id))
    # Old rows go first: the unit of work would insert the new ones before deleting the old,
    # tripping the unique (position, competency) constraint.
    position.standard = []
    db.session.flush()
    items = services.default_standard(position, competencies)
    db.session.flush()
    audit.record(actor, "position.save", position, standard=len(items), rule_of_thumb=True)
    return len(items)


# --- ASN records ------------------------------------------------------------------------------------


def _asn_user(email: str, actor):
    user = queries.user_by_email(email)
    if user is None or not user.can_be_managed_by(actor):
        raise FieldError("email", _l("There is no account with this e-mail address."))
    if Role.ASN not in user.roles:
        raise FieldError("email", _l("This account does not have the ASN role."))
    if queries.has_asn_profile(user.id):
        raise FieldError("email", _l("This person already has an ASN record."))
    return user


def _supervisor(profile: AsnProfile | None, supervisor_nip: str | None) -> AsnProfile | None:
    nip = normalise_nip(supervisor_nip or "")
    if not nip:
        return None
    supervisor = queries.asn_by_nip(nip)
    if supervisor is None:
        raise FieldError("supervisor_nip", _l("No ASN record has this NIP."))
    if profile is not None and profile.id is not None:
        if supervisor.id == profile.id:
            raise FieldError("supervisor_nip", _l("A person cannot be their own supervisor."))
        if profile.id in queries.supervisor_chain(supervisor.id):
            raise FieldError(
                "supervisor_nip",
                _l(
                    "This person is already above %(name)s in the line of supervision.",
                    name=profile.user.full_name,
                ),
            )
    return supervisor


def _check_golongan(status: AsnStatus, golongan: str | None) -> None:
    if not golongan:
        return
    if status.is_pppk and golongan not in PPPK_GOLONGAN:
        raise FieldError(
            "golongan", _l("A PPPK has a golongan from I to XVII, not a PNS golongan/ruang.")
        )
    if not status.is_pppk and golongan not in PNS_GOLONGAN:
        raise FieldError(
            "golongan", _l("A PNS or CPNS has a golongan/ruang such as III/a, not a PPPK golongan.")
        )


def save_asn(
    profile: AsnProfile | None,
    *,
    actor,
    nip: str,
    status: AsnStatus,
    golongan,
    agency_id: int,
    position_id=None,
    supervisor_nip=None,
    email: str | None = None,
) -> AsnProfile:
    """Create (for the account with ``email``) or change an ASN record.

    Refuses: an account that is missing, outside the admin's OPD, without the ASN role or with a
    record already; a NIP with structural errors or already used; a golongan that does not fit
    the status; an OPD other than the account's; a position of another OPD; a supervisor who is
    unknown, the person themself, or below them (a loop). NIP plausibility warnings do not refuse.
    """
    check = check_nip(nip)
    if check.errors:
        raise FieldError("nip", " ".join(str(e) for e in check.errors))
    user = _asn_user(email or "", actor) if profile is None else profile.user
    if user.agency_id is None:
        raise FieldError("agency_id", _l("This account has no OPD yet: set it on the account."))
    if agency_id != user.agency_id:
        raise FieldError("agency_id", _l("Choose the OPD of the person's account."))
    _require(may_manage_agency(actor, agency_id))
    if queries.nip_taken(check.nip, exclude_id=profile.id if profile is not None else None):
        raise FieldError("nip", _l("Another ASN record already has this NIP."))
    _check_golongan(status, golongan)
    position = queries.position(position_id) if position_id else None
    if position_id and (position is None or position.agency_id != agency_id):
        raise FieldError("position_id", _l("Choose a position of the person's OPD."))
    supervisor = _supervisor(profile, supervisor_nip)
    if profile is None:
        profile = AsnProfile(user_id=user.id)
        db.session.add(profile)
    profile.nip, profile.status, profile.golongan = check.nip, status, golongan or None
    profile.agency_id = agency_id
    profile.position_id = position.id if position is not None else None
    profile.supervisor_id = supervisor.id if supervisor is not None else None
    db.session.flush()
    audit.record(
        actor,
        "asn.save",
        profile,
        target_label=user.email,
        status=status.value,
        position_id=profile.position_id,
        supervisor_id=profile.supervisor_id,
    )
    return profile
