"""Checking every roster row against the rules and the database (bulk loads)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import aliased

from portal.auth.models import Role, User, UserRole
from portal.competency.models import PNS_GOLONGAN, PPPK_GOLONGAN, AsnProfile, Position
from portal.competency.nip import NIP_LENGTH, check_nip, normalise_nip
from portal.competency.roster.reading import STATUS_ALIASES, RawRow, RosterRow, header_key
from portal.db import db
from portal.i18n import _l
from portal.institutions.models import Agency

# --- checking ---------------------------------------------------------------------------------------


@dataclass
class _Known:
    """What the database already holds, loaded once for the whole file."""

    agencies: dict[str, tuple]  # casefolded short name or name -> (id, short_name, is_active)
    positions: dict[tuple[int, str], tuple]  # (agency_id, casefolded name) -> (id, is_active)
    profiles: dict[str, tuple]  # nip -> (id, user_id, agency_id, supervisor nip, e-mail)
    profile_users: set[int]
    users: dict[str, tuple]  # e-mail -> (id, agency_id, roles)

    @classmethod
    def load(cls, emails: set[str]) -> _Known:
        rows = db.session.execute(
            sa.select(Agency.id, Agency.name, Agency.short_name, Agency.is_active)
        ).all()
        agencies = {name.casefold(): (id_, short, active) for id_, name, short, active in rows}
        # a short name wins over another OPD's full name
        agencies.update({short.casefold(): (i, short, a) for i, _n, short, a in rows})
        positions = {}
        for id_, agency_id, name, active in db.session.execute(
            sa.select(Position.id, Position.agency_id, Position.name, Position.is_active).order_by(
                Position.id
            )
        ):
            positions.setdefault((agency_id, name.casefold()), (id_, active))
        boss = aliased(AsnProfile)
        profiles = {
            nip: (id_, user_id, agency_id, boss_nip, email)
            for id_, nip, user_id, agency_id, boss_nip, email in db.session.execute(
                sa.select(
                    AsnProfile.id,
                    AsnProfile.nip,
                    AsnProfile.user_id,
                    AsnProfile.agency_id,
                    boss.nip,
                    User.email,
                )
                .join(User, User.id == AsnProfile.user_id)
                .outerjoin(boss, boss.id == AsnProfile.supervisor_id)
            )
        }
        roles, users = defaultdict(set), {}
        if emails:
            for id_, email, agency_id, role in db.session.execute(
                sa.select(User.id, User.email, User.agency_id, UserRole.role)
                .outerjoin(UserRole, UserRole.user_id == User.id)
                .where(User.email.in_(emails))
            ):
                if role is not None:
                    roles[id_].add(role)
                users[email] = (id_, agency_id, roles[id_])
        return cls(agencies, positions, profiles, {p[1] for p in profiles.values()}, users)


_RUANG = re.compile(r"^([IV]+)[\s/\-.\\]*([A-Ea-e])$")


def _golongan(raw: str) -> str:
    """``iii/a``, ``III a``, ``III-A`` → ``III/a``; PPPK ``ix`` → ``IX``."""
    text = raw.strip().upper()
    match = _RUANG.match(text)
    return f"{match[1]}/{match[2].lower()}" if match else re.sub(r"\s+", "", text)


def _check_person(row: RosterRow, raw: RawRow) -> None:
    v = raw.values
    nip_kind = None
    if raw.nip_was_number:
        row.errors.append(
            _l(
                "The NIP was stored as a number and lost its last digits: format the NIP column "
                "as text and type the NIP again."
            )
        )
    elif not v["nip"]:
        row.errors.append(_l("The NIP is missing."))
    else:
        check = check_nip(v["nip"])
        row.nip, nip_kind = check.nip, check.kind
        row.errors.extend(check.errors)
        row.warnings.extend(check.warnings)
    row.full_name = v["full_name"]
    if not row.full_name:
        row.errors.append(_l("The name is missing."))
    elif len(row.full_name) > 120:
        row.errors.append(_l("The name is longer than %(max)d characters.", max=120))
    row.email = v["email"].lower()
    if not row.email:
        row.errors.append(_l("The e-mail address is missing."))
    else:
        try:
            validate_email(row.email, check_deliverability=False)
        except EmailNotValidError:
            row.errors.append(_l("“%(value)s” is not a valid e-mail address.", value=v["email"]))
    row.status = STATUS_ALIASES.get(header_key(v["status"]))
    if row.status is None:
        row.errors.append(
            _l(
                "Unknown status “%(value)s”: use PNS, CPNS, PPPK or PPPK paruh waktu.",
                value=v["status"],
            )
        )
    if v["golongan"]:
        row.golongan = _golongan(v["golongan"])
        if row.golongan not in PNS_GOLONGAN and row.golongan not in PPPK_GOLONGAN:
            row.errors.append(
                _l(
                    "“%(value)s” is not a golongan: write for example III/a (PNS) or IX (PPPK).",
                    value=v["golongan"],
                )
            )
        elif row.status is not None and row.status.is_pppk and row.golongan not in PPPK_GOLONGAN:
            row.errors.append(_l("A PPPK has a golongan from I to XVII, not a PNS golongan/ruang."))
        elif row.status is not None and not row.status.is_pppk and row.golongan in PPPK_GOLONGAN:
            row.errors.append(
                _l("A PNS or CPNS has a golongan/ruang such as III/a, not a PPPK golongan.")
            )
    if nip_kind and row.status is not None and not row.errors:
        nip_pppk = nip_kind == "pppk"
        if nip_pppk != row.status.is_pppk:
            row.warnings.append(
                _l(
                    "The NIP looks like a PPPK number but the status is %(status)s.",
                    status=row.status.title,
                )
                if nip_pppk
                else _l(
                    "The NIP looks like a PNS number but the status is %(status)s.",
                    status=row.status.title,
                )
            )


def _check_place(row: RosterRow, raw: RawRow, known: _Known, scope: int | None) -> None:
    v = raw.values
    agency = known.agencies.get(v["agency"].casefold()) if v["agency"] else None
    if not v["agency"]:
        row.errors.append(_l("The OPD is missing."))
    elif agency is None:
        row.errors.append(
            _l(
                "Unknown OPD “%(value)s”: write the short name or the full name of an OPD of the "
                "portal.",
                value=v["agency"],
            )
        )
    elif not agency[2]:
        row.errors.append(_l("The OPD %(name)s is deactivated.", name=agency[1]))
    elif scope is not None and agency[0] != scope:
        row.errors.append(_l("As an OPD administrator you may import only the ASN of your OPD."))
    else:
        row.agency_id = agency[0]
    if v["position"] and agency is not None:
        position = known.positions.get((agency[0], v["position"].casefold()))
        if position is None:
            row.errors.append(
                _l(
                    "The OPD %(opd)s has no position named “%(value)s”.",
                    opd=agency[1],
                    value=v["position"],
                )
            )
        elif not position[1]:
            row.errors.append(
                _l("The position “%(value)s” is no longer used.", value=v["position"])
            )
        else:
            row.position_id = position[0]


def _check_existing(row: RosterRow, known: _Known, scope: int | None) -> None:
    """A NIP already in the portal is updated only with the same e-mail address (the same
    person); an e-mail address of an account without a record gets the record."""
    profile = known.profiles.get(row.nip)
    user_id, agency_id, roles = known.users.get(row.email, (None, None, frozenset()))
    if profile is not None and profile[4] != row.email:
        row.errors.append(
            _l("Another person's ASN record already has this NIP (with another e-mail address).")
        )
    elif profile is not None and scope is not None and profile[2] != scope:
        row.errors.append(
            _l("This ASN belongs to another OPD: only a city-wide administrator can move them.")
        )
    elif profile is None and user_id in known.profile_users:
        row.errors.append(_l("This e-mail address belongs to an ASN record with another NIP."))
    elif roles & {Role.STUDENT, Role.UNIVERSITY}:
        row.errors.append(_l("This e-mail address belongs to a university account."))
    elif (
        user_id is not None
        and scope is not None
        and (roles - {Role.ASN, Role.MENTOR} or agency_id != scope)
    ):
        row.errors.append(_l("This e-mail address belongs to an account you do not manage."))
    else:
        row.user_id = user_id
        row.profile_id = profile[0] if profile is not None else None


def _check_supervisors(rows: list[RosterRow], raws: list[RawRow], known: _Known) -> None:
    in_file = {row.nip: row for row in rows if row.nip}
    boss_of = {nip: p[3] for nip, p in known.profiles.items()}
    for row, raw in zip(rows, raws, strict=True):
        text = raw.values["supervisor_nip"]
        if not text:
            if row.nip:
                boss_of[row.nip] = None
            continue
        nip = normalise_nip(text)
        if len(nip) != NIP_LENGTH or not (nip.isascii() and nip.isdigit()):
            row.errors.append(_l("The supervisor's NIP is not a NIP of 18 digits."))
        elif nip == row.nip:
            row.errors.append(_l("A person cannot be their own supervisor."))
        elif nip not in in_file and nip not in known.profiles:
            row.errors.append(
                _l(
                    "No ASN has the supervisor's NIP %(nip)s, in the file or in the portal.",
                    nip=nip,
                )
            )
        else:
            row.supervisor_nip = nip
        if row.nip:
            boss_of[row.nip] = row.supervisor_nip
    for row in rows:
        if not row.nip:
            continue
        seen, nip = {row.nip}, row.supervisor_nip
        while nip is not None and nip not in seen:
            seen.add(nip)
            nip = boss_of.get(nip)
        if nip is not None and nip == row.nip:
            row.errors.append(_l("The line of supervision in the file loops back to this person."))


def _check_duplicates(rows: list[RosterRow]) -> None:
    nips, emails = defaultdict(list), defaultdict(list)
    for row in rows:
        if row.nip:
            nips[row.nip].append(row.number)
        if row.email:
            emails[row.email].append(row.number)
    for row in rows:
        same = nips.get(row.nip, ())
        if len(same) > 1:
            row.errors.append(
                _l(
                    "The NIP appears more than once in the file (rows %(rows)s).",
                    rows=", ".join(map(str, same)),
                )
            )
        same = emails.get(row.email, ())
        if len(same) > 1:
            row.errors.append(
                _l(
                    "The e-mail address appears more than once in the file (rows %(rows)s).",
                    rows=", ".join(map(str, same)),
                )
            )


def validate(raw_rows: list[RawRow], actor=None, *, progress=None) -> list[RosterRow]:
    """Check every row; ``actor`` None (the command line) or a city admin may import any OPD,
    an OPD admin only its own (other rows are errors). ``progress(n)`` is called per row."""
    scope = getattr(actor, "admin_agency_id", None)
    known = _Known.load({r.values["email"].lower() for r in raw_rows if r.values["email"]})
    rows = []
    for raw in raw_rows:
        row = RosterRow(raw.number, raw.values)
        _check_person(row, raw)
        _check_place(row, raw, known, scope)
        if row.nip and row.email:
            _check_existing(row, known, scope)
        rows.append(row)
        if progress:
            progress(1)
    _check_duplicates(rows)
    _check_supervisors(rows, raw_rows, known)
    return rows


def summary(rows: list[RosterRow]) -> dict[str, int]:
    """Counts for the preview and the command line."""
    good = [r for r in rows if r.ok]
    return {
        "rows": len(rows),
        "valid": len(good),
        "errors": len(rows) - len(good),
        "warnings": sum(1 for r in rows if r.warnings),
        "new": sum(1 for r in good if r.action == "create"),
        "updates": sum(1 for r in good if r.action == "update"),
    }
