"""The demo's matching round (issue 18): a period that places its interns by one match, whose
result was published yesterday. Every demo student ranked two to five of its six positions
before the preferences closed, their universities endorsed them, each OPD scored its applicants
(one marked not acceptable), and the city-wide admin ran and published the match with the real
services (``portal.internships.matching``), so the offers, the closed preferences, the
explanations and the notices are what a real round leaves. Deterministic (fixed seed)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.db import db
from portal.demo.internships import story
from portal.demo.internships.content import BALAI_KOTA, IT, SRI
from portal.demo.internships.placed import at
from portal.internships.applications.models import Application
from portal.internships.matching import services as matching
from portal.internships.models import (
    IntakeMode,
    InternshipPeriod,
    InternshipPosition,
    PositionMentor,
    PositionState,
    WorkMode,
)

#: The lottery seed of the demo's published run (shown on the round page).
SEED = 20_270_118
#: key, OPD, quota, title, unit, mentors, wanted majors
ROUND = [
    ("M1", "Diskominfo", 3, "Pengembang Portal Satu Data Medan", "Bidang Statistik", ["Diskominfo:1"], IT),
    ("M2", "Bappeda", 3, "Analis Data Indikator Kinerja Daerah", "Bidang Perencanaan", [SRI],
     "S1 Statistika\nS1 Ekonomi Pembangunan\nS1 Matematika"),
    ("M3", "Dinkes", 2, "Asisten Analis Data Stunting", "Bidang Kesehatan Masyarakat", ["Dinkes:1"],
     "S1 Kesehatan Masyarakat\nS1 Gizi"),
    ("M4", "Disdukcapil", 4, "Pendamping Layanan Adminduk Digital", "Bidang Pelayanan", ["Disdukcapil:1"],
     "S1 Ilmu Administrasi Publik\nD4 Manajemen Informatika"),
    ("M5", "BKPSDM", 2, "Asisten Analis Kompetensi ASN", "Bidang Pengembangan Kompetensi", ["BKPSDM:1"],
     "S1 Psikologi\nS1 Ilmu Administrasi Negara"),
    ("M6", "Dishub", 3, "Asisten Survei Angkutan Umum", "Bidang Lalu Lintas", ["Dishub:0"],
     "S1 Teknik Sipil\nS1 Geografi\nS1 Matematika"),
]  # fmt: skip


class MatchingRound:
    """The matching round part of the internship demo's builder (a mixin of ``_Builder``)."""

    def matching_positions(self) -> None:
        """The round's period and six positions (before the counters: their mentors get room)."""
        start = self.monday + timedelta(weeks=14)
        end = start + timedelta(weeks=16, days=-3)
        self.round_closes = self.today - timedelta(days=3)
        made = at(self.round_closes - timedelta(days=45), 2)
        self.round = InternshipPeriod(
            name=f"Magang Putaran Pencocokan {story.MONTHS[start.month]} {start.year}",
            starts_on=start,
            ends_on=end,
            intake_mode=IntakeMode.MATCHING,
            preference_limit=5,
            preferences_close_on=self.round_closes,
            created_at=made,
            updated_at=made,
        )
        self.round_positions = []
        for key, short, quota, title, unit, mentors, majors in ROUND:
            agency = self.agencies[short]
            position = InternshipPosition(
                agency_id=agency.id,
                period=self.round,
                title=title,
                unit=unit,
                description=f"{title} di {agency.name}, dengan mentor ASN.",
                tasks="Mengolah data\nMenyusun laporan mingguan",
                wanted_majors=majors,
                wanted_skills="Excel, komunikasi tertulis",
                quota=quota,
                starts_on=start,
                ends_on=end,
                location=BALAI_KOTA,
                mode=WorkMode.ON_SITE,
                application_deadline=self.round_closes,
                state=PositionState.CLOSED,  # to new applications, when the preferences closed
                created_by_id=self.admin(agency.id).id,
                published_at=made,
                closed_at=at(self.round_closes + timedelta(days=1), 1),
                created_at=made,
                updated_at=made,
            )
            self.mentors[key] = [self.mentor(ref) for ref in mentors]
            position.mentors = [PositionMentor(mentor_id=m.id) for m in self.mentors[key]]
            self.positions[key] = position
            self.round_positions.append(position)
        db.session.add_all([self.round, *self.round_positions])
        db.session.flush()

    def matching_round(self) -> None:
        """Preferences (applied and endorsed before the close), the OPDs' scores, and the match
        run and published by the city-wide admin yesterday."""
        rng = self.rng
        keys = sorted(self.students)
        for n, key in enumerate(keys):
            student = self.students[key]
            wanted = rng.sample(self.round_positions, rng.randint(2, 5))
            popular = self.round_positions[0]
            if n % 3 == 0:  # a third of the cohort wants the popular one first
                wanted = [popular, *(p for p in wanted if p is not popular)]
            for rank, position in enumerate(wanted, start=1):
                applied = at(
                    self.round_closes - timedelta(days=rng.randint(5, 30)), rng.uniform(1, 8)
                )
                endorsed = applied + timedelta(hours=rng.uniform(20, 70))
                self.application(
                    student,
                    position,
                    rank=rank,
                    steps=["endorse"],
                    note=None,
                    times=[applied, endorsed],
                )
        for application in self.round_applications():
            application.semester = rng.choice((5, 6, 7))
            application.gpa = round(rng.uniform(2.9, 3.95), 2)
            application.opd_score = min(
                100, round(40 + 50 * (application.gpa - 2.9) + rng.randint(0, 8))
            )
        unwelcome = self.round_applications()[1]
        unwelcome.opd_score, unwelcome.opd_unacceptable = None, True
        city = self.admins[None]
        when = at(self.today - timedelta(days=1), 3)  # 10:00 WIB
        run = matching.preview_match(self.round, actor=city, seed=SEED)
        run.created_at = when - timedelta(minutes=40)
        matching.publish_match(run, actor=city, now=when)
        self.counts["matching round preferences"] = len(run.result)

    def round_applications(self) -> list[Application]:
        ids = [p.id for p in self.round_positions]
        return list(
            db.session.scalars(
                sa.select(Application)
                .where(Application.position_id.in_(ids))
                .order_by(Application.id)
            )
        )
