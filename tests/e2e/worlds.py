"""The worlds of the browser journeys: what each journey needs committed to the live server's
database before its first browser opens, and the names the journey then looks for on the pages.

Each journey's world lives here: a frozen dataclass saying who and what is there (accounts with
their passwords, places, dates) and a ``seed_…_world(app)`` function that commits it and returns
it. conftest.py turns each into a session-scoped fixture, so a world is made on first use, once
per run. A new journey adds its world the same way, in its own section below:

- ``seed_registration_world``: USU and one of its staff, made with the live server (the student
  journey, test_journey.py, reads them from the ``live_server`` fixture);
- ``seed_competency_world``: Diskominfo, a position with its standard, ASN records and a city
  admin (``competency_world``, test_competency_journey.py);
- ``seed_curricula_world``: UNIMED, Disdukcapil with its OPD admin and an ASN, a city admin and a
  competency (``curricula_world``, test_curricula_journey.py);
- ``seed_internship_world``: UINSU with a student and a staff user, BKPSDM with its OPD admin and a
  mentor, and one published position of a running period (``internship_world``,
  test_internship_journey.py);
- ``seed_training_world`` (in worlds_trainings.py): DLH with an ASN and her direct supervisor, a
  UMSU lecturer as the facilitator, a city admin, and an open batch of a published curriculum
  whose one session runs now, with its post-test (``training_world``, test_training_journey.py).

A world holds what its journey starts from (accounts, reference data, and what the pages could
not make, like an official assessment or a position whose dates are already running); what the
journey is about is done through the pages. Every ``seed_…`` function takes the live server's app,
works in its own app context and leaves no session behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask

from portal.auth.models import Role
from portal.competency.assessments import services as competency_services
from portal.competency.models import AsnStatus, AssessmentMethod, CompetencyType, PositionKind
from portal.db import db
from portal.util import clock
from tests.support.factories import PASSWORD, Factories


@dataclass(frozen=True)
class Account:
    """Someone who signs in: the e-mail and password to type, the name the pages show."""

    email: str
    full_name: str
    password: str = PASSWORD


def account_user(make: Factories, account: Account, *roles: Role, **fields):
    """The user who signs in as ``account`` (its e-mail, name and password), with ``roles``."""
    return make.user(
        *roles,
        email=account.email,
        full_name=account.full_name,
        password=account.password,
        **fields,
    )


# --- Registration: a university and one of its staff (made with the live server) --------------


@dataclass(frozen=True)
class RegistrationWorld:
    university_name: str
    university_short_name: str
    staff: Account  # verifies the students who register


def seed_registration_world(app: Flask) -> RegistrationWorld:
    """USU and one USU staff user: the university a student registers with, and who verifies her."""
    world = RegistrationWorld(
        university_name="Universitas Sumatera Utara",
        university_short_name="USU",
        staff=Account(email="rina.staf@usu.example.com", full_name="Rina Harahap"),
    )
    with app.app_context():
        make = Factories(db.session)
        usu = make.university(name=world.university_name, short_name=world.university_short_name)
        account_user(make, world.staff, Role.UNIVERSITY, university=usu)
        db.session.commit()
        db.session.remove()
    return world


# --- Competency profiles: an OPD, a position with its standard, ASN records, a city admin ----


@dataclass(frozen=True)
class SeededCompetency:
    name: str
    code: str
    required: int  # the level the position requires
    official: int  # the level of the official assessment (assessment center)


@dataclass(frozen=True)
class SeededAsn:
    account: Account
    nip: str
    golongan: str


@dataclass(frozen=True)
class CompetencyWorld:
    agency_name: str
    agency_short_name: str
    position_name: str
    competencies: tuple[SeededCompetency, ...]
    asn: SeededAsn  # has the position and an official assessment with gaps
    roster_asn: SeededAsn  # no position yet: the roster import updates this record
    admin: Account  # city-wide administrator (no OPD)


def seed_competency_world(app: Flask) -> CompetencyWorld:
    """Diskominfo with a position whose standard has three competencies, an ASN holding it with
    an official assessment below the standard in two of them, a second ASN record without a
    position, and a city-wide administrator. Committed to the live server's database."""
    world = CompetencyWorld(
        agency_name="Dinas Komunikasi dan Informatika",
        agency_short_name="Diskominfo",
        position_name="Pranata Komputer",
        competencies=(
            SeededCompetency("Integritas", "M.1", required=3, official=3),
            SeededCompetency("Perekat Bangsa", "SK.1", required=2, official=1),
            SeededCompetency("Keamanan Informasi", "T.KOMINFO.1", required=3, official=2),
        ),
        asn=SeededAsn(
            Account(
                email="nurhayati.harahap@pemkomedan.example.com", full_name="Nurhayati Harahap"
            ),
            nip="198805202012032001",
            golongan="III/c",
        ),
        roster_asn=SeededAsn(
            Account(email="budi.tarigan@pemkomedan.example.com", full_name="Budi Santoso Tarigan"),
            nip="198703152010011003",
            golongan="III/b",
        ),
        admin=Account(email="fajar.pohan@pemkomedan.example.com", full_name="Fajar Pohan"),
    )
    types = {"M": CompetencyType.MANAGERIAL, "SK": CompetencyType.SOCIO_CULTURAL}
    with app.app_context():
        make = Factories(db.session)
        agency = make.agency(name=world.agency_name, short_name=world.agency_short_name)
        competencies = [
            make.competency(
                type=types.get(c.code.split(".")[0], CompetencyType.TECHNICAL),
                agency=agency,
                name=c.name,
                code=c.code,
            )
            for c in world.competencies
        ]
        position = make.position(
            agency=agency,
            kind=PositionKind.FUNGSIONAL,
            jenjang="Ahli Muda",
            name=world.position_name,
            competencies=competencies,
        )
        required = {c.id: s.required for c, s in zip(competencies, world.competencies, strict=True)}
        for item in position.standard:
            item.required_level = required[item.competency_id]
        profiles = {}
        for seeded, held in ((world.asn, position), (world.roster_asn, None)):
            user = account_user(make, seeded.account, Role.ASN, agency=agency)
            profiles[seeded.nip] = make.asn_profile(
                user,
                position=held,
                nip=seeded.nip,
                status=AsnStatus.PNS,
                golongan=seeded.golongan,
            )
        competency_services.record_assessment(
            profiles[world.asn.nip],
            actor=None,
            method=AssessmentMethod.ASSESSMENT_CENTER,
            assessed_on=date(2025, 11, 20),
            assessor="UPT Penilaian Kompetensi BKPSDM Kota Medan",
            levels={
                c.id: s.official for c, s in zip(competencies, world.competencies, strict=True)
            },
        )
        account_user(make, world.admin, Role.ADMIN)
        db.session.commit()
        db.session.remove()
    return world


# --- Co-designed curricula: a university, a partner OPD with its admin, a city admin, an ASN ---


@dataclass(frozen=True)
class CurriculaWorld:
    university_name: str
    agency_name: str
    agency_short_name: str
    competency_name: str
    competency_code: str
    proposer: Account  # university staff: drafts the proposal (lead author)
    reviewer: Account  # admin of the partner OPD: the agency side of the review
    admin: Account  # city-wide administrator: publishes
    learner: Account  # an ASN of the partner OPD: rates and flags a material


def seed_curricula_world(app: Flask) -> CurriculaWorld:
    """UNIMED with one staff user, Disdukcapil with its OPD admin and an ASN, a city-wide admin
    and one technical competency: only accounts and reference data, the journey makes the rest.
    Committed to the live server's database."""
    world = CurriculaWorld(
        university_name="Universitas Negeri Medan",
        agency_name="Dinas Kependudukan dan Pencatatan Sipil",
        agency_short_name="Disdukcapil",
        competency_name="Pelayanan Administrasi Kependudukan",
        competency_code="T.DUKCAPIL.1",
        proposer=Account(
            email="lestari.simanjuntak@unimed.example.com", full_name="Lestari Simanjuntak"
        ),
        reviewer=Account(
            email="hendra.sitompul@pemkomedan.example.com", full_name="Hendra Sitompul"
        ),
        admin=Account(email="rahmat.lubis@pemkomedan.example.com", full_name="Rahmat Lubis"),
        learner=Account(email="yusuf.batubara@pemkomedan.example.com", full_name="Yusuf Batubara"),
    )
    with app.app_context():
        make = Factories(db.session)
        university = make.university(name=world.university_name, short_name="UNIMED")
        agency = make.agency(name=world.agency_name, short_name=world.agency_short_name)
        make.competency(
            type=CompetencyType.TECHNICAL,
            agency=agency,
            name=world.competency_name,
            code=world.competency_code,
        )
        for account, roles, places in (
            (world.proposer, (Role.UNIVERSITY,), {"university": university}),
            (world.reviewer, (Role.ADMIN,), {"admin_agency": agency}),
            (world.admin, (Role.ADMIN,), {}),
            (world.learner, (Role.ASN,), {"agency": agency}),
        ):
            account_user(make, account, *roles, **places)
        db.session.commit()
        db.session.remove()
    return world


# --- Internships: a university with its staff (the DPL), a student, an OPD with admin and mentor -


@dataclass(frozen=True)
class InternshipWorld:
    university_name: str
    agency_name: str
    agency_short_name: str
    period_name: str
    position_title: str
    position_unit: str
    today: date  # in Medan (WIB), when the world was made; the dates below count from it
    starts_on: date  # the position's (and so the placement's) dates
    ends_on: date
    deadline: date
    student: Account  # verified student of the university
    staff: Account  # university staff: endorses, names herself the DPL, gives the academic score
    opd_admin: Account  # admin of the OPD: makes the offer
    mentor: Account  # ASN of the OPD, the position's only mentor


def seed_internship_world(app: Flask) -> InternshipWorld:
    """UINSU with a verified student and one staff user, BKPSDM with its OPD admin and an ASN
    mentor (mentee limit 10), and one published position of a running period: it started 10 days
    ago, ends in 10 days (so the evaluation is open: INTERNSHIP_EVALUATION_OPENS_DAYS is 14) and
    takes applications until tomorrow. The deadline after the start is what lets one run apply,
    accept and then log days already past; the position form would refuse it (deadline after the
    start), so it is set up here, not through the pages. Committed to the live server's database.
    """
    from portal.internships.models import MentorCapacity, WorkMode

    with app.app_context():
        today = clock.today()
    world = InternshipWorld(
        university_name="Universitas Islam Negeri Sumatera Utara",
        agency_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        agency_short_name="BKPSDM",
        period_name="Magang Semester Ganjil 2026",
        position_title="Asisten Analis Pengembangan Kompetensi ASN",
        position_unit="Bidang Pengembangan Kompetensi",
        today=today,
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=10),
        deadline=today + timedelta(days=1),
        student=Account(
            email="siti.daulay@students.uinsu.example.com", full_name="Siti Khadijah Daulay"
        ),
        staff=Account(email="nurhalimah.rambe@uinsu.example.com", full_name="Nurhalimah Rambe"),
        opd_admin=Account(email="irwan.siregar@pemkomedan.example.com", full_name="Irwan Siregar"),
        mentor=Account(
            email="putri.harahap@pemkomedan.example.com", full_name="Putri Rahmadani Harahap"
        ),
    )
    with app.app_context():
        make = Factories(db.session)
        imake = make.internships
        university = make.university(name=world.university_name, short_name="UINSU")
        agency = make.agency(name=world.agency_name, short_name=world.agency_short_name)
        account_user(
            make,
            world.student,
            Role.STUDENT,
            university=university,
            nim="0702212903",
            study_programme="S1 Sistem Informasi",
        )
        account_user(make, world.staff, Role.UNIVERSITY, university=university)
        account_user(make, world.opd_admin, Role.ADMIN, admin_agency=agency)
        mentor = account_user(make, world.mentor, Role.MENTOR, Role.ASN, agency=agency)
        db.session.add(MentorCapacity(user_id=mentor.id, mentee_limit=10, active_mentees=0))
        period = imake.period(
            name=world.period_name,
            starts_on=world.starts_on - timedelta(days=20),
            ends_on=world.ends_on + timedelta(days=60),
        )
        imake.position(
            agency,
            period=period,
            mentors=[mentor],
            quota=3,
            title=world.position_title,
            unit=world.position_unit,
            description="Membantu analisis kebutuhan pelatihan ASN dan penyusunan laporan JP.",
            tasks="Menginput riwayat diklat ke format SIASN\nMenyusun rekap JP per OPD",
            wanted_majors="Sistem Informasi, Teknologi Informasi",
            wanted_skills="Excel, analisis data",
            starts_on=world.starts_on,
            ends_on=world.ends_on,
            application_deadline=world.deadline,
            location="Jl. Kapten Maulana Lubis No. 2, Medan",
            mode=WorkMode.ON_SITE,
        )
        db.session.commit()
        db.session.remove()
    return world
