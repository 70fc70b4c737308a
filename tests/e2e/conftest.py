"""Fixtures of the browser suite: Debian's Chromium, a live server with real commits, and helpers.

Playwright's own browser download does not work on these machines (STACK.md §4), so the
``browser_type_launch_args`` fixture of pytest-playwright is overridden to launch
``/usr/bin/chromium``. Without that file the suite is skipped, unless
``PORTAL_REQUIRE_BROWSER=1`` is set (``make e2e``): then every e2e test fails.

The live server has its own app and SQLite file: the ``db``/``client`` fixtures of
tests/conftest.py roll every test back, while a browser needs data committed for real.
The competency journeys add their OPD, position, ASN records and admin through the
``competency_world`` fixture, on first use; the curricula journey its university, partner OPD,
accounts and competency through ``curricula_world``; the internship journey its university,
OPD, accounts and one published position of a running period through ``internship_world``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from werkzeug.serving import make_server

from portal import create_app
from portal.auth.models import Role
from portal.competency import services as competency_services
from portal.competency.models import AsnStatus, AssessmentMethod, CompetencyType, PositionKind
from portal.db import db
from tests.conftest import make_test_config
from tests.factories import PASSWORD, Factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER_ENV = "PORTAL_REQUIRE_BROWSER"
E2E_DIR = Path(__file__).resolve().parent

#: Time Playwright waits for an element or a navigation: a local server answers in milliseconds.
TIMEOUT_MS = 10_000


# --- No browser: skip, or fail when it is required -------------------------------------------


class BrowserMissing(pytest.Item):
    """Stands in for an e2e test when Chromium is required but absent: it fails, with the reason.

    (Failing from a fixture would report an *error* at setup, and would first try to start the
    live server and Playwright for nothing.)
    """

    def __init__(self, *, reason: str, **kwargs):
        super().__init__(**kwargs)
        self.reason = reason

    def runtest(self) -> None:
        pytest.fail(self.reason, pytrace=False)

    def reportinfo(self):
        return self.path, None, self.name


def _is_e2e(item: pytest.Item) -> bool:
    return Path(item.path).resolve().is_relative_to(E2E_DIR)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    required = os.environ.get(REQUIRE_BROWSER_ENV) == "1"
    reason = f"Chromium not found at {CHROMIUM} (install it: apt-get install chromium)"
    for index, item in enumerate(items):
        if not _is_e2e(item):
            continue
        if required:
            stand_in = BrowserMissing.from_parent(
                item.parent, name=item.name, reason=f"{reason}; {REQUIRE_BROWSER_ENV}=1 requires it"
            )
            stand_in.own_markers.extend(item.own_markers)  # -m e2e still selects it
            stand_in.keywords.update(item.keywords)  # and -k
            items[index] = stand_in
        else:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{reason}; set {REQUIRE_BROWSER_ENV}=1 to fail instead of skipping"
                )
            )


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A visitor in Medan: browser language Indonesian, clock in Asia/Jakarta."""
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@pytest.fixture
def new_person(new_context) -> Callable[[], object]:
    """A new browser (its own cookies) and page, as for another person on another computer."""

    def _open():
        context = new_context()
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        return context.new_page()

    return _open


# --- Live server ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    email: str
    full_name: str
    password: str = PASSWORD


@dataclass
class LiveServer:
    url: str
    app: Flask
    university_name: str
    university_short_name: str
    staff: Account
    responses: list[tuple[str, str, int]] = field(default_factory=list)


class RecordResponses:
    """WSGI middleware noting (method, path, status) of every response the server sends."""

    def __init__(self, wsgi_app, log: list):
        self.wsgi_app = wsgi_app
        self.log = log

    def __call__(self, environ, start_response):
        def _start_response(status, headers, exc_info=None):
            self.log.append(
                (
                    environ["REQUEST_METHOD"],
                    environ.get("PATH_INFO", ""),
                    int(status.split(" ", 1)[0]),
                )
            )
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, _start_response)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The portal on 127.0.0.1 (a free port) with a fresh SQLite file, USU and one USU staff user."""
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(
        make_test_config(
            "sqlite:///" + str(folder / "e2e.sqlite3"),
            UPLOAD_FOLDER=str(folder / "uploads"),
        )
    )
    staff = Account(email="rina.staf@usu.example.com", full_name="Rina Harahap")
    with app.app_context():
        db.create_all()
        make = Factories(db.session)
        usu = make.university(name="Universitas Sumatera Utara", short_name="USU")
        make.user(
            Role.UNIVERSITY,
            university=usu,
            email=staff.email,
            full_name=staff.full_name,
            password=staff.password,
        )
        db.session.commit()
        db.session.remove()

    responses: list[tuple[str, str, int]] = []
    server = make_server("127.0.0.1", 0, RecordResponses(app, responses), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(
            url=f"http://127.0.0.1:{server.server_port}",
            app=app,
            university_name="Universitas Sumatera Utara",
            university_short_name="USU",
            staff=staff,
            responses=responses,
        )
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """pytest-playwright gives it to every browser context: ``page.goto("/login")`` works."""
    return live_server.url


@pytest.fixture(autouse=True)
def no_server_errors(request):
    """After each e2e test: the live server answered no request with a 5xx status."""
    if "live_server" not in request.fixturenames:
        yield
        return
    server = request.getfixturevalue("live_server")
    start = len(server.responses)
    yield
    errors = [r for r in server.responses[start:] if r[2] >= 500]
    assert not errors, f"the live server answered with an error (see the captured log): {errors}"


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


@pytest.fixture(scope="session")
def competency_world(live_server) -> CompetencyWorld:
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
    with live_server.app.app_context():
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
            user = make.user(
                Role.ASN,
                agency=agency,
                email=seeded.account.email,
                full_name=seeded.account.full_name,
                password=seeded.account.password,
            )
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
        make.user(
            Role.ADMIN,
            email=world.admin.email,
            full_name=world.admin.full_name,
            password=world.admin.password,
        )
        db.session.commit()
        db.session.remove()
    return world


# --- Texts as the user sees them --------------------------------------------------------------


class Texts:
    """The portal's own catalogue for one language: ``t("Sign out")``, ``t.n(s, p, n)``.

    The tests expect what the app's translations say, so they follow the catalogue.
    """

    def __init__(self, app: Flask, language: str):
        self.app = app
        self.language = language

    def __call__(self, msgid: str, **variables) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            return gettext(msgid, **variables)

    def n(self, singular: str, plural: str, num: int, **variables) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            return ngettext(singular, plural, num, **variables)


@pytest.fixture(scope="session")
def texts(live_server) -> Callable[[str], Texts]:
    return lambda language: Texts(live_server.app, language)


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


@pytest.fixture(scope="session")
def curricula_world(live_server) -> CurriculaWorld:
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
    with live_server.app.app_context():
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
            make.user(
                *roles,
                email=account.email,
                full_name=account.full_name,
                password=account.password,
                **places,
            )
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


@pytest.fixture(scope="session")
def internship_world(live_server) -> InternshipWorld:
    """UINSU with a verified student and one staff user, BKPSDM with its OPD admin and an ASN
    mentor (mentee limit 10), and one published position of a running period: it started 10 days
    ago, ends in 10 days (so the evaluation is open: INTERNSHIP_EVALUATION_OPENS_DAYS is 14) and
    takes applications until tomorrow. The deadline after the start is what lets one run apply,
    accept and then log days already past; the position form would refuse it (deadline after the
    start), so it is set up here, not through the pages. Committed to the live server's database.
    """
    from portal.internships.models import MentorCapacity, WorkMode
    from portal.internships.services import local_today
    from tests.internship_factories import InternshipFactories

    with live_server.app.app_context():
        today = local_today()
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
    with live_server.app.app_context():
        make = Factories(db.session)
        imake = InternshipFactories(make)
        university = make.university(name=world.university_name, short_name="UINSU")
        agency = make.agency(name=world.agency_name, short_name=world.agency_short_name)
        make.user(
            Role.STUDENT,
            university=university,
            email=world.student.email,
            full_name=world.student.full_name,
            password=world.student.password,
            nim="0702212903",
            study_programme="S1 Sistem Informasi",
        )
        make.user(
            Role.UNIVERSITY,
            university=university,
            email=world.staff.email,
            full_name=world.staff.full_name,
            password=world.staff.password,
        )
        make.user(
            Role.ADMIN,
            admin_agency=agency,
            email=world.opd_admin.email,
            full_name=world.opd_admin.full_name,
            password=world.opd_admin.password,
        )
        mentor = make.user(
            Role.MENTOR,
            Role.ASN,
            agency=agency,
            email=world.mentor.email,
            full_name=world.mentor.full_name,
            password=world.mentor.password,
        )
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
