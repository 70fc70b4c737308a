"""The logbook through its pages: every (state × action × party) step (QUALITY.md G5), approval
locks and a return reopens with the comment, the rules of an entry, mass assignment (G4),
escaped text (G10) and the attachment's safety (G11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal import uploads
from portal.internships.models import PlacementStatus
from portal.internships.placements.models import (
    EntryAction,
    EntryState,
    LogbookEntry,
    LogbookEvent,
)
from portal.internships.placements.workflow import ENTRY_TRANSITIONS
from portal.notify import Notification
from tests.internships.placement_support import (
    PDF,
    PNG,
    count,
    entry,
    fresh,
    stored,
    today,
    upload,
)
from tests.support.worlds import internships

S, A = EntryState, EntryAction
PARTIES = ("student", "other_student", "mentor", "other_mentor", "dpl", "opd_admin")
#: Who takes which step, written out by hand (not read from the code under test).
MAY = {
    (S.DRAFT, A.SUBMIT): "student",
    (S.RETURNED, A.SUBMIT): "student",
    (S.SUBMITTED, A.APPROVE): "mentor",
    (S.SUBMITTED, A.RETURN): "mentor",
}
#: Parties refused before any rule is read: the role may not use the endpoint (403), or the
#: placement is not theirs (404).
UNREACHABLE = {"dpl": 403, "opd_admin": 403, "other_student": 404, "other_mentor": 404}
NOT_NOW = "is not possible while the entry is"
WRONG_PARTY = {
    "student": "Only the mentor of this placement can review its logbook.",
    "mentor": "Only the student of this placement can submit their logbook.",
}


running_placement_world = internships.running_placement_world  # built once for the module


def _snapshot(db, entry_id):
    db.session.expire_all()
    e = db.session.get(LogbookEntry, entry_id)
    events = db.session.scalars(sa.select(LogbookEvent).where(LogbookEvent.entry_id == entry_id))
    return (
        e.state,
        e.mentor_comment,
        e.reviewed_by_id,
        [(x.action, x.from_state, x.to_state, x.actor_id, x.note) for x in events],
    )


def test_the_written_table_matches_the_workflow():
    assert {k: "".join(v.parties) for k, v in ENTRY_TRANSITIONS.items()} == MAY


@pytest.mark.parametrize("state", list(S), ids=str)
def test_only_allowed_steps_succeed(client, login_as, running_placement_world, db, state):
    w = running_placement_world
    days = iter(range(1, 29))
    e = entry(db.session, w.placement, days_ago=next(days), state=state)
    for action in A:
        for party in PARTIES:
            user = getattr(w, party)
            login_as(user)
            before = _snapshot(db, e.id)
            r = client.post(
                f"/internships/logbook/{e.id}/action",
                data={"action": action.value, "comment": "Lengkapi jumlah tiket."},
            )
            after = _snapshot(db, e.id)
            case = (state.value, action.value, party, r.status_code)
            if MAY.get((state, action)) == party:
                assert r.status_code == 302, case
                assert after[0] == ENTRY_TRANSITIONS[(state, action)].to, case
                note = "Lengkapi jumlah tiket." if action != A.SUBMIT else None
                assert after[3] == [(action.value, state, after[0], user.id, note)], case
                e = entry(db.session, w.placement, days_ago=next(days), state=state)
                continue
            assert after == before, case
            if party in UNREACHABLE:
                assert r.status_code == UNREACHABLE[party], case
            elif party == "mentor" and state == S.DRAFT:
                assert r.status_code == 404, case  # a draft is the student's own
            else:
                assert r.status_code == 409, case
                reason = WRONG_PARTY[party] if (state, action) in MAY else NOT_NOW
                assert reason in r.get_data(as_text=True), case


def test_a_closed_placement_freezes_the_logbook(client, login_as, running_placement_world, db):
    w = running_placement_world
    e = entry(db.session, w.placement, state=S.SUBMITTED)
    draft = entry(db.session, w.placement, days_ago=2)
    w.placement.status = PlacementStatus.COMPLETED
    db.session.flush()
    login_as(w.mentor)
    r = client.post(f"/internships/logbook/{e.id}/action", data={"action": "approve"})
    assert r.status_code == 409 and "its logbook can no longer change" in r.get_data(as_text=True)
    login_as(w.student)
    assert client.get(f"/internships/placements/{w.placement.id}/logbook/new").status_code == 302
    r = client.post(
        f"/internships/logbook/{draft.id}/edit",
        data={"day": str(draft.day), "hours": "2", "activities": "Ubah"},
    )
    assert r.status_code == 302 and fresh(db, LogbookEntry, draft.id).activities != "Ubah"


def test_approval_locks_and_a_return_reopens_with_the_comment(
    client, login_as, running_placement_world, db, outbox
):
    w = running_placement_world
    e = entry(db.session, w.placement, state=S.SUBMITTED)
    login_as(w.mentor)
    client.post(
        f"/internships/logbook/{e.id}/action",
        data={"action": "return", "comment": "Tulis jumlah tiket <b>aduan</b>."},
    )
    assert fresh(db, LogbookEntry, e.id).state == S.RETURNED
    assert [m.subject for m in outbox(w.student.email)]  # the student is told by e-mail too
    login_as(w.student)
    page = client.get(f"/internships/placements/{w.placement.id}").get_data(as_text=True)
    assert "Tulis jumlah tiket &lt;b&gt;aduan&lt;/b&gt;." in page
    assert f'href="/internships/logbook/{e.id}/edit"' in page and 'value="submit"' in page
    form = client.get(f"/internships/logbook/{e.id}/edit").get_data(as_text=True)
    assert "Tulis jumlah tiket &lt;b&gt;aduan&lt;/b&gt;." in form
    r = client.post(
        f"/internships/logbook/{e.id}/edit",
        data={
            "day": str(e.day),
            "hours": "7,5",
            "intent": "submit",
            "activities": "Verifikasi 45 tiket aduan warga.",
        },
    )
    assert r.status_code == 302
    again = fresh(db, LogbookEntry, e.id)
    assert (again.state, again.minutes) == (S.SUBMITTED, 450)
    login_as(w.mentor)
    client.post(f"/internships/logbook/{e.id}/action", data={"action": "approve"})
    login_as(w.student)
    r = client.get(f"/internships/logbook/{e.id}/edit", follow_redirects=True)
    assert "approved by the mentor and is locked" in r.get_data(as_text=True)
    r = client.post(
        f"/internships/logbook/{e.id}/edit",
        data={"day": str(e.day), "hours": "1", "activities": "Diubah"},
    )
    locked = fresh(db, LogbookEntry, e.id)
    assert r.status_code == 302 and (locked.activities, locked.minutes) == (again.activities, 450)
    page = client.get(f"/internships/placements/{w.placement.id}").get_data(as_text=True)
    assert f"/internships/logbook/{e.id}/edit" not in page


def test_returning_needs_a_comment_and_keeps_what_was_typed(
    client, login_as, running_placement_world, db
):
    w = running_placement_world
    e = entry(db.session, w.placement, state=S.SUBMITTED)
    login_as(w.mentor)
    r = client.post(
        f"/internships/logbook/{e.id}/action", data={"action": "return", "comment": " "}
    )
    assert r.status_code == 409 and "Write a comment saying what the student should change." in (
        r.get_data(as_text=True)
    )
    long = "Perbaiki " + "x" * 2000
    r = client.post(
        f"/internships/logbook/{e.id}/action", data={"action": "return", "comment": long}
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "At most 2000 characters." in html and long in html
    r = client.post(f"/internships/logbook/{e.id}/action", data={"action": "publish"})
    assert r.status_code == 400 and "Not a valid choice." in r.get_data(as_text=True)
    assert fresh(db, LogbookEntry, e.id).state == S.SUBMITTED


def _new(client, w, days_from_today: int = -1, **fields):
    """Post a new entry; the day is read when called (a run may cross midnight in Medan)."""
    data = {
        "day": str(today() + timedelta(days=days_from_today)),
        "hours": "8",
        "activities": "Mendokumentasikan rapat koordinasi SPBE.",
        **fields,
    }
    return client.post(f"/internships/placements/{w.placement.id}/logbook/new", data=data)


def test_writing_an_entry_and_submitting_it_at_once(client, login_as, running_placement_world, db):
    w = running_placement_world
    login_as(w.student)
    assert client.get(f"/internships/placements/{w.placement.id}/logbook/new").status_code == 200
    assert _new(client, w, outputs="Notulen rapat").status_code == 302
    r = _new(client, w, day=str(today()), hours="7,5", intent="submit")
    assert r.status_code == 302
    rows = db.session.scalars(sa.select(LogbookEntry).order_by(LogbookEntry.day)).all()
    assert [(x.state, x.minutes) for x in rows] == [(S.DRAFT, 480), (S.SUBMITTED, 450)]
    keys = db.session.scalars(
        sa.select(Notification.message_key).where(Notification.user_id == w.mentor.id)
    ).all()
    assert keys == ["internships.entry_submitted"]  # the draft told nobody


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"days_from_today": 1}, 409, "a day that is still to come"),
    ({"days_from_today": -40}, 409, "The day must fall within the placement"),
    ({"hours": "0.25"}, 400, "Between 0.5 and 12 hours."),
    ({"hours": "12.5"}, 400, "Between 0.5 and 12 hours."),
    ({"hours": "7.25"}, 400, "in steps of half an hour"),
    ({"hours": "NaN"}, 400, "Not a valid decimal value."),
    ({"hours": "delapan"}, 400, "Not a valid decimal value."),
    ({"day": "31-02-2026"}, 400, "Not a valid date value."),
    ({"activities": "  "}, 400, "This field is required."),
    ({"activities": "x" * 2001}, 400, "At most 2000 characters."),
])  # fmt: skip
def test_a_bad_entry_is_refused_and_the_form_keeps_it(
    client, login_as, running_placement_world, db, fields, status, message
):
    w = running_placement_world
    login_as(w.student)
    r = _new(client, w, outputs="Catatan yang saya ketik", **fields)
    html = r.get_data(as_text=True)
    assert (r.status_code, message in html) == (status, True)
    assert "Catatan yang saya ketik" in html
    assert count(db, LogbookEntry) == 0


def test_one_entry_per_day(client, login_as, running_placement_world, db):
    w = running_placement_world
    entry(db.session, w.placement, days_ago=1)
    login_as(w.student)
    r = _new(client, w)
    assert r.status_code == 409 and "There is already an entry for" in r.get_data(as_text=True)
    assert count(db, LogbookEntry) == 1


def test_privileged_fields_of_the_entry_forms_change_nothing(
    client, login_as, running_placement_world, db
):
    w = running_placement_world
    hostile = {
        "state": "approved",
        "placement_id": w.other_placement.id,
        "minutes": 9999,
        "reviewed_by_id": w.mentor.id,
        "reviewed_at": "2026-01-01",
        "mentor_comment": "Disetujui",
        "submitted_at": "2026-01-01",
        "id": 1,
    }
    login_as(w.student)
    assert _new(client, w, **hostile).status_code == 302
    e = db.session.scalars(sa.select(LogbookEntry)).one()
    expected = (w.placement.id, S.DRAFT, 480, None, None, None)
    assert (
        e.placement_id,
        e.state,
        e.minutes,
        e.reviewed_by_id,
        e.mentor_comment,
        e.submitted_at,
    ) == expected
    assert (
        client.post(
            f"/internships/logbook/{e.id}/edit",
            data={**hostile, "day": str(e.day), "hours": "4", "activities": "Ubah"},
        ).status_code
        == 302
    )
    e = fresh(db, LogbookEntry, e.id)
    assert (e.placement_id, e.state, e.minutes, e.reviewed_by_id, e.mentor_comment) == (
        w.placement.id,
        S.DRAFT,
        240,
        None,
        None,
    )
    assert _new(client, w, day=str(today()), hours="13").status_code == 400
    assert count(db, LogbookEntry) == 1
    login_as(w.mentor)  # the mentor cannot write into the student's logbook
    assert _new(client, w, day=str(today())).status_code == 403


def test_texts_are_escaped_for_every_reader(client, login_as, running_placement_world, db):
    w = running_placement_world
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    e = entry(db.session, w.placement, state=S.SUBMITTED, activities=payload, outputs=payload)
    for user in (w.mentor, w.dpl, w.opd_admin):
        login_as(user)
        html = client.get(f"/internships/placements/{w.placement.id}").get_data(as_text=True)
        assert payload not in html and "&lt;script&gt;alert(" in html
    login_as(w.mentor)
    client.post(
        f"/internships/logbook/{e.id}/action", data={"action": "return", "comment": payload}
    )
    login_as(w.student)
    for url in (f"/internships/placements/{w.placement.id}", f"/internships/logbook/{e.id}/edit"):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_attachments_are_pdf_or_images_checked_by_content(
    client, login_as, running_placement_world, db
):
    w = running_placement_world
    files = count(db, uploads.StoredFile)  # the CVs of the applications
    login_as(w.student)
    for name, data in [
        ("foto.pdf", PNG),
        ("halaman.png", b"<html><script>x</script>"),
        ("bukti.html", b"<html></html>"),
        ("bukti.svg", b"<svg/>"),
        ("bukti.exe", b"MZ\x90\x00"),
    ]:
        r = _new(client, w, attachment=upload(data, name))
        assert r.status_code == 409, name
        assert (
            "is not a" in (html := r.get_data(as_text=True))
            or "This kind of file is not accepted here" in html
        ), name
    assert count(db, LogbookEntry) == 0 and count(db, uploads.StoredFile) == files
    assert _new(client, w, attachment=upload(PNG, "foto kegiatan.png")).status_code == 302
    e = db.session.scalars(sa.select(LogbookEntry)).one()
    r = client.get(f"/internships/logbook/{e.id}/attachment")
    assert r.status_code == 200 and r.data == PNG
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"].startswith("attachment")
    r.close()
    login_as(w.mentor)  # a draft's attachment is the student's own
    assert client.get(f"/internships/logbook/{e.id}/attachment").status_code == 404
    e.state = S.SUBMITTED
    db.session.flush()
    r = client.get(f"/internships/logbook/{e.id}/attachment")
    assert r.status_code == 200
    r.close()
    for outsider in (w.other_student, w.other_mentor, w.other_opd_admin, w.other_uni_staff):
        login_as(outsider)
        assert client.get(f"/internships/logbook/{e.id}/attachment").status_code == 404


def test_replacing_or_removing_an_attachment_deletes_the_old_file(
    client, login_as, running_placement_world, db, make
):
    w = running_placement_world
    first = stored(make.internships, PDF, "lama.pdf")
    e = entry(db.session, w.placement, attachment=first)
    first_id, old_path = first.id, uploads._path_for(first.key)
    assert old_path.exists()
    login_as(w.student)
    data = {
        "day": str(e.day),
        "hours": "8",
        "activities": "Sama",
        "attachment": upload(PNG, "baru.png"),
    }
    assert client.post(f"/internships/logbook/{e.id}/edit", data=data).status_code == 302
    e = fresh(db, LogbookEntry, e.id)
    assert e.attachment.original_name == "baru.png" and not old_path.exists()
    assert db.session.get(uploads.StoredFile, first_id) is None
    second_path = uploads._path_for(e.attachment.key)
    data = {"day": str(e.day), "hours": "8", "activities": "Sama", "remove_attachment": "y"}
    assert client.post(f"/internships/logbook/{e.id}/edit", data=data).status_code == 302
    assert fresh(db, LogbookEntry, e.id).attachment_id is None and not second_path.exists()


def test_an_attachment_over_the_limit_is_refused(
    client, login_as, running_placement_world, db, app, monkeypatch
):
    w = running_placement_world
    monkeypatch.setitem(app.config, "INTERNSHIP_ATTACHMENT_MAX_BYTES", 1024)
    login_as(w.student)
    form = client.get(f"/internships/placements/{w.placement.id}/logbook/new").get_data(
        as_text=True
    )
    assert 'step="0.5"' in form and 'enctype="multipart/form-data"' in form
    r = _new(client, w, attachment=upload(PDF + b"0" * 2048, "besar.pdf"))
    assert r.status_code == 409 and "The file is larger than 1 KB." in r.get_data(as_text=True)
    assert count(db, LogbookEntry) == 0
