"""Valid POST requests for the internship routes (part of ``tests.support.post_cases.POST_CASES``).

Each case: world -> (acting role, URL, form data); the request must change the database."""

from __future__ import annotations

import io
from datetime import timedelta

from portal.db import db as _db
from portal.util import clock


class _Upload(io.BytesIO):
    """A file that every request of a case may send: the test client closes a posted file after
    the request, this one rewinds instead (a case's data is posted several times)."""

    def close(self) -> None:
        self.seek(0)


def _pdf(name: str):
    return (_Upload(b"%PDF-1.7\n%uji\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), name)


def _days_ago(n: int) -> str:

    return (clock.today() - timedelta(days=n)).isoformat()


def _days_ahead(n: int) -> str:
    return _days_ago(-n)


def _position_fields(with_period=None) -> dict:
    data = {
        "title": "Magang Analis Data",
        "unit": "Bidang Statistik",
        "description": "Membantu pengolahan data sektoral.",
        "tasks": "Membersihkan data\nMenyusun dasbor",
        "wanted_majors": "Statistika, Teknologi Informasi",
        "wanted_skills": "SQL",
        "quota": "3",
        "starts_on": _days_ahead(45),
        "ends_on": _days_ahead(150),
        "application_deadline": _days_ahead(35),
        "location": "Jl. Kapten Maulana Lubis No. 2, Medan",
        "mode": "hybrid",
        "work_plan_item": "Satu Data Medan",
    }
    if with_period is not None:
        data["period_id"] = str(with_period)
    return data


def _set(obj, **values) -> None:
    """Put a world object in the state a case needs (inside the test's transaction)."""
    for name, value in values.items():
        setattr(obj, name, value)
    _db.session.flush()


def _position_then(w, action: str):
    """A position of OPD A in the state where ``action`` applies, and the request."""
    from portal.internships.models import PositionMentor, PositionState

    position = w.ipos["own"]
    if action == "publish":  # a closed position opens again
        _set(position, state=PositionState.CLOSED)
    elif action == "remove":  # a second mentor, so the published position keeps one
        _db.session.add(PositionMentor(position_id=position.id, mentor_id=w.invited.id))
        _db.session.flush()
        url = f"/internships/manage/positions/{position.id}/mentors/{w.mentor.id}/remove"
        return ("admin", url, {})
    return ("admin", f"/internships/manage/positions/{position.id}/{action}", {})


def _submitted_application(w):
    """The own application back to "submitted", for its university to endorse."""
    from portal.internships.applications.models import ApplicationState

    _set(w.application["own"], state=ApplicationState.SUBMITTED, endorsed_at=None)
    return (
        "university",
        "/internships/university/applications/endorse",
        {"application_id": [str(w.application["own"].id)]},
    )


def _entry_fields(day: str, activities: str) -> dict:
    return {"day": day, "hours": "7,5", "activities": activities, "outputs": "", "intent": ""}


def _editable_entry(w):
    """The student's submitted entry, returned by the mentor: the student may change it."""
    from portal.internships.placements.models import EntryState

    entry = w.entry["own"]
    _set(entry, state=EntryState.RETURNED, mentor_comment="Tambahkan jumlah berkas.")
    return (
        "student",
        f"/internships/logbook/{entry.id}/edit",
        _entry_fields(entry.day.isoformat(), "Menginput data 45 ASN ke SIASN."),
    )


def _returned_report(w):
    """The final report returned by the mentor: the student uploads version 2."""
    from portal.internships.placements.models import ReportState

    _set(w.final_report["own"], state=ReportState.RETURNED)
    return (
        "student",
        f"/internships/placements/{w.placement['own'].id}/report",
        {"file": _pdf("laporan-v2.pdf"), "note": "Bab 3 diperbaiki."},
    )


def _session_fields(topics: str) -> dict:
    return {
        "held_on": _days_ago(2),
        "duration_minutes": "90",
        "mode": "online",
        "topics": topics,
        "competencies": "Analisis Data",
        "shared_notes": "Lanjutkan dasbor.",
        "private_notes": "",
        "next_meeting_on": _days_ahead(5),
        "actions-0-text": "Perbaiki filter kecamatan",
        "actions-0-due_on": _days_ahead(5),
    }


def _evaluation_open(w, actor: str, path: str, data: dict):
    """The own placement ends within the evaluation window (so the DPL and the student may
    evaluate it)."""

    placement = w.placement["own"]
    _set(placement, ends_on=clock.today() + timedelta(days=3))
    return (actor, f"/internships/placements/{placement.id}/{path}", data)


def _mentor_scores() -> dict:
    from portal.internships.evaluation.models import default_rubric

    scores = {f"score_{i}": "80" for i, _c in enumerate(default_rubric().criteria)}
    return {**scores, "comment": "Bekerja dengan teliti.", "complete": "y"}


def _round_position(w) -> int:
    return int(next(iter(w.matching_run.figures["seats_by_position"])))


def _published_preview(w):
    """The world's run, made the preview of inputs as they are (its digest), to publish."""
    from portal.internships.matching.queries import round_inputs

    _set(w.matching_run, digest=round_inputs(w.matching_period).digest())
    return ("admin", f"/internships/manage/matching/runs/{w.matching_run.id}/publish", {})


def _reorder(w):
    """The student orders their one preference (the round's preferences open again)."""
    from portal.internships.matching.queries import my_round

    _set(w.matching_period, preferences_close_on=clock.today() + timedelta(days=3))
    wish = next(a for a in my_round(w.student, w.matching_period) if a.rank is not None)
    _set(wish, rank=2)
    return (
        "student",
        f"/internships/matching/{w.matching_period.id}/order",
        {f"place-{wish.id}": "1"},
    )


INTERNSHIP_CASES = {
    "internships.period_intake": lambda w: (
        "admin",
        f"/internships/manage/periods/{w.ipos['own'].period_id}/intake",
        {
            "intake_mode": "matching",
            "preference_limit": "4",
            "preferences_close_on": _days_ahead(10),
        },
    ),
    "internships.matching_preview": lambda w: (
        "admin",
        f"/internships/manage/matching/{w.matching_period.id}/preview",
        {"seed": "42"},
    ),
    "internships.matching_publish": _published_preview,
    "internships.position_ranking": lambda w: (
        "admin",
        f"/internships/manage/positions/{_round_position(w)}/ranking",
        {f"score-{w.matching_run_wish.id}": "80"},
    ),
    "internships.position_ranking_criteria": lambda w: (
        "admin",
        f"/internships/manage/positions/{_round_position(w)}/ranking/criteria",
        {"min_gpa": "3.00"},
    ),
    "internships.my_round_order": _reorder,
    # --- internships: OPD A's positions (the city-wide admin), A's own placement and its people
    "internships.new_position": lambda w: (
        "admin",
        f"/internships/manage/positions/new?opd={w.agency.id}",
        _position_fields(with_period=w.ipos["own"].period_id),
    ),
    "internships.edit_position": lambda w: (  # published: the period is fixed
        "admin",
        f"/internships/manage/positions/{w.ipos['own'].id}/edit",
        _position_fields(),
    ),
    "internships.position_mentors": lambda w: (  # the invited mentor of OPD A
        "admin",
        f"/internships/manage/positions/{w.ipos['own'].id}/mentors",
        {"mentor_id": str(w.invited.id), "mentee_limit": "4"},
    ),
    "internships.remove_mentor": lambda w: _position_then(w, "remove"),
    "internships.publish_position": lambda w: _position_then(w, "publish"),
    "internships.close_position": lambda w: _position_then(w, "close"),
    "internships.periods": lambda w: (
        "admin",
        "/internships/manage/periods",
        {"name": "Semester Ganjil 2099", "starts_on": _days_ahead(60), "ends_on": _days_ahead(200)},
    ),
    "internships.apply": lambda w: (  # OPD B's published position: any student may apply
        "student",
        f"/internships/positions/{w.ipos['other'].id}/apply",
        {"motivation": "Saya ingin belajar tata kelola data.", "cv": _pdf("cv.pdf"), "rank": "1"},
    ),
    "internships.application_action": lambda w: (  # the OPD shortlists the endorsed application
        "admin",
        f"/internships/applications/{w.application['own'].id}/action",
        {"action": "shortlist", "note": "Wawancara minggu depan."},
    ),
    "internships.bulk_endorse": _submitted_application,
    "internships.new_entry": lambda w: (
        "student",
        f"/internships/placements/{w.placement['own'].id}/logbook/new",
        _entry_fields(_days_ago(3), "Rapat koordinasi Satu Data."),
    ),
    "internships.edit_entry": _editable_entry,
    "internships.entry_action": lambda w: (  # the mentor approves the submitted entry
        "mentor",
        f"/internships/logbook/{w.entry['own'].id}/action",
        {"action": "approve", "comment": "Bagus."},
    ),
    "internships.upload_report": _returned_report,
    "internships.report_action": lambda w: (  # the mentor approves the submitted report
        "mentor",
        f"/internships/reports/{w.final_report['own'].id}/action",
        {"action": "approve", "reason": ""},
    ),
    "internships.placement_settings": lambda w: (
        "university",
        f"/internships/placements/{w.placement['own'].id}/settings",
        {"supervisor_id": str(w.university.id), "planned_sks": "20"},
    ),
    "internships.placement_status": lambda w: (  # the university ends it early
        "university",
        f"/internships/placements/{w.placement['own'].id}/status",
        {"action": "terminate", "end_reason": "Mahasiswa mengundurkan diri."},
    ),
    "internships.university_settings": lambda w: (
        "university",
        "/internships/university/settings",
        {"hours_per_sks": "45"},
    ),
    "internships.credit_scheme": lambda w: (  # the university's staff set its credit scheme
        "university",
        f"/internships/universities/{w.uni.id}/credit",
        {
            "kind": "semester",
            "sks": "20",
            "min_weeks": "16",
            "pks_number": "1587/UN5.1.R/KS/2026",
            "courses-0-code": "TIF4101",
            "courses-0-name": "Magang Instansi Pemerintah",
            "courses-0-sks": "20",
            "bands-0-min_score": "70",
            "bands-0-letter": "A",
            "bands-1-min_score": "0",
            "bands-1-letter": "B",
        },
    ),
    "internships.rubric": lambda w: (
        "university",
        "/internships/university/rubric",
        {
            "criteria-0-name": "Kinerja",
            "criteria-0-weight": "70",
            "criteria-1-name": "Sikap kerja",
            "criteria-1-weight": "30",
            "mentor_weight": "50",
        },
    ),
    "internships.new_session": lambda w: (
        "mentor",
        f"/internships/placements/{w.placement['own'].id}/sessions/new",
        _session_fields("Review rancangan basis data"),
    ),
    "internships.edit_session": lambda w: (  # logged, not yet confirmed: the mentor may edit
        "mentor",
        f"/internships/sessions/{w.guidance_session['own'].id}/edit",
        _session_fields("Review dasbor dan etika data"),
    ),
    "internships.session_action": lambda w: (
        "student",
        f"/internships/sessions/{w.guidance_session['own'].id}/action",
        {"action": "confirm", "comment": "Sesuai."},
    ),
    "internships.evaluate": lambda w: (  # completing the active placement opens the evaluation
        "mentor",
        f"/internships/placements/{w.placement['own'].id}/evaluate",
        _mentor_scores(),
    ),
    "internships.academic_score": lambda w: _evaluation_open(
        w, "university", "academic", {"score": "85", "comment": "Laporan baik."}
    ),
    "internships.student_feedback": lambda w: _evaluation_open(
        w,
        "student",
        "feedback",
        {"placement_rating": "5", "mentor_rating": "4", "comment": "Mentor sangat membantu."},
    ),
}
