"""The small demo's workforce: the seeded catalogue, positions with standards (the positions of
each kind of OPD: :mod:`jabatan`), a few hundred fictional ASN with NIPs (serials 901–999,
DOMAIN.md §10; the gender digit matching the name) and golongan fitting their position, and
assessments, so the profiles and the demand board show real clusters. Deterministic (fixed seed).
A position's technical standard follows its jabatan: every Pranata Komputer, at Dinkes too, is
scored on informatics competencies; JF levels come from the jenjang table."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.auth.models import Role, User
from portal.competency import standards
from portal.competency.assessments import services
from portal.competency.models import (
    OFFICIAL_METHODS,
    AsnProfile,
    AsnStatus,
    Assessment,
    AssessmentMethod,
    AssessmentResult,
    Position,
)
from portal.db import db
from portal.demo.competency import jabatan
from portal.demo.people import Demo
from portal.demo.people.names import FIRST, LAST

# Demo accounts with their records (e-mail → NIP, status, golongan, position name), DOMAIN §10.
RECORDS = {
    "admin.diskominfo@sinergi.example": (
        "197908222005021901",
        AsnStatus.PNS,
        "IV/a",
        "Kepala Bidang",
    ),
    "mentor.diskominfo@sinergi.example": (
        "199201052019031904",
        AsnStatus.PNS,
        "III/b",
        "Pranata Komputer",
    ),
    "mentor.bappeda@sinergi.example": (
        "198503142010012902",
        AsnStatus.PNS,
        "III/d",
        "Perencana",
    ),
    "asn.dinkes@sinergi.example": ("199004112023211906", AsnStatus.PPPK, "VII", "Pranata Komputer"),
    "asn.kecamatan@sinergi.example": (
        "198811302014121903",
        AsnStatus.PNS,
        "III/d",
        "Camat",
    ),
}


def _nip(rng: random.Random, used: set[str], gender: str) -> str:
    while True:
        birth = date(1968, 1, 1) + timedelta(days=rng.randrange(0, 365 * 32))
        tmt_year = birth.year + rng.randint(23, 33)
        nip = (
            f"{birth:%Y%m%d}{tmt_year:04d}{rng.randint(1, 12):02d}{gender}"
            f"{rng.randint(901, 999):03d}"
        )
        if nip not in used and tmt_year <= 2025:
            used.add(nip)
            return nip


def add_position(agency, spec: tuple, competencies: list, jenjang: dict) -> Position:
    """A position of :mod:`jabatan` in the OPD, with the field and pembina of its jabatan and the
    suggested standard over ``competencies`` (levels from ``jenjang`` for a JF)."""
    name, kind, level, _count = spec
    field, pembina = standards.jabatan_profile(name, kind, agency)
    position = Position(
        name=name,
        kind=kind,
        jenjang=level,
        agency_id=agency.id,
        field=field,
        pembina=pembina,
    )
    db.session.add(position)
    services.default_standard(position, competencies, jenjang=jenjang)
    return position


def assessed_level(rng: random.Random, required: int) -> int:
    """A level from 1 to 5 around the ``required`` one, more often below it than above."""
    return max(1, min(5, required + rng.choice((-2, -1, -1, 0, 0, 0, 1))))


def _old_nips(profiles: list[AsnProfile]) -> None:
    """Those appointed before Perka BKN 22/2007 have the old 9-digit NIP as well (SIASN
    ``nipLama``); from a random source of its own, so the rest of the demo stays as it was."""
    rng = random.Random(22_2007)  # noqa: S311  (deterministic demo data, not security)
    for profile in profiles:
        if int(profile.nip[8:12]) < 2007:
            profile.nip_lama = f"{rng.randint(10_000_000, 199_999_999):09d}"


def seed(demo: Demo) -> dict[str, int]:
    """Add the competency demo (after the people) to the session; returns counts."""
    agencies, users_by_email, password_hash = demo.agencies, demo.people, demo.password_hash
    rng = random.Random(38_2017)  # noqa: S311  (deterministic demo data, not security)
    competencies = list(services.seed_catalogue(agencies).values())
    levels = standards.jenjang_levels()
    positions: dict[tuple[int, str], Position] = {}
    specs: dict[int, tuple] = {}
    for agency in agencies.values():
        for spec in jabatan.positions_for(agency):
            positions[(agency.id, spec[0])] = add_position(agency, spec, competencies, levels)
    db.session.flush()
    for agency in agencies.values():
        for spec in jabatan.positions_for(agency):
            specs[positions[(agency.id, spec[0])].id] = spec

    used: set[str] = set()
    profiles = []
    for email, (nip, status, golongan, position_name) in RECORDS.items():
        user = users_by_email[email]
        agency_id = user.agency_id or user.admin_agency_id
        used.add(nip)
        profiles.append(
            AsnProfile(
                user_id=user.id,
                nip=nip,
                status=status,
                golongan=golongan,
                agency_id=agency_id,
                position_id=positions[(agency_id, position_name)].id,
            )
        )
    db.session.add_all(profiles)
    db.session.flush()

    generated = []
    for agency in agencies.values():
        for name, _kind, _jenjang, count in jabatan.positions_for(agency):
            for _ in range(count):
                full_name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                n = len(generated) + 1
                user = User(
                    email=f"asn{n:04d}@demo.sinergi.example",
                    full_name=full_name,
                    password_hash=password_hash,
                    agency_id=agency.id,
                )
                user.set_roles([Role.ASN])
                db.session.add(user)
                generated.append((user, agency, name))
    db.session.flush()

    by_agency_head: dict[int, AsnProfile] = {}
    for user, agency, name in generated:
        position = positions[(agency.id, name)]
        _name, kind, level, _count = specs[position.id]
        profile = AsnProfile(
            user_id=user.id,
            nip=_nip(rng, used, jabatan.gender_digit(user.full_name)),
            status=AsnStatus.PNS,
            golongan=jabatan.golongan(rng, kind, level, pppk=False),
            agency_id=agency.id,
            position_id=position.id,
        )
        profiles.append(profile)
        db.session.add(profile)
    db.session.flush()
    _old_nips(profiles[-len(generated) :])
    for profile in profiles:  # the second position (Sekretaris …) heads the OPD's units
        agency = next(a for a in agencies.values() if a.id == profile.agency_id)
        if specs[profile.position_id][0] == jabatan.supervisor(agency):
            by_agency_head.setdefault(profile.agency_id, profile)
    units = jabatan.supervisors_by_unit(
        [(p.id, p.agency_id, specs[p.position_id][1]) for p in profiles[-len(generated) :]],
        {agency_id: head.id for agency_id, head in by_agency_head.items()},
    )
    for profile in profiles:
        head = by_agency_head.get(profile.agency_id)
        if head is not None and head.id != profile.id:
            profile.supervisor_id = units.get(profile.id, head.id)

    standard_of = {p.id: p.standard for p in positions.values()}
    current = {c.id: c.current_version_id for c in competencies}
    assessments = 0
    for profile in profiles:
        items = standard_of[profile.position_id]
        for method, when in (
            (
                rng.choice(sorted(OFFICIAL_METHODS)),
                date(2025, rng.randint(1, 12), rng.randint(1, 28)),
            ),
            (AssessmentMethod.SELF_ASSESSMENT, date(2026, rng.randint(1, 10), rng.randint(1, 28))),
        ):
            results = [
                AssessmentResult(
                    competency_id=i.competency_id,
                    version_id=current[i.competency_id],
                    level=assessed_level(rng, i.required_level),
                )
                for i in items
            ]
            db.session.add(
                Assessment(
                    asn_id=profile.id,
                    assessed_on=when,
                    method=method,
                    is_official=method.is_official,
                    assessor="UPT Penilaian Kompetensi BKPSDM" if method.is_official else "—",
                    results=results,
                )
            )
            assessments += 1
    db.session.flush()
    return {
        "competencies": len(competencies),
        "positions": len(positions),
        "asn records": len(profiles),
        "assessments": assessments,
    }
