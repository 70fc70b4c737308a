"""Fictional Medan demo data (DOMAIN.md §7 and §10): real institution names, invented people.

Every person here is fictional; NIM values are synthetic. Loaded only into an empty database.
"""

from __future__ import annotations

from portal.auth import passwords
from portal.auth.models import AccountStatus, Role, User
from portal.db import db, utcnow
from portal.demo import competency as competency_demo
from portal.demo import curricula as curricula_demo
from portal.demo import internships as internships_demo
from portal.demo import trainings as trainings_demo
from portal.institutions.models import Agency, AgencyKind, University

DEMO_PASSWORD = "Sinergi-Medan-2026"  # noqa: S105  (documented demo password, demo data only)

UNIVERSITIES = [
    ("Universitas Sumatera Utara", "USU"),
    ("Universitas Negeri Medan", "UNIMED"),
    ("Universitas Islam Negeri Sumatera Utara", "UINSU"),
    ("Universitas Muhammadiyah Sumatera Utara", "UMSU"),
    ("Politeknik Negeri Medan", "POLMED"),
    ("Universitas Medan Area", "UMA"),
]

AGENCIES = [
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", AgencyKind.BADAN),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", AgencyKind.DINAS),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", AgencyKind.BADAN),
    ("Dinas Kesehatan", "Dinkes", AgencyKind.DINAS),
    ("Dinas Pendidikan dan Kebudayaan", "Disdikbud", AgencyKind.DINAS),
    ("Dinas Kependudukan dan Catatan Sipil", "Disdukcapil", AgencyKind.DINAS),
    ("Dinas Perhubungan", "Dishub", AgencyKind.DINAS),
    ("RSUD dr. Pirngadi", "RSUD Pirngadi", AgencyKind.RSUD),
    ("Kecamatan Medan Baru", "Kec. Medan Baru", AgencyKind.KECAMATAN),
    ("Sekretariat Daerah Kota Medan", "Setda", AgencyKind.SEKRETARIAT),
]

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


def load_demo_data() -> dict[str, int]:
    """Add the demo institutions and accounts to the session; the caller commits."""
    universities = {short: University(name=name, short_name=short) for name, short in UNIVERSITIES}
    agencies = {
        short: Agency(name=name, short_name=short, kind=kind) for name, short, kind in AGENCIES
    }
    db.session.add_all([*universities.values(), *agencies.values()])
    db.session.flush()
    password_hash = passwords.hash_password(DEMO_PASSWORD)
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
    counts.update(competency_demo.load(agencies, {u.email: u for u in users}, password_hash))
    counts.update(curricula_demo.seed(universities, agencies, {u.email: u for u in users}))
    counts.update(
        internships_demo.seed(universities, agencies, {u.email: u for u in users}, password_hash)
    )
    counts.update(trainings_demo.seed(agencies, {u.email: u for u in users}, password_hash))
    return counts
