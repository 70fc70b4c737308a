"""Trainings demo, the evaluation side: pre- and post-tests with their competency gains, the L1
reaction survey, the follow-up action plans (RTL), the L3 forms answered by the ASN and their
supervisors, and recognition (proposals decided, hall-of-fame consents, a nomination dossier).

Called by :mod:`portal.demo.trainings.builder` with its builder; everything goes through the
services, with past moments passed as ``now``. Deterministic: its own fixed seed, and cycles where a figure must
come out a given way (one target competency of the first curriculum is applied too little).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from portal.auth.models import User
from portal.competency.models import AsnProfile, Competency
from portal.db import db
from portal.demo.trainings.content import (
    ASN_LOW,
    ASN_OK,
    GENERIC,
    L1_COMMENTS,
    L3_COMMENTS,
    PLAN_STATUSES,
    QUESTIONS,
    REJECT_REASON,
    RTL,
    SUPERVISOR_LOW,
    SUPERVISOR_OK,
)
from portal.trainings.evaluation import l3_services
from portal.trainings.evaluation import services as evaluation_services
from portal.trainings.evaluation.models import L3Form, Respondent
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from portal.trainings.quizzes import authoring as quiz_authoring
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import QuizAttempt, QuizKind
from portal.trainings.recognition import nomination_services
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import (
    CHECKLIST,
    ProposalState,
    RecognitionProposal,
)


class Evaluation:
    """The evaluation half of the trainings demo, fed by the batch builder."""

    def __init__(self, builder):
        self.b = builder
        self.rng = random.Random(5_2026)  # noqa: S311  (deterministic demo data, not security)
        self.demo_users = {
            builder.people[e].id
            for e in (
                "asn.dinkes@sinergi.example",
                "asn.kecamatan@sinergi.example",
                "mentor.bappeda@sinergi.example",
            )
        }
        self.low_competency: int | None = None
        self.assessment_recorded = False
        builder.counts.update(
            {
                "test questions": 0,
                "test attempts": 0,
                "training certificates": 0,
                "L1 responses": 0,
                "RTL items": 0,
                "L3 forms": 0,
                "L3 answered": 0,
            }
        )

    def count(self, key: str, n: int = 1) -> None:
        self.b.counts[key] = self.b.counts.get(key, 0) + n

    # --- pre- and post-tests --------------------------------------------------------------------

    def author_tests(self, batch: TrainingBatch) -> None:
        """The first facilitator writes the same 5 questions for the pre- and the post-test:
        three on the first target competency, two on the second."""
        targets = [t.competency for t in batch.curriculum.targets]
        picked = []
        for n, competency in enumerate(targets[:2]):
            bank = QUESTIONS.get(competency.code) or [self._generic(competency)] * 3
            picked += [(competency.id, q) for q in bank[: 3 if n == 0 else 2]]
        author = batch.facilitators[0]
        for kind in (QuizKind.PRE, QuizKind.POST):
            for competency_id, (text, choices, correct) in picked:
                quiz_authoring.add_question(
                    batch,
                    kind,
                    actor=author,
                    text=text,
                    competency_id=competency_id,
                    choices=choices,
                    correct=correct,
                )
                self.count("test questions")

    def _generic(self, competency: Competency):
        version = competency.current_version
        text, choices, correct = GENERIC
        return text.format(name=version.name if version else competency.code), choices, correct

    def take(self, batch: TrainingBatch, kind: QuizKind) -> None:
        """Every enrolled ASN takes the test: the pre-test during the first session (1–3 of 5
        right), the post-test during the last one (4–5 right; one in eight gets only 2–3 right
        and fails; the demo accounts pass)."""
        quiz_set = quiz_authoring.set_for(batch, kind)
        questions = list(quiz_set.questions)
        sessions = sorted(batch.sessions, key=lambda s: s.starts_at)
        start = sessions[0].starts_at if kind == QuizKind.PRE else sessions[-1].starts_at
        enrolled = [r for r in self.b.registrations(batch) if r.state == RegistrationState.ENROLLED]
        for index, registration in enumerate(enrolled):
            user = db.session.get(User, registration.user_id)
            if kind == QuizKind.PRE:
                right = self.rng.choice((1, 2, 2, 3))
            elif index % 8 == 5 and user.id not in self.demo_users:
                right = self.rng.choice((2, 3))
            else:
                right = self.rng.choice((4, 5, 5))
            chosen = set(self.rng.sample(range(len(questions)), min(right, len(questions))))
            answers = {}
            for n, question in enumerate(questions):
                choices = list(question.choices)
                correct = next(c for c in choices if c.is_correct)
                wrong = [c for c in choices if not c.is_correct]
                answers[question.id] = correct.id if n in chosen else self.rng.choice(wrong).id
            quiz_services.submit_attempt(
                quiz_set,
                batch,
                registration,
                actor=user,
                answers=answers,
                now=start + timedelta(minutes=20 + 3 * index),
            )
            self.count("test attempts")

    def record_assessment(
        self, batch: TrainingBatch, completed: list[Registration], on: date
    ) -> None:
        """Once: the admin records a passed post-test (a generated ASN of the past batch) as a
        "post-training test" assessment at the curriculum's target levels: evidence of learning
        shown beside the ASN's gaps, not an official level (issue 17, point 1)."""
        if self.assessment_recorded:
            return
        passed = {
            a.registration_id: a
            for a in db.session.scalars(
                sa.select(QuizAttempt).where(
                    QuizAttempt.set_id == quiz_authoring.set_for(batch, QuizKind.POST).id,
                    QuizAttempt.passed.is_(True),
                )
            )
        }
        for registration in completed:
            attempt = passed.get(registration.id)
            if attempt is None or registration.user_id in self.demo_users:
                continue
            asn = db.session.get(AsnProfile, registration.asn_id)
            levels = {t.competency_id: t.target_level for t in batch.curriculum.targets}
            quiz_services.record_assessment(
                registration,
                attempt,
                actor=self.b.admin,
                asn=asn,
                levels=levels,
                assessed_on=on,
                assessor=f"Panitia pelatihan {batch.title}"[:200],
                note=f"Tes pasca-pelatihan dengan skor {attempt.score:.0f}.",
            )
            self.assessment_recorded = True
            self.count("post-test assessments")
            return

    # --- L1 and RTL -----------------------------------------------------------------------------

    def l1(self, batch: TrainingBatch, completed: list[Registration], after: datetime) -> None:
        """Most completed ASN answer the reaction survey within a week (every sixth does not;
        the demo accounts do): mostly 3 and 4, some 2, a few comments."""
        items = evaluation_services.survey_items(
            evaluation_services.active_questions(), batch.facilitators
        )
        for index, registration in enumerate(completed):
            user = db.session.get(User, registration.user_id)
            if index % 6 == 5 and user.id not in self.demo_users:
                continue
            ratings = {
                evaluation_services.item_key(q, f): self.rng.choice((2, 3, 3, 3, 4, 4, 4))
                for q, f in items
            }
            comment = L1_COMMENTS[index % len(L1_COMMENTS)] if index % 3 == 0 else None
            evaluation_services.submit_l1(
                registration,
                ratings,
                actor=user,
                comment=comment,
                now=after + timedelta(days=index % 6, hours=2),
            )
            self.count("L1 responses")

    def plans(
        self, batch: TrainingBatch, completed: list[Registration], phase: str, position: int
    ) -> None:
        """One to three RTL items per completed ASN, older batches further along."""
        texts = RTL[min(position, len(RTL) - 1)]
        statuses = PLAN_STATUSES.get(phase, PLAN_STATUSES["recent"])
        last_day = max(s.ends_at for s in batch.sessions).date()
        for index, registration in enumerate(completed):
            user = db.session.get(User, registration.user_id)
            many = 3 if user.id in self.demo_users else 1 + index % 3
            for n in range(many):
                evaluation_services.add_plan_item(
                    registration,
                    actor=user,
                    text=texts[(index + n) % len(texts)],
                    due_on=last_day + timedelta(days=30 * (n + 1)),
                    status=statuses[(index + n) % len(statuses)],
                )
                self.count("RTL items")

    # --- L3 -------------------------------------------------------------------------------------

    def l3(self, first_curriculum_id: int, low_competency_id: int) -> None:
        """The daily job sends the due forms (eight days ago, for the past batches); about two
        thirds are answered within a week. Supervisors rate ``low_competency_id`` low in the
        first curriculum, so its impact page suggests a follow-up. The form of
        ``asn.kecamatan`` stays open."""
        self.low_competency = low_competency_id
        sent_on = self.b.today - timedelta(days=8)
        self.count("L3 forms", l3_services.send_due_forms(today=sent_on))
        forms = list(
            db.session.scalars(
                sa.select(L3Form)
                .join(Registration, Registration.id == L3Form.registration_id)
                .join(TrainingBatch, TrainingBatch.id == Registration.batch_id)
                .order_by(TrainingBatch.id, L3Form.registration_id, L3Form.respondent)
            )
        )
        kecamatan = self.b.people["asn.kecamatan@sinergi.example"].id
        turns = dict.fromkeys(("low", "ok", "asn_low", "asn_ok"), 0)
        for index, form in enumerate(forms):
            registration = form.registration
            if form.respondent_user_id == kecamatan or (registration.id % 3 == 0):
                continue
            batch = registration.batch
            targets = [t.competency_id for t in batch.curriculum.targets]
            supervisor = form.respondent == Respondent.SUPERVISOR
            ratings = {}
            for cid in targets:
                low = batch.curriculum_id == first_curriculum_id and cid == low_competency_id
                key = ("low" if low else "ok") if supervisor else ("asn_low" if low else "asn_ok")
                cycle = {
                    "low": SUPERVISOR_LOW,
                    "ok": SUPERVISOR_OK,
                    "asn_low": ASN_LOW,
                    "asn_ok": ASN_OK,
                }[key]
                ratings[cid] = cycle[turns[key] % len(cycle)]
                turns[key] += 1
            comment = L3_COMMENTS[form.respondent] if index % 4 == 0 else None
            user = db.session.get(User, form.respondent_user_id)
            moment = self.b.moment(sent_on + timedelta(days=1 + index % 6), time(10, 0))
            evaluation_services.answer_l3(
                form, ratings, actor=user, competency_ids=targets, comment=comment, now=moment
            )
            self.count("L3 answered")

    # --- recognition ----------------------------------------------------------------------------

    def recognition(self) -> None:
        """Rules (the JP-target rule off: meeting the target is thanked for, not recognised),
        this year's proposals; three approved (certificate and badge), one rejected, the rest
        waiting; two ASN of different OPD in the hall of fame; one nomination dossier prepared
        by the Diskominfo admin and one of last year awarded by an SK."""
        recognition_services.seed_rules()
        year = self.b.today.year
        proposals = recognition_services.propose(year)
        if not proposals:  # early January: last year's figures
            proposals = recognition_services.propose(year - 1)
        self.count("recognition proposals", len(proposals))
        # Three approved, of three OPD, an L3 proposal first (the Dinkes ASN is thanked for the
        # JP target instead: an appreciation, not a recognition).
        by_kind = sorted(proposals, key=lambda p: p.evidence.get("kind") != "l3_applies")
        chosen = []
        for proposal in by_kind:
            if len(chosen) < 3 and proposal.agency_id not in {c.agency_id for c in chosen}:
                chosen.append(proposal)
        for proposal in chosen:
            recognition_services.approve(proposal, actor=self.b.admin)
            self.count("recognitions approved")
        rejected = next((p for p in by_kind[::-1] if p not in chosen), None)
        if rejected is not None:
            recognition_services.reject(rejected, reason=REJECT_REASON, actor=self.b.admin)
        for proposal in chosen[:2]:
            asn = db.session.get(AsnProfile, proposal.asn_id)
            recognition_services.give_consent(asn, actor=db.session.get(User, asn.user_id))
            self.count("hall of fame consents")
        self.nomination(year)
        self.awarded_nomination(year - 1)

    def nomination(self, year: int) -> None:
        admin = self.b.people["admin.diskominfo@sinergi.example"]
        approved = db.session.scalars(
            sa.select(RecognitionProposal.asn_id)
            .where(
                RecognitionProposal.agency_id == admin.admin_agency_id,
                RecognitionProposal.state != ProposalState.REJECTED,
            )
            .order_by(RecognitionProposal.id)
        ).first()
        asn = (
            db.session.get(AsnProfile, approved)
            if approved
            else self.b.profile(self.b.people["mentor.diskominfo@sinergi.example"])
        )
        nomination_services.save_nomination(
            None,
            asn=asn,
            award="anugerah_asn",
            category="Pelayan Publik Terbaik",
            year=year,
            justification=(
                "Memimpin digitalisasi layanan pengaduan Pemko Medan; menuntaskan target JP "
                "tahun berjalan dan menerapkan hasil pelatihan Pelayanan Publik Digital di "
                "unit kerjanya."
            ),
            checks={
                "no_disciplinary_sentence": True,
                "lhkasn_filed": True,
                "no_legal_proceedings": False,
            },
            actor=admin,
        )
        self.count("award nominations")

    def awarded_nomination(self, year: int) -> None:
        """Last year's "pegawai teladan" of Diskominfo: the mentor whose interns completed and
        rated them well, submitted to the Wali Kota in July and awarded by an SK in August
        (SIASN riwayat penghargaan: skNomor, skDate)."""
        admin = self.b.people["admin.diskominfo@sinergi.example"]
        asn = self.b.profile(self.b.people["mentor.diskominfo@sinergi.example"])
        nomination = nomination_services.save_nomination(
            None,
            asn=asn,
            award="pegawai_teladan",
            category="Pegawai Teladan Dinas Komunikasi dan Informatika",
            year=year,
            justification=(
                "Membimbing mahasiswa magang hingga selesai dengan umpan balik sangat baik dan "
                "menyusun panduan layanan aduan daring yang dipakai seluruh kecamatan."
            ),
            checks=dict.fromkeys(CHECKLIST, True),
            actor=admin,
        )
        nomination_services.submit_nomination(
            nomination, submitted_to="Wali Kota Medan (melalui BKPSDM)", actor=admin
        )
        # The demo's history: submitted in July, decided at the 17 August ceremony.
        nomination.submitted_at = self.b.moment(date(year, 7, 1), time(9, 0))
        nomination_services.record_decision(
            nomination,
            awarded=True,
            decision_number=f"800.1.13/{2400 + year % 100}/BKPSDM/{year}",
            decision_date=date(year, 8, 14),
            actor=admin,
        )
        self.count("award nominations")
        self.count("awards decided")
