"""Trainings demo data: batches of the two published curricula in every phase (completed long
enough ago for the L3 forms, completed recently, running this week, open for registration),
registrations decided by the real supervisors, pre- and post-tests, attendance, completion with
certificates and JP credits, and external development records submitted, verified or rejected,
so that ledgers are ahead of and behind the target. The evaluation (L1, RTL, L3) and recognition
are in :mod:`evaluation`.

Everything goes through the services, as the pages would do it, with past moments passed as
``now``. Deterministic (fixed seed); dates are counted from today. The demo supervisor
``atasan.dinkes@sinergi.example`` approves the registrations of ``asn.dinkes``; their
registration for the upcoming batch of the second curriculum still waits for that decision.
"""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from portal.auth.models import Role, User
from portal.competency.models import AsnProfile, AsnStatus, Position
from portal.curricula.models import Curriculum, CurriculumState
from portal.db import db, utcnow
from portal.demo.pdf import pdf_bytes
from portal.demo.people import Demo
from portal.demo.trainings.evaluation import Evaluation
from portal.notify import as_history
from portal.trainings.attendance import completion
from portal.trainings.attendance import services as attendance_services
from portal.trainings.batches import services as batch_services
from portal.trainings.common import supervisor_user
from portal.trainings.ledger import conversion, schedule
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from portal.trainings.quizzes.models import QuizKind
from portal.trainings.quizzes.services import post_test_checker
from portal.trainings.registrations import services as registration_services
from portal.util import clock

SUPERVISOR = (
    "atasan.dinkes@sinergi.example",
    "dr. Rosmawati Siregar, M.K.M.",
    "197506122000032901",
    "IV/a",
    "Kepala Bidang",
)

# (phase, days from today to the first session, capacity, participants, demo accounts). The
# sessions, one a day, add up to the curriculum's JP (``schedule.days_for``): a batch credits the
# JP its schedule earns, so the demo's schedules earn the whole curriculum.
PHASES = [
    ("past", -130, 20, 16, ("asn.kecamatan@sinergi.example",)),
    ("recent", -24, 20, 14, ("asn.dinkes@sinergi.example",)),
    ("running", -1, 15, 10, ("mentor.bappeda@sinergi.example",)),
    ("upcoming", 21, 5, 9, ()),
]
TITLES = {
    "past": "Angkatan I",
    "recent": "Angkatan II",
    "running": "Angkatan III",
    "upcoming": "Angkatan IV",
}
START = time(8, 0)  # sessions start at 08:00 WIB (e-learning at 09:00, online)
E_LEARNING_START = time(9, 0)
PLACE = "Aula BKPSDM Kota Medan, Jl. Kapten Maulana Lubis"
E_LEARNING_LINK = "https://elearning.bkpsdm.pemkomedan.go.id/kelas/{id}"

# External development records: (form, scope, title, organiser, days ago, quantity, outcome)
EXTERNAL = [
    (
        "seminar",
        "national",
        "Seminar Nasional Transformasi Digital Pemerintahan",
        "Kementerian PANRB",
        60,
        1,
        "verified",
    ),
    (
        "workshop",
        "national",
        "Workshop Penyusunan SKP Berbasis Kinerja",
        "BKN Kanreg VI Medan",
        45,
        2,
        "verified",
    ),
    (
        "e_learning",
        "national",
        "E-learning Manajemen ASN (ASN Unggul)",
        "LAN RI",
        30,
        10,
        "submitted",
    ),
    (
        "coaching",
        "national",
        "Coaching Kepemimpinan Pengawas",
        "BPSDM Provinsi Sumatera Utara",
        20,
        4,
        "rejected",
    ),
    (
        "seminar",
        "international",
        "ASEAN Smart Cities Network Forum",
        "ASCN Secretariat",
        75,
        1,
        "verified",
    ),
]


class _Builder:
    def __init__(self, agencies: dict, people: dict, password_hash: str, rng: random.Random):
        self.agencies, self.people, self.rng = agencies, people, rng
        self.password_hash = password_hash
        self.today = utcnow().date()
        self.admin = people["admin@sinergi.example"]
        self.counts = {
            "training batches": 0,
            "training registrations": 0,
            "attendance records": 0,
            "JP ledger records": 0,
        }

    def supervisor(self) -> None:
        """The demo supervisor of ``asn.dinkes`` (a Kepala Bidang at Dinkes)."""
        email, name, nip, golongan, position_name = SUPERVISOR
        agency = self.agencies["Dinkes"]
        user = User(
            email=email, full_name=name, password_hash=self.password_hash, agency_id=agency.id
        )
        user.set_roles([Role.ASN])
        db.session.add(user)
        db.session.flush()
        position = db.session.scalar(
            sa.select(Position).where(
                Position.agency_id == agency.id, Position.name == position_name
            )
        )
        profile = AsnProfile(
            user_id=user.id,
            nip=nip,
            status=AsnStatus.PNS,
            golongan=golongan,
            agency_id=agency.id,
            position_id=position.id,
        )
        db.session.add(profile)
        db.session.flush()
        asn = self.profile(self.people["asn.dinkes@sinergi.example"])
        asn.supervisor_id = profile.id
        self.people[email] = user

    def profile(self, user: User) -> AsnProfile:
        return db.session.scalar(sa.select(AsnProfile).where(AsnProfile.user_id == user.id))

    def pool(self) -> list[AsnProfile]:
        """Generated ASN with a supervisor, in a stable order."""
        return list(
            db.session.scalars(
                sa.select(AsnProfile)
                .join(User, User.id == AsnProfile.user_id)
                .where(
                    User.email.like("asn%@demo.sinergi.example"),
                    AsnProfile.supervisor_id.is_not(None),
                )
                .order_by(AsnProfile.id)
            )
        )

    def moment(self, day: date, at: time) -> datetime:
        return clock.local_moment(day, at)

    def batch(self, curriculum: Curriculum, phase: str, spec, participants) -> TrainingBatch:
        _phase, offset, capacity, _n, _accounts = spec
        first = self.today + timedelta(days=offset)
        opens = self.moment(first - timedelta(days=30), time(8, 0))
        closes = self.moment(first - timedelta(days=2), time(16, 0))
        facilitators = [
            self.people["dosen.usu@sinergi.example"],
            self.people["dosen.unimed@sinergi.example"],
        ]
        batch = batch_services.schedule_batch(
            curriculum,
            actor=self.admin,
            capacity=capacity,
            title=f"{curriculum.title} — {TITLES[phase]}",
            registration_opens_at=opens,
            registration_closes_at=closes,
            facilitators=facilitators[: 1 + (phase != "past")],
        )
        form = schedule.curriculum_form(curriculum.mode, getattr(curriculum, "training_type", None))
        online = form == "e_learning"
        start = E_LEARNING_START if online else START
        for day, minutes in enumerate(schedule.days_for(curriculum.total_jp, form)):
            batch_services.add_session(
                batch,
                actor=self.admin,
                on=first + timedelta(days=day),
                starts=start,
                ends=(datetime.combine(first, start) + timedelta(minutes=minutes)).time(),
                place=None if online else PLACE,
                online_link=E_LEARNING_LINK.format(id=batch.id) if online else None,
            )
        batch_services.open_batch(batch, actor=self.admin)
        self.counts["training batches"] += 1
        self.enrol(batch, participants, at=opens + timedelta(days=3))
        if phase != "upcoming":
            batch_services.close_batch(batch, actor=self.admin)
        return batch

    def enrol(self, batch: TrainingBatch, participants, *, at: datetime) -> None:
        """Each participant registers; the supervisor decides a day later (one in seven is
        declined, the last two of the upcoming batch still wait)."""
        for index, asn in enumerate(participants):
            user = db.session.get(User, asn.user_id)
            when = at + timedelta(hours=index)
            registration = registration_services.register(batch, actor=user, now=when)
            self.counts["training registrations"] += 1
            if batch.capacity < 10 and index >= len(participants) - 2:
                continue
            boss = supervisor_user(registration)
            if index % 7 == 6:
                registration_services.decline(
                    registration,
                    actor=boss,
                    now=when + timedelta(days=1),
                    reason="Beban kerja bidang sedang tinggi bulan ini.",
                )
            else:
                registration_services.approve(
                    registration, actor=boss, now=when + timedelta(days=1)
                )

    def attend(self, batch: TrainingBatch, *, until: datetime, always=frozenset()) -> None:
        """The first facilitator marks the sessions that have started; most come (the users in
        ``always`` every time)."""
        enrolled = [r for r in self.registrations(batch) if r.state == RegistrationState.ENROLLED]
        marker = batch.facilitators[0]
        for session in batch.sessions:
            if session.starts_at > until:
                continue
            for registration in enrolled:
                present = self.rng.random() < (0.98 if registration.id % 7 else 0.6)
                present = present or registration.user_id in always
                attendance_services.mark_attendance(
                    session, registration, actor=marker, present=present, now=session.ends_at
                )
                self.counts["attendance records"] += 1

    def registrations(self, batch: TrainingBatch) -> list[Registration]:
        return list(
            db.session.scalars(
                sa.select(Registration)
                .where(Registration.batch_id == batch.id)
                .order_by(Registration.id)
            )
        )

    def complete(self, batch: TrainingBatch) -> tuple[list[Registration], datetime]:
        """Complete the batch the day after its last session (attendance and the post-test
        decide), with its certificates. Returns the completed registrations and the moment."""
        when = max(s.ends_at for s in batch.sessions) + timedelta(days=1)
        outcome = completion.complete_with_certificates(
            batch, actor=self.admin, post_test_passed=post_test_checker(batch), now=when
        )
        self.counts["training certificates"] += len(outcome["completed"])
        self.counts["JP ledger records"] += len(outcome["completed"])
        return outcome["completed"], when

    def waiting_approval(self, batch: TrainingBatch) -> None:
        """``asn.dinkes`` registers two days ago for ``batch``; their supervisor has not
        decided yet."""
        user = self.people["asn.dinkes@sinergi.example"]
        when = self.moment(self.today - timedelta(days=2), time(9, 15))
        registration_services.register(batch, actor=user, now=when)
        self.counts["training registrations"] += 1

    def externals(self, people: list[AsnProfile]) -> None:
        """External records of a few ASN: verified, waiting, rejected."""
        for index, asn in enumerate(people):
            form, scope, title, organiser, ago, quantity, outcome = EXTERNAL[index % len(EXTERNAL)]
            user = db.session.get(User, asn.user_id)
            ended = self.today - timedelta(days=ago + index % 9)
            started = ended - timedelta(days=1 if form == "workshop" else 0)
            pdf = pdf_bytes(title[:60], [organiser, f"Peserta: {user.full_name}"])
            upload = FileStorage(io.BytesIO(pdf), filename=f"sertifikat-{index + 1}.pdf")
            entry = ledger_services.submit_external(
                asn,
                form=form,
                scope=scope,
                title=title,
                organiser=organiser,
                started_on=started,
                ended_on=ended,
                quantity=quantity,
                evidence_upload=upload,
                certificate_number=f"{index + 101}/SRT/{ended.year}",
                actor=user,
            )
            self.counts["JP ledger records"] += 1
            self.decide(entry, outcome)

    def decide(self, entry: LedgerEntry, outcome: str) -> None:
        if outcome == "verified":
            ledger_services.verify_external(entry, actor=self.admin)
        elif outcome == "rejected":
            ledger_services.reject_external(
                entry,
                actor=self.admin,
                reason="Sertifikat tidak mencantumkan jumlah jam; unggah ulang yang lengkap.",
            )


@as_history()  # the services' notices are history here: the demo sends no e-mail
def seed(demo: Demo) -> dict[str, int]:
    """Add the trainings demo (after the curricula demo); returns counts."""
    rng = random.Random(20_2026)  # noqa: S311  (deterministic demo data, not security)
    conversion.seed_rules()
    builder = _Builder(demo.agencies, demo.people, demo.password_hash, rng)
    builder.supervisor()
    curricula = list(
        db.session.scalars(
            sa.select(Curriculum)
            .where(Curriculum.state == CurriculumState.PUBLISHED)
            .order_by(Curriculum.id)
        )
    )
    pool = builder.pool()
    rng.shuffle(pool)
    evaluation = Evaluation(builder)
    demo_users = evaluation.demo_users
    now, cursor, upcoming = utcnow(), 0, []
    for position, curriculum in enumerate(curricula):
        for spec in PHASES:
            phase, _offset, _capacity, count, accounts = spec
            chosen = (
                [builder.profile(builder.people[e]) for e in accounts]
                if curriculum is curricula[0]
                else []
            )
            chosen += pool[cursor : cursor + count - len(chosen)]
            cursor += count
            batch = builder.batch(curriculum, phase, spec, chosen)
            evaluation.author_tests(batch)
            if phase == "upcoming":
                upcoming.append(batch)
                continue
            evaluation.take(batch, QuizKind.PRE)
            builder.attend(batch, until=now, always=demo_users)
            if phase in ("past", "recent"):
                evaluation.take(batch, QuizKind.POST)
                completed, when = builder.complete(batch)
                evaluation.l1(batch, completed, after=when)
                evaluation.plans(batch, completed, phase, position)
                if phase == "past" and position == 0:
                    evaluation.record_assessment(batch, completed, on=when.date())
    builder.waiting_approval(upcoming[min(1, len(upcoming) - 1)])
    builder.externals(
        pool[cursor : cursor + 24] + [builder.profile(builder.people["asn.dinkes@sinergi.example"])]
    )
    first = curricula[0]
    evaluation.l3(first.id, first.targets[-1].competency_id)
    evaluation.recognition()
    db.session.flush()
    return builder.counts
