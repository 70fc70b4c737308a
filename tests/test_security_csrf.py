"""CSRF (G6): every POST rule refuses a request without a token and changes nothing (the same
request with a token does change something); a GET crawl changes nothing. ``POST_CASES`` holds a
valid request for every POST route (the fuzz suite reuses it)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.auth import passwords
from portal.competency.plans import DevelopmentPlan
from portal.db import db as _db
from tests.factories import PASSWORD
from tests.security_world import (
    CSRF_MESSAGE,
    EN,
    NEW_PASSWORD,
    ROLES,
    get_urls,
    snapshot,
)

# =================================================================================================
# G6: CSRF on every POST rule; no state change on GET
# =================================================================================================


def _new_pw(w):
    return {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}


def _account(w):
    return {"university_id": "0", "agency_id": str(w.agency.id), "admin_agency_id": "0"}


#: endpoint -> world -> (actor, url, form data that succeeds when sent with a CSRF token)
def _wording():
    data = {"name": "Kompetensi Baru", "definition": "Definisi baru.", "source": ""}
    for n in range(1, 6):
        data[f"level_{n}"] = f"Deskripsi level {n} baru"
        data[f"indicators_{n}"] = ""
    return data


def _roster_token(w) -> str:
    from portal.competency.import_views import sign_upload, stash_upload

    return sign_upload(stash_upload(_roster_csv(w), "csv"), w.admin.id)


def _report(w):
    """The ASN profile the ASN user supervises (``w.report``)."""
    return w.report


def _submitted_then(w, action):
    """A plan in the state where ``action`` applies, and the request that takes it."""
    from portal.competency.plans import PlanState

    plan = _db.session.scalars(
        sa.select(DevelopmentPlan).where(DevelopmentPlan.asn_id == _report(w).id)
    ).one()
    if action == "reopen":
        own = _db.session.scalars(
            sa.select(DevelopmentPlan).where(DevelopmentPlan.asn_id == w.asn_record.id)
        ).one()
        own.state = PlanState.APPROVED
        _db.session.flush()
        return ("asn", "/competency/plan/reopen", {})
    plan.state = PlanState.SUBMITTED
    _db.session.flush()
    note = {"note": "Tambahkan pelatihan teknis."} if action == "return" else {}
    return ("asn", f"/competency/asn/{_report(w).id}/plan/{action}", note)


def _proposal_fields(w) -> dict:
    return {
        "title": "Kurikulum Tata Kelola Data",
        "summary": "Ringkasan baru.",
        "audience": "both",
        "mode": "klasikal",
        "learning_outcomes": "Peserta mampu menyusun perjanjian berbagi data.",
        "agency_id": str(w.agency.id),
    }


def _module_fields() -> dict:
    return {"title": "Modul Baru", "objectives": "Tujuan baru.", "jp": "3", "method": "diskusi"}


def _resolved(w):
    """The university user's review thread, resolved (so that it can be reopened)."""
    comment = w.comment["own"]
    comment.is_resolved, comment.resolved_by_id = True, w.university.id
    _db.session.flush()
    return ("university", f"/curricula/comments/{comment.id}/reopen", {})


def _cite(w):
    """A demand-board group the admin (a co-author of A's proposal) sees but nobody has cited:
    the world cites A × ``competency`` with position kinds merged, this one names the kind."""
    return (
        "admin",
        f"/curricula/proposals/{w.draft['own'].id}/evidence",
        {
            "agency_id": str(w.agency.id),
            "competency_id": str(w.competency.id),
            "kind": str(w.position.kind),
        },
    )


# --- internships: OPD A's positions, and A's placement (its student, mentor and DPL) -----------


class _Upload(io.BytesIO):
    """A file that every request of a case may send: the test client closes a posted file after
    the request, this one rewinds instead (a case's data is posted several times)."""

    def close(self) -> None:
        self.seek(0)


def _pdf(name: str):
    return (_Upload(b"%PDF-1.7\n%uji\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), name)


def _days_ago(n: int) -> str:
    from portal.internships.services import local_today

    return (local_today() - timedelta(days=n)).isoformat()


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
    from portal.internships.applications import ApplicationState

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
    from portal.internships.logbook import EntryState

    entry = w.entry["own"]
    _set(entry, state=EntryState.RETURNED, mentor_comment="Tambahkan jumlah berkas.")
    return (
        "student",
        f"/internships/logbook/{entry.id}/edit",
        _entry_fields(entry.day.isoformat(), "Menginput data 45 ASN ke SIASN."),
    )


def _returned_report(w):
    """The final report returned by the mentor: the student uploads version 2."""
    from portal.internships.logbook import ReportState

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
    from portal.internships.services import local_today

    placement = w.placement["own"]
    _set(placement, ends_on=local_today() + timedelta(days=3))
    return (actor, f"/internships/placements/{placement.id}/{path}", data)


def _mentor_scores() -> dict:
    from portal.internships.evaluation import default_rubric

    scores = {f"score_{i}": "80" for i, _c in enumerate(default_rubric().criteria)}
    return {**scores, "comment": "Bekerja dengan teliti.", "complete": "y"}


POST_CASES = {
    "main.set_language": lambda w: ("admin", "/language", {"lang": "id", "next": "/dashboard"}),
    "auth.login": lambda w: ("anonymous", "/login", {"email": w.asn.email, "password": PASSWORD}),
    "auth.logout": lambda w: ("admin", "/logout", {}),
    "auth.register": lambda w: (
        "anonymous",
        "/register",
        {
            "full_name": "Siti Mahasiswa",
            "email": "siti.baru@example.com",
            "university_id": str(w.uni.id),
            "nim": "NIM-777",
            "study_programme": "S1 Hukum",
            "consent": "y",
            **_new_pw(w),
        },
    ),
    "auth.forgot_password": lambda w: ("anonymous", "/forgot-password", {"email": w.asn.email}),
    "auth.reset_password": lambda w: (
        "anonymous",
        f"/reset-password/{passwords.make_token(w.asn, 'reset')}",
        _new_pw(w),
    ),
    "auth.accept_invitation": lambda w: (
        "anonymous",
        f"/invitation/{passwords.make_token(w.invited, 'invite')}",
        _new_pw(w),
    ),
    "auth.change_password": lambda w: (
        "admin",
        "/account/password",
        {"current_password": PASSWORD, **_new_pw(w)},
    ),
    "auth.profile": lambda w: ("admin", "/account", {"full_name": "Nama Baru Admin", "locale": EN}),
    "auth.verify_student": lambda w: (
        "university",
        f"/verifications/{w.pending['own'].id}/verify",
        {},
    ),
    "auth.reject_student": lambda w: (
        "university",
        f"/verifications/{w.pending['own'].id}/reject",
        {"reason": "NIM tidak terdaftar"},
    ),
    "admin.create_universities": lambda w: (
        "admin",
        "/admin/universities/new",
        {"name": "Universitas Baru Medan", "short_name": "UBM"},
    ),
    "admin.edit_universities": lambda w: (
        "admin",
        f"/admin/universities/{w.uni.id}",
        {"name": "Universitas Ganti Nama", "short_name": "UGN"},
    ),
    "admin.deactivate_universities": lambda w: (
        "admin",
        f"/admin/universities/{w.uni.id}/deactivate",
        {},
    ),
    "admin.reactivate_universities": lambda w: (
        "admin",
        f"/admin/universities/{w.inactive_uni.id}/reactivate",
        {},
    ),
    "admin.create_agencies": lambda w: (
        "admin",
        "/admin/agencies/new",
        {"name": "Dinas Baru", "short_name": "DB", "kind": "dinas"},
    ),
    "admin.edit_agencies": lambda w: (
        "admin",
        f"/admin/agencies/{w.agency.id}",
        {"name": "Dinas Ganti Nama", "short_name": "DGN", "kind": "badan"},
    ),
    "admin.deactivate_agencies": lambda w: (
        "admin",
        f"/admin/agencies/{w.agency.id}/deactivate",
        {},
    ),
    "admin.reactivate_agencies": lambda w: (
        "admin",
        f"/admin/agencies/{w.inactive_agency.id}/reactivate",
        {},
    ),
    "admin.invite_user": lambda w: (
        "admin",
        "/admin/users/new",
        {
            "email": "staf.baru@example.com",
            "full_name": "Staf Baru",
            "roles": ["asn"],
            "locale": "id",
            **_account(w),
        },
    ),
    "admin.edit_user": lambda w: (
        "admin",
        f"/admin/users/{w.asn.id}",
        {"full_name": "Nama Diubah", "roles": ["asn"], **_account(w)},
    ),
    "admin.deactivate_user": lambda w: ("admin", f"/admin/users/{w.asn.id}/deactivate", {}),
    "admin.reactivate_user": lambda w: (
        "admin",
        f"/admin/users/{w.inactive_user.id}/reactivate",
        {},
    ),
    "admin.resend_invitation": lambda w: ("admin", f"/admin/users/{w.invited.id}/invitation", {}),
    "competency_admin.create_competency": lambda w: (
        "admin",
        "/admin/competency/catalogue/new",
        {"code": "T.BARU.01", "type": "teknis", "agency_id": w.agency.id, **_wording()},
    ),
    "competency_admin.edit_competency": lambda w: (
        "admin",
        f"/admin/competency/catalogue/{w.competency.id}/edit",
        _wording(),
    ),
    "competency_admin.retire_competency": lambda w: (
        "admin",
        f"/admin/competency/catalogue/{w.competency.id}/retire",
        {},
    ),
    "competency_admin.restore_competency": lambda w: (
        "admin",
        f"/admin/competency/catalogue/{w.retired_competency.id}/restore",
        {},
    ),
    "competency_admin.create_position": lambda w: (
        "admin",
        "/admin/competency/positions/new",
        {"name": "Pengolah Data", "kind": "pelaksana", "jenjang": "", "agency_id": w.agency.id},
    ),
    "competency_admin.edit_position": lambda w: (
        "admin",
        f"/admin/competency/positions/{w.position.id}",
        {
            "name": "Jabatan Ganti Nama",
            "kind": "fungsional",
            "jenjang": "Ahli Muda",
            "agency_id": w.agency.id,
        },
    ),
    "competency_admin.edit_standard": lambda w: (
        "admin",
        f"/admin/competency/positions/{w.position.id}/standard",
        {f"level_{w.competency.id}": "4"},
    ),
    "competency_admin.fill_standard": lambda w: (
        "admin",
        f"/admin/competency/positions/{w.position.id}/standard/rule-of-thumb",
        {},
    ),
    "competency_admin.create_asn": lambda w: (
        "admin",
        "/admin/competency/asn/new",
        {
            "email": w.inactive_user.email,
            "nip": "199201052019031904",
            "status": "pns",
            "golongan": "III/b",
            "agency_id": w.agency.id,
            "position_id": "0",
            "supervisor_nip": "",
        },
    ),
    "competency_admin.edit_asn": lambda w: (
        "admin",
        f"/admin/competency/asn/{_report(w).id}",
        {
            "nip": _report(w).nip,
            "status": "pns",
            "golongan": "III/c",
            "agency_id": w.agency.id,
            "position_id": w.position.id,
            "supervisor_nip": "",
        },
    ),
    "competency.add_plan_activity": lambda w: (
        "asn",
        "/competency/plan/activities",
        {
            "competency_id": w.competency.id,
            "form": "coaching",
            "title": "Coaching oleh Kabid",
            "planned_jp": "4",
            "quarter": "3",
        },
    ),
    "competency.remove_plan_activity": lambda w: (
        "asn",
        f"/competency/plan/activities/{w.activity['own'].id}/delete",
        {},
    ),
    "competency.submit_plan": lambda w: ("asn", "/competency/plan/submit", {}),
    "competency.reopen_plan": lambda w: _submitted_then(w, "reopen"),
    "competency.approve_plan": lambda w: _submitted_then(w, "approve"),
    "competency.return_plan": lambda w: _submitted_then(w, "return"),
    "roster.confirm": lambda w: ("admin", "/admin/roster/confirm", {"upload": _roster_token(w)}),
    "competency.record_official_assessment": lambda w: (
        "admin",
        f"/competency/asn/{_report(w).id}/assessments/new",
        {
            "assessed_on": date.today().isoformat(),
            "method": "uji_kompetensi",
            "assessor": "UPT Penilaian Kompetensi BKPSDM",
            f"level_{w.competency.id}": "3",
        },
    ),
    "competency.self_assessment": lambda w: (
        "asn",
        "/competency/self-assessment",
        {"assessed_on": date.today().isoformat(), f"level_{w.competency.id}": "2"},
    ),
    "competency.rate_asn": lambda w: (
        "asn",
        f"/competency/asn/{_report(w).id}/rating",
        {"assessed_on": date.today().isoformat(), f"level_{w.competency.id}": "3"},
    ),
    "main.open_notification": lambda w: (
        "asn",
        f"/notifications/{w.notification['asn'].id}/open",
        {},
    ),
    "main.read_all_notifications": lambda w: ("asn", "/notifications/read-all", {}),
    # --- curricula: A's draft proposal, by its lead author (the university user) unless noted ---
    "curricula.new_proposal": lambda w: (
        "university",
        "/curricula/proposals/new",
        _proposal_fields(w),
    ),
    "curricula.edit_proposal": lambda w: (
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/edit",
        _proposal_fields(w),
    ),
    "curricula.add_module": lambda w: (
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/modules/new",
        _module_fields(),
    ),
    "curricula.edit_module": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/edit",
        _module_fields(),
    ),
    "curricula.delete_module": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/delete",
        {},
    ),
    "curricula.move_module": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/move",
        {"direction": "down"},
    ),
    "curricula.add_target": lambda w: (  # B's proposal targets a competency A's does not
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/targets",
        {"competency_id": str(w.target["other"].competency_id), "target_level": "4"},
    ),
    "curricula.remove_target": lambda w: (
        "university",
        f"/curricula/targets/{w.target['own'].id}/delete",
        {},
    ),
    "curricula.evidence": _cite,
    "curricula.remove_evidence": lambda w: (
        "university",
        f"/curricula/evidence/{w.evidence['own'].id}/delete",
        {},
    ),
    "curricula.authors": lambda w: (  # an admin names an ASN of the partner OPD
        "admin",
        f"/curricula/proposals/{w.draft['own'].id}/authors",
        {"user_id": str(w.report_user.id)},
    ),
    "curricula.remove_author": lambda w: (
        "university",
        f"/curricula/authors/{w.co_author['own'].id}/delete",
        {},
    ),
    "curricula.transition": lambda w: (  # the draft is complete: it can be submitted
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/transition",
        {"action": "submit", "note": ""},
    ),
    "curricula.add_comment": lambda w: (
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/comments",
        {"body": "Modul 2 perlu studi kasus."},
    ),
    "curricula.edit_comment": lambda w: (
        "university",
        f"/curricula/comments/{w.comment['own'].id}/edit",
        {"body": "Mohon perjelas tujuan modul 1 dan 2."},
    ),
    "curricula.resolve_comment": lambda w: (
        "university",
        f"/curricula/comments/{w.comment['own'].id}/resolve",
        {},
    ),
    "curricula.reopen_comment": _resolved,
    "curricula.add_material": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/materials/new",
        {"kind": "text", "title": "Bacaan Pengantar", "url": "", "body": "Teks **baru**."},
    ),
    "curricula.revise_material": lambda w: (
        "university",
        f"/curricula/materials/{w.draft_material['own'].id}/revise",
        {"change_note": "Contoh diperbarui.", "url": "", "body": "Isi **materi** yang baru."},
    ),
    "curricula.delete_material": lambda w: (
        "university",
        f"/curricula/materials/{w.draft_material['own'].id}/delete",
        {},
    ),
    # --- feedback on A's published curriculum: its learners rate and flag, its author handles ---
    "curricula.rate_material": lambda w: (
        "student",
        f"/curricula/materials/{w.material['own'].id}/rate",
        {
            "overall": "4",
            "relevance": "5",
            "clarity": "4",
            "difficulty": "3",
            "comment": "Jelas dan relevan.",
            "show_name": "y",
        },
    ),  # fmt: skip
    "curricula.flag_material": lambda w: (  # the student's open report is a typo: another kind
        "student",
        f"/curricula/materials/{w.material['own'].id}/flag",
        {"kind": "unclear", "description": "Halaman 3 tidak jelas."},
    ),
    "curricula.handle_flag": lambda w: (
        "university",
        f"/curricula/flags/{w.flag['student'].id}/handle",
        {"action": "start", "note": ""},
    ),
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


#: POST routes with a dedicated CSRF test below (their request cannot be replayed from a dict).
SPECIAL_POST = {"roster.upload"}


def test_every_post_rule_has_a_csrf_case(app):
    """A new POST route fails here until it is added to ``POST_CASES`` (or ``SPECIAL_POST``)."""
    posting = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert posting == set(POST_CASES) | SPECIAL_POST


def _roster_csv(w) -> bytes:
    return (
        "nip,nama,email,status,opd\n"
        f"198609262015051001,Pegawai Baru,pegawai.baru@example.com,PNS,{w.agency.short_name}\n"
    ).encode()


def test_roster_upload_without_csrf_token_is_refused_and_stores_nothing(app, world, client_as):
    imports = Path(app.config["UPLOAD_FOLDER"]) / "imports"
    before = set(imports.glob("*")) if imports.exists() else set()
    c = client_as("admin")
    r = c.post("/admin/roster/", data={"roster": (io.BytesIO(_roster_csv(world)), "r.csv")},
               content_type="multipart/form-data", csrf=False)  # fmt: skip
    assert r.status_code == 400 and CSRF_MESSAGE in r.get_data(as_text=True)
    assert (set(imports.glob("*")) if imports.exists() else set()) == before
    # the control: with the token the preview appears
    r = c.post("/admin/roster/", data={"roster": (io.BytesIO(_roster_csv(world)), "r.csv")},
               content_type="multipart/form-data")  # fmt: skip
    assert r.status_code == 200 and "Pegawai Baru" in r.get_data(as_text=True)


@pytest.mark.parametrize("endpoint", sorted(POST_CASES))
def test_post_without_csrf_token_is_refused_and_changes_nothing(
    endpoint, app, world, client_as, db
):
    actor, url, data = POST_CASES[endpoint](world)
    before = snapshot(db)

    for who in dict.fromkeys((actor, "admin")):
        c = client_as(who)
        r = c.post(url, data=data, csrf=False)
        assert r.status_code == 400, f"{who}: {r.status_code}"
        assert CSRF_MESSAGE in r.get_data(as_text=True)
        assert snapshot(db) == before, f"{who}: the refused request changed the database"

    # a token from somebody else's session is refused as well
    foreign = client_as("admin").csrf_token()
    r = client_as(actor).post(url, data={**data, "csrf_token": foreign})
    assert r.status_code == 400
    assert snapshot(db) == before

    # the control: the same request with the actor's own token does change something
    r = client_as(actor).post(url, data=data)
    assert r.status_code in (200, 302), r.status_code
    assert snapshot(db) != before, "the control request changed nothing: fix the case data"


@pytest.mark.parametrize("role", ROLES)
def test_get_requests_change_nothing(role, app, world, client_as, db):
    c = client_as(role)
    before = snapshot(db)
    for url in get_urls(app, world):
        r = c.get(url, query_string={"lang": "en", "next": "/dashboard", "page": "2", "q": "x"})
        try:
            assert r.status_code < 500, f"{url}: {r.status_code}"
        finally:
            r.close()
    assert snapshot(db) == before


def test_sign_out_by_get_is_refused(client_as):
    c = client_as("asn")
    assert c.get("/logout").status_code == 405
    assert c.get("/dashboard").status_code == 200
