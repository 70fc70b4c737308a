"""The final report through its pages: every (state × action × party) decision (QUALITY.md G5),
returns need a reason that the student reads, new versions after a return, mass assignment on
the upload (G4), PDF only, checked by content, and downloads for the placement's people only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal import uploads
from portal.internships.models import PlacementStatus
from portal.internships.placements.models import (
    FinalReport,
    ReportAction,
    ReportState,
)
from portal.internships.placements.workflow import REPORT_TRANSITIONS
from portal.notify import Notification
from tests.internships.placement_support import (
    PDF,
    PNG,
    count,
    fresh,
    placement_world,
    report,
    upload,
)
from tests.support.worlds import internships

S, A = ReportState, ReportAction
PARTIES = (
    "student",
    "other_student",
    "mentor",
    "other_mentor",
    "dpl",
    "uni_staff",
    "other_uni_staff",
    "opd_admin",
)
#: Who decides when, written out by hand: the mentor first, then the placement's DPL.
MAY = {
    (S.SUBMITTED, A.APPROVE): "mentor",
    (S.SUBMITTED, A.RETURN): "mentor",
    (S.APPROVED_BY_MENTOR, A.APPROVE): "dpl",
    (S.APPROVED_BY_MENTOR, A.RETURN): "dpl",
}
UNREACHABLE = {
    "student": 403,
    "other_student": 403,
    "opd_admin": 403,
    "other_mentor": 404,
    "other_uni_staff": 404,
}
NOT_NOW = "is not possible while the report is"
WRONG_PARTY = {
    "mentor": "Only the mentor of this placement can decide on the report first.",
    "dpl": "Only the lecturer supervising this placement (DPL) can give the final approval.",
}


running_placement_world = internships.running_placement_world  # built once for the module


def _snapshot(db, report_id):
    r = fresh(db, FinalReport, report_id)
    return (
        r.state,
        r.mentor_decision,
        r.mentor_reason,
        r.mentor_decided_by_id,
        r.dpl_decision,
        r.dpl_reason,
        r.dpl_decided_by_id,
    )


def test_the_written_table_matches_the_workflow():
    assert {k: "".join(v.parties) for k, v in REPORT_TRANSITIONS.items()} == MAY


@pytest.mark.parametrize("state", list(S), ids=str)
def test_only_allowed_decisions_succeed(client, login_as, running_placement_world, db, make, state):
    w = running_placement_world
    versions = iter(range(1, 99))
    rep = report(db.session, make.internships, w.placement, state=state, version=next(versions))
    for action in A:
        for party in PARTIES:
            user = getattr(w, party)
            login_as(user)
            before = _snapshot(db, rep.id)
            r = client.post(
                f"/internships/reports/{rep.id}/action",
                data={"action": action.value, "reason": "Lengkapi lampiran."},
            )
            after = _snapshot(db, rep.id)
            case = (state.value, action.value, party, r.status_code)
            who = MAY.get((state, action))
            if who == party:
                assert r.status_code == 302, case
                assert after[0] == REPORT_TRANSITIONS[(state, action)].to, case
                decision = after[1:4] if who == "mentor" else after[4:7]
                assert decision == (action, "Lengkapi lampiran.", user.id), case
                rep = report(
                    db.session, make.internships, w.placement, state=state, version=next(versions)
                )
                continue
            assert after == before, case
            if party in UNREACHABLE:
                assert r.status_code == UNREACHABLE[party], case
                continue
            assert r.status_code == 409, case
            html = r.get_data(as_text=True)
            if who is None:
                assert NOT_NOW in html, case
            else:
                assert WRONG_PARTY[who] in html, case


def test_upload_review_return_and_new_version(
    client, login_as, running_placement_world, db, outbox
):
    w = running_placement_world
    login_as(w.student)
    assert client.get(f"/internships/placements/{w.placement.id}/report").status_code == 200
    r = client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={"file": upload(PDF, "Laporan Akhir.pdf"), "note": "Versi pertama"},
    )
    assert r.status_code == 302
    first = db.session.scalars(sa.select(FinalReport)).one()
    assert (first.version, first.state, first.note) == (1, S.SUBMITTED, "Versi pertama")
    assert outbox(w.mentor.email)  # the mentor is told
    # Under review: no second upload.
    r = client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={"file": upload(PDF, "lagi.pdf")},
        follow_redirects=True,
    )
    assert "a new version can be uploaded once a report is returned" in r.get_data(as_text=True)
    assert count(db, FinalReport) == 1
    login_as(w.mentor)
    assert (
        client.post(
            f"/internships/reports/{first.id}/action", data={"action": "approve"}
        ).status_code
        == 302
    )
    assert (
        "internships.report_mentor_approved"
        in db.session.scalars(
            sa.select(Notification.message_key).where(Notification.user_id == w.dpl.id)
        ).all()
    )
    login_as(w.dpl)
    r = client.post(
        f"/internships/reports/{first.id}/action", data={"action": "return", "reason": " "}
    )
    assert r.status_code == 409 and "Give a reason for returning the report." in r.get_data(
        as_text=True
    )
    client.post(
        f"/internships/reports/{first.id}/action",
        data={"action": "return", "reason": "Bab 3 belum memuat <i>data</i>."},
    )
    assert fresh(db, FinalReport, first.id).state == S.RETURNED
    login_as(w.student)
    page = client.get(f"/internships/placements/{w.placement.id}").get_data(as_text=True)
    assert "Bab 3 belum memuat &lt;i&gt;data&lt;/i&gt;." in page and "Upload a new version" in page
    form = client.get(f"/internships/placements/{w.placement.id}/report").get_data(as_text=True)
    assert "Bab 3 belum memuat &lt;i&gt;data&lt;/i&gt;." in form
    client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={"file": upload(PDF, "v2.pdf"), "note": "Bab 3 dilengkapi"},
    )
    versions = db.session.scalars(sa.select(FinalReport).order_by(FinalReport.version)).all()
    assert [(v.version, v.state) for v in versions] == [(1, S.RETURNED), (2, S.SUBMITTED)]
    for user, action in ((w.mentor, "approve"), (w.dpl, "approve")):
        login_as(user)
        client.post(f"/internships/reports/{versions[1].id}/action", data={"action": action})
    assert fresh(db, FinalReport, versions[1].id).state == S.APPROVED
    student_keys = db.session.scalars(
        sa.select(Notification.message_key).where(Notification.user_id == w.student.id)
    ).all()
    assert "internships.report_approved" in student_keys


def test_without_a_dpl_the_university_is_asked_to_name_one(client, login_as, make, db):
    w = placement_world(make, make.internships, supervised=False)
    rep = report(db.session, make.internships, w.placement)
    login_as(w.mentor)
    client.post(f"/internships/reports/{rep.id}/action", data={"action": "approve"})
    told = db.session.scalars(
        sa.select(Notification.user_id).where(
            Notification.message_key == "internships.report_mentor_approved"
        )
    ).all()
    assert w.uni_staff.id in told and w.other_uni_staff.id not in told
    login_as(w.uni_staff)
    page = client.get(f"/internships/placements/{w.placement.id}").get_data(as_text=True)
    assert "The final approval waits for the university to name the DPL." in page


@pytest.mark.parametrize(("data", "name"), [(PNG, "laporan.pdf"), (b"<html></html>", "x.pdf"),
                                            (PDF, "laporan.docx"), (b"", "kosong.pdf")])  # fmt: skip
def test_only_a_real_pdf_is_accepted(client, login_as, running_placement_world, db, data, name):
    w = running_placement_world
    files = count(db, uploads.StoredFile)
    login_as(w.student)
    r = client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={"file": upload(data, name), "note": "Catatan saya"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "Catatan saya" in html
    assert any(m in html for m in ("is not a PDF file", "not accepted here", "The file is empty"))
    assert count(db, FinalReport) == 0 and count(db, uploads.StoredFile) == files


def test_an_upload_without_a_file_keeps_the_note(client, login_as, running_placement_world, db):
    w = running_placement_world
    login_as(w.student)
    r = client.post(f"/internships/placements/{w.placement.id}/report", data={"note": "Ketikan"})
    html = r.get_data(as_text=True)
    assert (
        r.status_code == 400 and "Choose the PDF file of the report." in html and "Ketikan" in html
    )


def test_privileged_fields_of_the_upload_change_nothing(
    client, login_as, running_placement_world, db
):
    w = running_placement_world
    login_as(w.student)
    hostile = {
        "state": "approved",
        "version": 7,
        "placement_id": w.other_placement.id,
        "mentor_decision": "approve",
        "dpl_decision": "approve",
        "dpl_decided_by_id": w.dpl.id,
        "uploaded_by_id": w.mentor.id,
    }
    r = client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={**hostile, "file": upload(PDF, "laporan.pdf")},
    )
    assert r.status_code == 302
    rep = db.session.scalars(sa.select(FinalReport)).one()
    assert (
        rep.placement_id,
        rep.version,
        rep.state,
        rep.mentor_decision,
        rep.dpl_decision,
        rep.dpl_decided_by_id,
        rep.uploaded_by_id,
    ) == (w.placement.id, 1, S.SUBMITTED, None, None, None, w.student.id)
    login_as(w.mentor)
    client.post(
        f"/internships/reports/{rep.id}/action",
        data={"action": "approve", "state": "approved", "dpl_decision": "approve"},
    )
    assert fresh(db, FinalReport, rep.id).state == S.APPROVED_BY_MENTOR


def test_others_cannot_upload_or_download(client, login_as, running_placement_world, db, make):
    w = running_placement_world
    rep = report(db.session, make.internships, w.placement)
    for user, status in ((w.other_student, 404), (w.mentor, 403), (w.dpl, 403)):
        login_as(user)
        r = client.post(
            f"/internships/placements/{w.placement.id}/report",
            data={"file": upload(PDF, "palsu.pdf")},
        )
        assert r.status_code == status
    assert count(db, FinalReport) == 1
    for user in (w.student, w.mentor, w.dpl, w.uni_staff, w.opd_admin, w.city_admin):
        login_as(user)
        r = client.get(f"/internships/reports/{rep.id}/file")
        assert r.status_code == 200 and r.data.startswith(b"%PDF-")
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Content-Disposition"].startswith("attachment")
        r.close()
    for user in (w.other_student, w.other_mentor, w.other_uni_staff, w.other_opd_admin):
        login_as(user)
        assert client.get(f"/internships/reports/{rep.id}/file").status_code == 404


def test_a_placement_ended_early_takes_no_report(
    client, login_as, running_placement_world, db, make
):
    w = running_placement_world
    rep = report(db.session, make.internships, w.placement)
    w.placement.status = PlacementStatus.TERMINATED
    db.session.flush()
    login_as(w.mentor)
    r = client.post(f"/internships/reports/{rep.id}/action", data={"action": "approve"})
    assert r.status_code == 409 and "was ended early" in r.get_data(as_text=True)
    rep.state = S.RETURNED
    db.session.flush()
    login_as(w.student)
    r = client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={"file": upload(PDF, "v2.pdf")},
        follow_redirects=True,
    )
    assert "was ended early" in r.get_data(as_text=True) and count(db, FinalReport) == 1


def test_a_completed_placement_still_takes_its_report(
    client, login_as, running_placement_world, db
):
    w = running_placement_world
    w.placement.status = PlacementStatus.COMPLETED
    db.session.flush()
    login_as(w.student)
    r = client.post(
        f"/internships/placements/{w.placement.id}/report",
        data={"file": upload(PDF, "laporan.pdf")},
    )
    assert r.status_code == 302 and count(db, FinalReport) == 1
