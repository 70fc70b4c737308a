"""The small demo's workforce: the seeded catalogue, positions with standards, a few hundred
fictional ASN with NIPs (serials 901–999, DOMAIN.md §10) and assessments, so the profiles and the
demand board show real clusters. Deterministic (fixed seed)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from portal.auth.models import Role, User
from portal.competency.assessments import services
from portal.competency.models import (
    OFFICIAL_METHODS,
    PNS_GOLONGAN,
    AsnProfile,
    AsnStatus,
    Assessment,
    AssessmentMethod,
    AssessmentResult,
    Position,
    PositionKind,
)
from portal.db import db
from portal.demo.people import Demo
from portal.demo.people.names import FIRST, LAST

# Positions per OPD: (name, kind, jenjang, how many generated ASN hold it)
POSITIONS = [
    ("Kepala", PositionKind.JPT_PRATAMA, None, 0),
    ("Sekretaris", PositionKind.ADMINISTRATOR, None, 1),
    ("Kepala Bidang", PositionKind.ADMINISTRATOR, None, 3),
    ("Kepala Subbagian Umum", PositionKind.PENGAWAS, None, 3),
    ("Analis Kebijakan", PositionKind.FUNGSIONAL, "Ahli Pertama", 6),
    ("Pranata Komputer", PositionKind.FUNGSIONAL, "Ahli Muda", 5),
    ("Pengadministrasi Perkantoran", PositionKind.PELAKSANA, None, 12),
]

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
        "Analis Kebijakan",
    ),
    "asn.dinkes@sinergi.example": ("199004112023211906", AsnStatus.PPPK, "VII", "Pranata Komputer"),
    "asn.kecamatan@sinergi.example": (
        "198811302014121903",
        AsnStatus.PNS,
        "III/d",
        "Kepala Bidang",
    ),
}


def _nip(rng: random.Random, used: set[str]) -> str:
    while True:
        birth = date(1968, 1, 1) + timedelta(days=rng.randrange(0, 365 * 32))
        tmt_year = birth.year + rng.randint(23, 33)
        nip = (
            f"{birth:%Y%m%d}{tmt_year:04d}{rng.randint(1, 12):02d}{rng.choice('12')}"
            f"{rng.randint(901, 999):03d}"
        )
        if nip not in used and tmt_year <= 2025:
            used.add(nip)
            return nip


def add_position(agency_id: int, spec: tuple, competencies: list) -> Position:
    """A position of ``POSITIONS`` in the OPD, with the default standard over ``competencies``."""
    name, kind, jenjang, _count = spec
    position = Position(name=name, kind=kind, jenjang=jenjang, agency_id=agency_id)
    db.session.add(position)
    db.session.flush()
    services.default_standard(position, competencies)
    return position


def assessed_level(rng: random.Random, required: int) -> int:
    """A level from 1 to 5 around the ``required`` one, more often below it than above."""
    return max(1, min(5, required + rng.choice((-2, -1, -1, 0, 0, 0, 1))))


def seed(demo: Demo) -> dict[str, int]:
    """Add the competency demo (after the people) to the session; returns counts."""
    agencies, users_by_email, password_hash = demo.agencies, demo.people, demo.password_hash
    rng = random.Random(38_2017)  # noqa: S311  (deterministic demo data, not security)
    competencies = list(services.seed_catalogue(agencies).values())
    positions: dict[tuple[int, str], Position] = {}
    for agency in agencies.values():
        for spec in POSITIONS:
            positions[(agency.id, spec[0])] = add_position(agency.id, spec, competencies)
    db.session.flush()

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
        for name, _kind, _jenjang, count in POSITIONS:
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
        profile = AsnProfile(
            user_id=user.id,
            nip=_nip(rng, used),
            status=AsnStatus.PNS,
            golongan=rng.choice(list(PNS_GOLONGAN)[8:14]),
            agency_id=agency.id,
            position_id=positions[(agency.id, name)].id,
        )
        profiles.append(profile)
        db.session.add(profile)
    db.session.flush()
    for profile in profiles:  # the Sekretaris supervises the others of the same OPD
        position = next(p for p in positions.values() if p.id == profile.position_id)
        if position.name == "Sekretaris":
            by_agency_head.setdefault(profile.agency_id, profile)
    for profile in profiles:
        head = by_agency_head.get(profile.agency_id)
        if head is not None and head.id != profile.id:
            profile.supervisor_id = head.id

    standards = {p.id: p.standard for p in positions.values()}
    current = {c.id: c.current_version_id for c in competencies}
    assessments = 0
    for profile in profiles:
        items = standards[profile.position_id]
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
