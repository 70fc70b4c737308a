"""Institutions and people of the city-scale data: all 40 OPD and 15 universities (real names,
the ones the small demo lacks), an admin per new OPD, two staff (DPL) per university, the ASN
accounts (their records are in :mod:`portal.demo.competency.city`) and verified students. All
fictional people."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.demo.city import EMAIL_DOMAIN, City, stamp
from portal.demo.people.institutions import AGENCIES, UNIVERSITIES
from portal.demo.people.names import FIRST, LAST
from portal.institutions.models import Agency, University

PROGRAMMES = [
    "S1 Ilmu Komputer",
    "S1 Teknologi Informasi",
    "S1 Ilmu Administrasi Publik",
    "S1 Manajemen",
    "S1 Akuntansi",
    "S1 Ilmu Hukum",
    "S1 Kesehatan Masyarakat",
    "S1 Perencanaan Wilayah dan Kota",
    "S1 Statistika",
    "D3 Administrasi Bisnis",
    "S1 Ilmu Komunikasi",
    "S1 Teknik Sipil",
    "S1 Pendidikan Ekonomi",
    "S1 Psikologi",
]
#: Relative size of an OPD's workforce (teachers and health workers dominate a city's ASN).
BIG = {"Disdikbud": 12, "Dinkes": 6, "RSUD Pirngadi": 3, "RSUD Bachtiar Djafar": 2}
STAFF_PER_UNIVERSITY = 2


def _name(city: City) -> str:
    return f"{city.rng.choice(FIRST)} {city.rng.choice(LAST)}"


def institutions(city: City) -> None:
    """Add the universities and OPD of :mod:`institutions` that the database lacks."""
    have = {a.short_name for a in db.session.scalars(sa.select(Agency))}
    new = [Agency(name=n, short_name=s, kind=k) for n, s, k in AGENCIES if s not in have]
    have_u = {u.short_name for u in db.session.scalars(sa.select(University))}
    new_u = [University(name=n, short_name=s) for n, s in UNIVERSITIES if s not in have_u]
    db.session.add_all([*new, *new_u])
    db.session.flush()
    city.counts["agencies"], city.counts["universities"] = len(new), len(new_u)
    city.agencies = list(db.session.scalars(sa.select(Agency).order_by(Agency.id)))
    city.universities = list(db.session.scalars(sa.select(University).order_by(University.id)))


class _Users:
    """Collects user and role rows with ids assigned up front."""

    def __init__(self, city: City):
        self.city, self.users, self.roles = city, [], []

    def add(self, email: str, name: str, roles, **fields) -> int:
        city = self.city
        (user_id,) = city.ids(User.__table__, 1)
        made = city.moment(city.today - timedelta(days=400 + city.rng.randrange(300)))
        row = {
            "id": user_id,
            "email": email,
            "full_name": name,
            "password_hash": city.password_hash,
            "is_active": True,
            "status": AccountStatus.ACTIVE,
            "locale": "id",
            "university_id": None,
            "agency_id": None,
            "admin_agency_id": None,
            "nim": None,
            "study_programme": None,
            "verified_at": None,
            "verified_by_id": None,
            **stamp(made),
        }
        row.update(fields)
        self.users.append(row)
        self.roles.extend({"user_id": user_id, "role": role} for role in roles)
        return user_id

    def write(self) -> None:
        self.city.insert(User, self.users)
        self.city.insert(UserRole, self.roles)


def generate(city: City) -> None:
    """The city's institutions, admins, university staff, ASN accounts and students."""
    institutions(city)
    rng, users = city.rng, _Users(city)
    existing_admins = db.session.execute(
        sa.select(User.id, User.admin_agency_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.ADMIN)
        .order_by(User.id)
    ).all()
    for user_id, scope in existing_admins:
        if scope is None and city.city_admin_id is None:
            city.city_admin_id = user_id
        elif scope is not None:
            city.opd_admin.setdefault(scope, user_id)
    for number, agency in enumerate(city.agencies, start=1):
        if agency.id not in city.opd_admin:
            city.opd_admin[agency.id] = users.add(
                f"admin{number:02d}@{EMAIL_DOMAIN}",
                _name(city),
                [Role.ADMIN],
                admin_agency_id=agency.id,
            )
    for university in city.universities:
        short = "".join(c for c in university.short_name.lower() if c.isalnum())
        city.staff[university.id] = [
            users.add(
                f"dpl{k}.{short}@{EMAIL_DOMAIN}",
                f"Dr. {_name(city)}, M.Si.",
                [Role.UNIVERSITY],
                university_id=university.id,
            )
            for k in range(1, STAFF_PER_UNIVERSITY + 1)
        ]

    weights = [BIG.get(a.short_name, 1) for a in city.agencies]
    count = city.n("asn")
    # Every OPD gets one ASN before the rest are spread by size, so each OPD has a workforce.
    homes = list(city.agencies[:count]) + rng.choices(
        city.agencies, weights=weights, k=max(0, count - len(city.agencies))
    )
    for number, agency in enumerate(homes, start=1):
        user_id = users.add(
            f"asn{number:05d}@{EMAIL_DOMAIN}", _name(city), [Role.ASN], agency_id=agency.id
        )
        city.asn.append({"user_id": user_id, "agency_id": agency.id, "number": number})

    for number in range(1, city.n("students") + 1):
        university = city.universities[(number - 1) % len(city.universities)]
        verified = city.moment(city.today - timedelta(days=300 + rng.randrange(200)))
        user_id = users.add(
            f"mhs{number:05d}@{EMAIL_DOMAIN}",
            _name(city),
            [Role.STUDENT],
            university_id=university.id,
            nim=f"{22 + number % 4}{university.id:02d}{number:06d}",
            study_programme=rng.choice(PROGRAMMES),
            verified_at=verified,
            verified_by_id=city.staff[university.id][0],
        )
        city.students.append({"user_id": user_id, "university_id": university.id})
    users.write()
