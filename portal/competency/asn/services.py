"""ASN records: writes: they flush and audit; the view commits. A refusal is a ``FieldError``
(beside its field) or a ``DomainError``."""

from __future__ import annotations

from portal import audit
from portal.auth.models import Role
from portal.competency import scope
from portal.competency.asn import queries
from portal.competency.models import (
    PNS_GOLONGAN,
    PPPK_GOLONGAN,
    AsnProfile,
    AsnStatus,
)
from portal.competency.nip import check_nip, normalise_nip
from portal.competency.positions import queries as position_queries
from portal.db import db
from portal.errors import FieldError
from portal.i18n import _l


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


def _old_nip(value: str | None) -> str | None:
    """The old NIP (before Perka BKN 22/2007: 9 digits; SIASN ``nipLama``), spaces ignored;
    None when empty. Refuses anything else."""
    digits = "".join((value or "").split())
    if not digits:
        return None
    if not (digits.isascii() and digits.isdigit() and len(digits) == 9):
        raise FieldError("nip_lama", _l("An old NIP (NIP lama) has 9 digits."))
    return digits


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
    nip_lama: str | None = None,
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
    scope.require_manage(scope.may_manage_agency(actor, agency_id))
    if queries.nip_taken(check.nip, exclude_id=profile.id if profile is not None else None):
        raise FieldError("nip", _l("Another ASN record already has this NIP."))
    _check_golongan(status, golongan)
    old_nip = _old_nip(nip_lama)
    position = position_queries.position(position_id) if position_id else None
    if position_id and (position is None or position.agency_id != agency_id):
        raise FieldError("position_id", _l("Choose a position of the person's OPD."))
    supervisor = _supervisor(profile, supervisor_nip)
    if profile is None:
        profile = AsnProfile(user_id=user.id)
        db.session.add(profile)
    profile.nip, profile.status, profile.golongan = check.nip, status, golongan or None
    profile.nip_lama = old_nip
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
