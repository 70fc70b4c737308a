"""The POST cases of the accounts, administration and competency pages (and the language switch
and notifications): ``endpoint -> world -> (actor, url, form data that succeeds when sent with a
CSRF token)``. The cases of the other features are in the modules next to this one."""

from __future__ import annotations

import sqlalchemy as sa

from portal.auth import passwords
from portal.competency.plans.models import DevelopmentPlan
from portal.db import db as _db
from portal.util import clock
from tests.support.factories import PASSWORD
from tests.support.security import EN, NEW_PASSWORD


def roster_csv(w) -> bytes:
    return (
        "nip,nama,email,status,opd\n"
        f"198609262015051001,Pegawai Baru,pegawai.baru@example.com,PNS,{w.agency.short_name}\n"
    ).encode()


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
    from portal.competency.roster.views import sign_upload, stash_upload

    return sign_upload(stash_upload(roster_csv(w), "csv"), w.admin.id)


def _report(w):
    """The ASN profile the ASN user supervises (``w.report``)."""
    return w.report


def _submitted_then(w, action):
    """A plan in the state where ``action`` applies, and the request that takes it."""
    from portal.competency.plans.models import PlanState

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


CORE_CASES = {
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
            "notice_read": "y",
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
    "admin.bulk_invitations": lambda w: (
        "admin",
        f"/admin/users/invitations?q={w.invited.email}",
        {},
    ),
    "competency_admin.asn_invitations": lambda w: (
        "admin",
        "/admin/competency/asn/invitations",
        {},
    ),
    "roster.invite_import": lambda w: (
        "admin",
        f"/admin/roster/imports/{w.roster_import['own'].id}/invitations",
        {},
    ),
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
    "competency_admin.edit_jenjang_levels": lambda w: (
        "admin",
        "/admin/competency/jenjang",
        {"managerial_ahli_madya": "5", "technical_ahli_madya": "5"},
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
            "assessed_on": clock.today().isoformat(),
            "method": "uji_kompetensi",
            "assessor": "UPT Penilaian Kompetensi BKPSDM",
            f"level_{w.competency.id}": "3",
        },
    ),
    "competency.self_assessment": lambda w: (
        "asn",
        "/competency/self-assessment",
        {"assessed_on": clock.today().isoformat(), f"level_{w.competency.id}": "2"},
    ),
    "competency.rate_asn": lambda w: (
        "asn",
        f"/competency/asn/{_report(w).id}/rating",
        {"assessed_on": clock.today().isoformat(), f"level_{w.competency.id}": "3"},
    ),
    "main.open_notification": lambda w: (
        "asn",
        f"/notifications/{w.notification['asn'].id}/open",
        {},
    ),
    "main.read_all_notifications": lambda w: ("asn", "/notifications/read-all", {}),
}
