"""The small demo's accounts (DOMAIN.md §7 and §10): the institutions it holds and two accounts of
every role, plus two students waiting for their university. Every person here is fictional; NIM
values are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from portal.db import db, utcnow
from portal.demo.people.institutions import (
    AGENCIES,
    SMALL_AGENCIES,
    SMALL_UNIVERSITIES,
    UNIVERSITIES,
)
from portal.institutions.models import Agency, University

# (e-mail, full name, roles, university short name, agency short name, admin scope, extra)
PEOPLE = [
    (
        "admin@sinergi.example",
        "Putri Rahmadani Harahap, S.Sos.",
        [Role.ADMIN],
        None,
        None,
        None,
        {},
    ),
    (
        "admin.diskominfo@sinergi.example",
        "Rahmat Hidayat Lubis, S.Kom., M.Kom.",
        [Role.ADMIN],
        None,
        None,
        "Diskominfo",
        {},
    ),
    (
        "dosen.usu@sinergi.example",
        "Dr. M. Syahputra, M.Kom.",
        [Role.UNIVERSITY],
        "USU",
        None,
        None,
        {},
    ),
    (
        "dosen.unimed@sinergi.example",
        "Dr. E. Silalahi",
        [Role.UNIVERSITY],
        "UNIMED",
        None,
        None,
        {},
    ),
    (
        "mentor.diskominfo@sinergi.example",
        "Andi Wijaya, S.T.",
        [Role.MENTOR, Role.ASN],
        None,
        "Diskominfo",
        None,
        {},
    ),
    (
        "mentor.bappeda@sinergi.example",
        "Sri Wahyuni Nasution, S.E., M.Si.",
        [Role.MENTOR, Role.ASN],
        None,
        "Bappeda",
        None,
        {},
    ),
    (
        "mahasiswa.usu@sinergi.example",
        "Dinda Aulia Putri",
        [Role.STUDENT],
        "USU",
        None,
        None,
        {"nim": "211402901", "study_programme": "S1 Teknologi Informasi"},
    ),
    (
        "mahasiswa.unimed@sinergi.example",
        "Grace Natalia Simbolon",
        [Role.STUDENT],
        "UNIMED",
        None,
        None,
        {"nim": "4213351906", "study_programme": "S1 Pendidikan Ekonomi"},
    ),
    ("asn.dinkes@sinergi.example", "Yusuf Ginting, A.Md.", [Role.ASN], None, "Dinkes", None, {}),
    (
        "asn.kecamatan@sinergi.example",
        "Benny Sembiring, S.STP., M.AP.",
        [Role.ASN],
        None,
        "Kec. Medan Baru",
        None,
        {},
    ),
]

PENDING_STUDENTS = [
    (
        "rizky.unimed@sinergi.example",
        "Rizky Pratama Sitompul",
        "UNIMED",
        "1903090904",
        "S1 Ilmu Administrasi Publik",
    ),
    ("kevin.usu@sinergi.example", "Kevin Tanoto", "USU", "2105102905", "S1 Ilmu Komputer"),
]


@dataclass
class Demo:
    """What the small demo's people hand to the features that follow: the institutions by short
    name, the demo accounts by e-mail, the one password hash, and the counts written so far."""

    universities: dict[str, University]
    agencies: dict[str, Agency]
    accounts: list[User]
    password_hash: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def people(self) -> dict[str, User]:
        """The demo accounts by e-mail (a new dict each time: a feature may add its own)."""
        return {user.email: user for user in self.accounts}


def seed(password: str) -> Demo:
    """Add the demo institutions and accounts to the session (the caller commits)."""
    universities = {
        short: University(name=name, short_name=short)
        for name, short in UNIVERSITIES[:SMALL_UNIVERSITIES]
    }
    agencies = {
        short: Agency(name=name, short_name=short, kind=kind)
        for name, short, kind in AGENCIES[:SMALL_AGENCIES]
    }
    db.session.add_all([*universities.values(), *agencies.values()])
    db.session.flush()
    password_hash = passwords.hash_password(password)
    users = []
    for email, name, roles, uni, agency, scope, extra in PEOPLE:
        user = User(
            email=email,
            full_name=name,
            password_hash=password_hash,
            university_id=universities[uni].id if uni else None,
            agency_id=agencies[agency].id if agency else None,
            admin_agency_id=agencies[scope].id if scope else None,
            verified_at=utcnow() if Role.STUDENT in roles else None,
            **extra,
        )
        user.set_roles(roles)
        users.append(user)
    for email, name, uni, nim, programme in PENDING_STUDENTS:
        user = User(
            email=email,
            full_name=name,
            password_hash=password_hash,
            status=AccountStatus.PENDING,
            university_id=universities[uni].id,
            nim=nim,
            study_programme=programme,
        )
        user.set_roles([Role.STUDENT])
        users.append(user)
    db.session.add_all(users)
    db.session.flush()
    counts = {"universities": len(universities), "agencies": len(agencies), "users": len(users)}
    return Demo(universities, agencies, users, password_hash, counts)
