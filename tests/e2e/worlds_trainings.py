"""The world of the training journey (test_training_journey.py): the Dinas Lingkungan Hidup with
an ASN and her direct supervisor, a UMSU lecturer as the facilitator, a city admin, and an open
batch of a published curriculum whose one session runs now, with its post-test. See worlds.py
for how the journeys' worlds work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from portal.auth.models import Role
from portal.competency.models import AsnStatus, CompetencyType
from portal.db import db
from tests.e2e.worlds import Account, SeededAsn, account_user
from tests.support.factories import Factories

# --- Trainings: an OPD with an ASN and her supervisor, a facilitator, a batch running now ------


@dataclass(frozen=True)
class SeededQuestion:
    text: str
    choices: tuple[str, ...]
    correct: str  # the text of the right choice (one of ``choices``)


@dataclass(frozen=True)
class TrainingWorld:
    agency_name: str
    agency_short_name: str
    university_name: str
    competency_name: str
    curriculum_title: str
    batch_title: str
    batch_id: int
    session_id: int
    place: str
    jp: int
    post_test: tuple[SeededQuestion, ...]  # every question tied to the competency
    asn: SeededAsn  # registers; her supervisor is ``supervisor``
    supervisor: SeededAsn  # ASN of the same OPD, her direct supervisor: approves
    facilitator: Account  # university lecturer, the batch's facilitator: shows the code, completes
    admin: Account  # city-wide administrator (manages the batch; the journey does not need her)


def seed_training_world(app: Flask) -> TrainingWorld:
    """The Dinas Lingkungan Hidup with an ASN whose ASN record names her direct supervisor (an
    ASN of the same OPD), a UMSU lecturer, a city-wide admin, and an open batch (capacity 20) of
    a published curriculum with one target competency. The lecturer facilitates the batch.

    The batch has ONE session of six hours (8 JP of 45 minutes: what the batch credits, issue 17),
    running now: it started 30 minutes ago and ends in 5½ hours (times
    are moments, stored in UTC; the pages show them in WIB). So registering, checking in and the
    post-test (open from the start of the last session) all happen in one run; completing it
    waits for the session's end, which the journey brings forward itself. The post-test has three
    questions on the target competency. The batch, its session and its test are set up here,
    not through the pages: the pages would not let a batch be opened for a session that already
    started. Committed to the live server's database.
    """
    from portal.curricula.models import CurriculumState
    from portal.db import utcnow
    from portal.trainings.batches.services import new_check_in_code
    from portal.trainings.models import BatchState, TrainingBatch, TrainingSession
    from portal.trainings.quizzes.models import QuizChoice, QuizKind, QuizQuestion, QuizSet

    post_test = (
        SeededQuestion(
            "Apa langkah pertama mendirikan bank sampah di tingkat kelurahan?",
            (
                "Membentuk pengurus dan menyepakati aturan bersama warga",
                "Membeli mesin pencacah plastik",
                "Menutup tempat pembuangan sementara",
            ),
            correct="Membentuk pengurus dan menyepakati aturan bersama warga",
        ),
        SeededQuestion(
            "Sampah mana yang termasuk sampah organik?",
            ("Botol plastik", "Sisa sayuran dan daun kering", "Kaleng minuman"),
            correct="Sisa sayuran dan daun kering",
        ),
        SeededQuestion(
            "Apa yang dicatat di buku tabungan nasabah bank sampah?",
            (
                "Jenis, berat dan nilai sampah yang disetor",
                "Nomor induk kependudukan tetangga",
                "Jadwal pengangkutan truk sampah kota",
            ),
            correct="Jenis, berat dan nilai sampah yang disetor",
        ),
    )
    names = {
        "agency_name": "Dinas Lingkungan Hidup",
        "agency_short_name": "DLH",
        "university_name": "Universitas Muhammadiyah Sumatera Utara",
        "competency_name": "Pengelolaan Persampahan Berbasis Masyarakat",
        "curriculum_title": "Pengelolaan Bank Sampah Kelurahan",
        "batch_title": "Pengelolaan Bank Sampah Kelurahan – Angkatan I 2026",
        "place": "Aula Dinas Lingkungan Hidup, Jl. Pinang Baris No. 114, Medan",
        "jp": 8,
        "post_test": post_test,
        "asn": SeededAsn(
            Account(email="melati.purba@pemkomedan.example.com", full_name="Melati Purba"),
            nip="199106232016032001",
            golongan="III/a",
        ),
        "supervisor": SeededAsn(
            Account(email="ahmad.siregar@pemkomedan.example.com", full_name="Ahmad Rizal Siregar"),
            nip="197805122003121004",
            golongan="IV/a",
        ),
        "facilitator": Account(
            email="indra.sembiring@umsu.example.com", full_name="Indra Gunawan Sembiring"
        ),
        "admin": Account(
            email="sri.ginting@pemkomedan.example.com", full_name="Sri Wahyuni Ginting"
        ),
    }
    with app.app_context():
        make = Factories(db.session)
        university = make.university(name=names["university_name"], short_name="UMSU")
        agency = make.agency(name=names["agency_name"], short_name=names["agency_short_name"])
        facilitator = account_user(
            make, names["facilitator"], Role.UNIVERSITY, university=university
        )
        admin = account_user(make, names["admin"], Role.ADMIN)
        records = {}
        for key in ("supervisor", "asn"):  # the supervisor first: the ASN's record names hers
            seeded = names[key]
            user = account_user(make, seeded.account, Role.ASN, agency=agency)
            records[key] = make.asn_profile(
                user,
                supervisor=records.get("supervisor"),
                nip=seeded.nip,
                status=AsnStatus.PNS,
                golongan=seeded.golongan,
            )
        competency = make.competency(
            type=CompetencyType.TECHNICAL,
            agency=agency,
            name=names["competency_name"],
            code="T.DLH.1",
        )
        curriculum = make.curriculum(
            university,
            agency=agency,
            author=facilitator,
            state=CurriculumState.PUBLISHED,
            competency=competency,
            modules=4,  # 2 JP each: the batch's 8 JP
            title=names["curriculum_title"],
            summary="Membentuk dan menjalankan bank sampah bersama warga kelurahan.",
        )
        curriculum.published_at = utcnow()
        batch = TrainingBatch(
            curriculum_id=curriculum.id,
            title=names["batch_title"],
            capacity=20,
            seats_taken=0,
            jp=names["jp"],
            state=BatchState.OPEN,
            created_by_id=admin.id,
        )
        batch.facilitators = [facilitator]
        db.session.add(batch)
        db.session.flush()
        starts = utcnow().replace(second=0, microsecond=0) - timedelta(minutes=30)
        session = TrainingSession(
            batch_id=batch.id,
            starts_at=starts,
            ends_at=starts + timedelta(hours=6),  # 5½ hours from now: 8 JP
            place=names["place"],
            check_in_code=new_check_in_code(),
        )
        db.session.add(session)
        quiz_set = QuizSet(batch_id=batch.id, kind=QuizKind.POST)
        db.session.add(quiz_set)
        db.session.flush()
        for position, question in enumerate(post_test, start=1):
            db.session.add(
                QuizQuestion(
                    set_id=quiz_set.id,
                    position=position,
                    text=question.text,
                    competency_id=competency.id,
                    choices=[
                        QuizChoice(position=n, text=text, is_correct=text == question.correct)
                        for n, text in enumerate(question.choices, start=1)
                    ],
                )
            )
        db.session.commit()
        world = TrainingWorld(**names, batch_id=batch.id, session_id=session.id)
        db.session.remove()
    return world
