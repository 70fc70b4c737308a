"""The internship demo's end of a placement: the final report's versions and reviews, the
evaluation, the grade and the certificate."""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.certificates.services import issue_certificate
from portal.db import db
from portal.demo.internships import story
from portal.demo.internships.placed import Placed, at
from portal.internships.evaluation import models as ev
from portal.internships.evaluation.services import CERTIFICATE_SOURCE, rubric_for
from portal.internships.models import PlacementStatus
from portal.internships.placements.models import (
    FinalReport,
    ReportAction,
    ReportState,
)
from portal.util import clock


class Outcomes:
    """Report, evaluation and certificate records (a mixin of :class:`~.records.Records`)."""

    # --- the final report ------------------------------------------------------------------------

    def report(self, it: Placed) -> None:
        """Active: uploaded and waiting when the story says so; completed: approved by both
        (after one return when the story says so); ended early: none."""
        status, told = it.placement.status, it.spec.get("report")
        if status == PlacementStatus.TERMINATED or (it.active and told != "submitted"):
            return
        if it.active:
            sent = self.midnight - timedelta(days=2) + timedelta(hours=10)  # 10:00 WIB
            self.report_version(it, 1, sent)
            self.notice(
                it.mentor,
                "internships.report_uploaded",
                it.here,
                sent,
                read=False,
                version=1,
                **it.params,
            )
            return
        sent, version = at(it.placement.ends_on - timedelta(days=12), 3), 1
        if told == "returned once":
            self.report_version(it, 1, sent, mentor_at=sent + timedelta(days=2), returned=True)
            sent, version = sent + timedelta(days=4), 2
        self.report_version(
            it, version, sent, mentor_at=sent + timedelta(days=1), dpl_at=sent + timedelta(days=3)
        )
        self.notice(
            it.student,
            "internships.report_approved",
            it.here,
            sent + timedelta(days=3),
            read=True,
            version=version,
            **it.params,
        )

    def report_version(
        self,
        it: Placed,
        version: int,
        sent: datetime,
        *,
        mentor_at=None,
        dpl_at=None,
        returned=False,
    ) -> None:
        stored = self.pdf(
            f"laporan-akhir-{it.student.nim}-v{version}.pdf",
            f"Laporan Akhir Magang - {it.student.full_name}",
            [
                f"Versi {version}",
                f"{it.position.title}",
                "Bab 1 Pendahuluan",
                "Bab 2 Profil OPD",
                "Bab 3 Kegiatan dan Hasil",
                "Bab 4 Penutup",
            ],
            it.student,
            sent,
        )
        report = FinalReport(
            placement_id=it.placement.id,
            version=version,
            file_id=stored.id,
            note=story.REPORT_NOTE if version > 1 else "",
            state=ReportState.SUBMITTED,
            uploaded_by_id=it.student.id,
            created_at=sent,
            updated_at=sent,
        )
        if mentor_at:
            report.mentor_decision = ReportAction.RETURN if returned else ReportAction.APPROVE
            report.mentor_reason = story.REPORT_RETURN if returned else None
            report.mentor_decided_by_id, report.mentor_decided_at = it.mentor.id, mentor_at
            report.state = ReportState.RETURNED if returned else ReportState.APPROVED_BY_MENTOR
            report.updated_at = mentor_at
        if dpl_at:
            report.dpl_decision, report.dpl_decided_by_id = ReportAction.APPROVE, it.dpl.id
            report.dpl_decided_at = report.updated_at = dpl_at
            report.state = ReportState.APPROVED
        db.session.add(report)

    # --- the end -------------------------------------------------------------------------------

    def evaluate(self, it: Placed) -> None:
        """Both parts of the grade, the grade (the university's split), the student's feedback
        and the certificate, dated when the last part came in."""
        rng, placement = self.rng, it.placement
        level, academic, placement_rating, mentor_rating = it.spec["scores"]
        rubric = rubric_for(placement.university_id)
        pairs = [(c, max(60, min(100, level + rng.randint(-5, 5)))) for c in rubric.criteria]
        evaluated = at(placement.ends_on - timedelta(days=4), 3)
        scored = at(placement.ends_on + timedelta(days=6), 4)
        total = ev.weighted_total([(s, c.weight) for c, s in pairs])
        grade = ev.final_grade(total, academic, rubric.mentor_weight)
        db.session.add_all(
            [
                ev.MentorEvaluation(
                    placement_id=placement.id,
                    mentor_id=it.mentor.id,
                    total=total,
                    scores=[
                        {"key": c.key, "name": c.name, "weight": c.weight, "score": s}
                        for c, s in pairs
                    ],
                    comment=rng.choice(story.MENTOR_COMMENTS),
                    submitted_at=evaluated,
                    created_at=evaluated,
                    updated_at=evaluated,
                ),
                ev.AcademicScore(
                    placement_id=placement.id,
                    supervisor_id=it.dpl.id,
                    score=academic,
                    comment=story.ACADEMIC_COMMENT,
                    submitted_at=scored,
                    created_at=scored,
                    updated_at=scored,
                ),
                ev.FinalGrade(
                    placement_id=placement.id,
                    mentor_total=total,
                    academic_score=float(academic),
                    mentor_weight=rubric.mentor_weight,
                    grade=grade,
                    computed_at=scored,
                ),
                ev.StudentFeedback(
                    placement_id=placement.id,
                    student_id=it.student.id,
                    mentor_id=it.mentor.id,
                    agency_id=placement.agency_id,
                    placement_rating=placement_rating,
                    mentor_rating=mentor_rating,
                    comment=rng.choice(story.FEEDBACK),
                    created_at=evaluated + timedelta(days=2),
                    updated_at=evaluated + timedelta(days=2),
                ),
            ]
        )
        agency = self.agencies_by_id[placement.agency_id]
        certificate = issue_certificate(
            kind="internship",
            subject=it.student,
            title=f"{it.position.title} — {agency.name}",
            source_type=CERTIFICATE_SOURCE,
            source_id=placement.id,
            starts_on=placement.starts_on,
            ends_on=placement.ends_on,
            agency_id=agency.id,
            issued_on=clock.local_time(scored).date(),
            actor=it.dpl,
            final_grade=grade,
        )
        certificate.created_at = certificate.updated_at = scored
        self.counts["certificates"] += 1
        self.notice(
            it.student,
            "internships.graded",
            it.here,
            scored,
            read=it.student.email != story.GRACE,
            grade=f"{grade:.2f}",
            number=certificate.number,
            **it.params,
        )
