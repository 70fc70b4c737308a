"""Scheduling and running a batch through its pages: scheduling and editing a draft (mass
assignment, bad and implausible input kept or refused), sessions, open/close/cancel, and
completion with certificates (QUALITY.md G4, G5). (The list and the batch page:
test_views_batch_pages.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.certificates.models import Certificate
from portal.curricula.models import CurriculumState
from portal.db import utcnow
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.models import (
    Attendance,
    AttendanceMethod,
    BatchState,
    Registration,
    TrainingBatch,
    TrainingSession,
)
from portal.trainings.models import RegistrationState as S
from tests.support.pages import field_error
from tests.trainings.view_support import body, count, fresh, scene, text

# --- scheduling and editing ----------------------------------------------------------------------

FORM = {
    "title": "Angkatan I",
    "capacity": "30",
    "jp": "16",
    "registration_opens_at": "2030-01-06T08:00",
    "registration_closes_at": "2030-01-20T16:00",
}


def test_an_admin_schedules_a_draft_and_extra_fields_are_ignored(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.opd_admin)
    url = f"/trainings/batches/new?curriculum_id={s.curriculum.id}&title=Tindak+lanjut+RTL"
    assert 'value="Tindak lanjut RTL"' in body(client.get(url))
    other = make.curriculum(state=CurriculumState.PUBLISHED, agency=s.agency)
    r = client.post(
        url,
        data={
            **FORM,
            "facilitators": [s.facilitator.id],
            "target_agencies": [s.agency.id],
            "state": "open",
            "seats_taken": "9",
            "curriculum_id": other.id,
            "created_by_id": s.asn.id,
            "completed_at": "2020-01-01",
        },
    )
    assert r.status_code == 302, body(r)
    batch = db.session.scalar(sa.select(TrainingBatch).where(TrainingBatch.title == "Angkatan I"))
    assert (
        batch.state,
        batch.seats_taken,
        batch.curriculum_id,
        batch.created_by_id,
        batch.capacity,
        batch.jp,
    ) == (BatchState.DRAFT, 0, s.curriculum.id, s.opd_admin.id, 30, 16)
    assert batch.registration_opens_at.hour == 1  # 08:00 WIB
    assert [u.id for u in batch.facilitators] == [s.facilitator.id]


def test_bad_batch_input_keeps_what_was_typed(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.city_admin)
    url = f"/trainings/batches/new?curriculum_id={s.curriculum.id}"
    r = client.post(
        url,
        data={
            **FORM,
            "capacity": "0",
            "title": "Angkatan Dua",
            "registration_closes_at": "2030-01-01T08:00",
            "facilitators": [s.asn.id],
        },
    )
    assert r.status_code == 400
    page = body(r)
    assert 'value="Angkatan Dua"' in page and "Between 1 and 10000." in page
    assert "Registration must close after it opens." in page and "Choose from the list." in page
    assert count(db, TrainingBatch) == 1


@pytest.mark.parametrize("party", ["other_admin", "other_asn"])
def test_others_cannot_schedule_this_curriculum(db, make, client, login_as, party):
    s = scene(db, make, make.trainings)
    login_as(getattr(s, party))
    url = f"/trainings/batches/new?curriculum_id={s.curriculum.id}"
    assert client.get(url).status_code == 404
    assert client.post(url, data=FORM).status_code == 404
    draft = make.curriculum(state=CurriculumState.APPROVED, agency=s.agency)
    login_as(s.opd_admin)
    assert client.get(f"/trainings/batches/new?curriculum_id={draft.id}").status_code == 404


def test_the_agency_coauthor_schedules_from_the_chooser(db, make, client, login_as):
    coauthor = make.user(Role.ASN, locale="en")
    curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency_author=coauthor)
    login_as(coauthor)
    page = body(client.get("/trainings/batches/new"))
    assert f"curriculum_id={curriculum.id}" in page
    r = client.post(f"/trainings/batches/new?curriculum_id={curriculum.id}", data=FORM)
    assert r.status_code == 302
    assert count(db, TrainingBatch, TrainingBatch.curriculum_id == curriculum.id) == 1


def test_only_a_draft_is_edited(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    draft = make.trainings.batch(curriculum=s.curriculum, state=BatchState.DRAFT)
    login_as(s.opd_admin)
    form = body(client.get(f"/trainings/batches/{draft.id}/edit"))
    assert f'value="{draft.title}"' in form
    r = client.post(
        f"/trainings/batches/{draft.id}/edit",
        data={**FORM, "capacity": "12", "state": "completed", "seats_taken": "3"},
    )
    assert r.status_code == 302
    db.session.expire_all()
    edited = db.session.get(TrainingBatch, draft.id)
    assert (edited.capacity, edited.state, edited.seats_taken) == (12, BatchState.DRAFT, 0)
    r = client.post(f"/trainings/batches/{s.batch.id}/edit", data={**FORM, "capacity": "99"})
    assert r.status_code == 302 and db.session.get(TrainingBatch, s.batch.id).capacity == 10
    login_as(s.other_admin)
    assert client.get(f"/trainings/batches/{draft.id}/edit").status_code == 404
    login_as(s.asn)
    assert client.get(f"/trainings/batches/{draft.id}/edit").status_code == 404


# --- sessions and steps --------------------------------------------------------------------------


def test_a_session_is_added_in_wib_or_refused_with_the_reason(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.opd_admin)
    url = f"/trainings/batches/{s.batch.id}/sessions"
    ok = {
        "on": "2030-02-03",
        "starts": "08:00",
        "ends": "12:00",
        "online_link": "https://zoom.example/j/1",
    }
    assert client.post(url, data=ok).status_code == 302
    added = db.session.scalar(
        sa.select(TrainingSession).where(TrainingSession.online_link.is_not(None))
    )
    assert (added.starts_at.hour, added.ends_at.hour, len(added.check_in_code)) == (1, 5, 8)
    for bad, message in [
        ({**ok, "ends": "07:00"}, "A session must end after it starts."),
        (
            {**ok, "online_link": "", "place": ""},
            "Give the session&#39;s place or its online link.",
        ),
        ({**ok, "online_link": "javascript:alert(1)"}, "must start with https://"),
        ({**ok, "on": "1900-01-01"}, "between 2000 and 2100"),
    ]:
        r = client.post(url, data=bad)
        assert r.status_code == 400 and message in body(r), message
    assert count(db, TrainingSession, TrainingSession.batch_id == s.batch.id) == 2
    login_as(s.facilitator)
    assert client.post(url, data=ok).status_code == 403


def test_open_close_and_cancel(db, make, client, login_as, outbox):
    s = scene(db, make, make.trainings)
    empty = make.trainings.batch(curriculum=s.curriculum, state=BatchState.DRAFT, sessions=0)
    login_as(s.opd_admin)
    r = client.post(f"/trainings/batches/{empty.id}/step", data={"step": "open"})
    assert r.status_code == 409 and "Add at least one session" in body(r)
    step = f"/trainings/batches/{s.batch.id}/step"
    assert client.post(step, data={"step": "close"}).status_code == 302
    assert client.post(step, data={"step": "close"}).status_code == 409
    assert client.post(step, data={"step": "open"}).status_code == 302
    assert client.post(step, data={"step": "explode"}).status_code == 400
    reg = make.trainings.registration(s.batch, s.asn_record, state=S.ENROLLED)
    assert (
        client.post(step, data={"step": "cancel", "note": "Narasumber berhalangan"}).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(TrainingBatch, s.batch.id).state == BatchState.CANCELLED
    assert fresh(db, reg).state == S.CANCELLED
    login_as(s.asn)
    page = text(body(client.get(f"/trainings/registrations/{reg.id}")))
    assert "Narasumber berhalangan" in page
    login_as(s.other_admin)
    assert client.post(step, data={"step": "open"}).status_code == 404


# --- completion and certificates -----------------------------------------------------------------


def test_completion_issues_certificates_the_asn_downloads(db, make, client, login_as):
    s = scene(
        db,
        make,
        make.trainings,
        start=utcnow().replace(microsecond=0) - timedelta(days=3),
        sessions=2,
    )
    done = make.trainings.registration(s.batch, s.asn_record, state=S.ENROLLED)
    absent = make.trainings.registration(s.batch, s.other_record, state=S.ENROLLED)
    for session in s.batch.sessions:
        db.session.add(
            Attendance(
                session_id=session.id,
                registration_id=done.id,
                present=True,
                method=AttendanceMethod.FACILITATOR,
            )
        )
    db.session.flush()
    login_as(s.asn)
    assert client.post(f"/trainings/batches/{s.batch.id}/complete").status_code == 403
    login_as(make.trainings.facilitator())
    assert client.post(f"/trainings/batches/{s.batch.id}/complete").status_code == 404
    login_as(s.facilitator)
    r = client.post(f"/trainings/batches/{s.batch.id}/complete")
    assert r.status_code == 302, body(r)
    assert (fresh(db, done).state, fresh(db, absent).state) == (S.COMPLETED, S.NOT_COMPLETED)
    certificates = list(db.session.scalars(sa.select(Certificate)))
    assert [
        (c.source_type, c.source_id, c.kind.value, c.title, c.agency_id) for c in certificates
    ] == [("training_registration", done.id, "training", s.batch.title, s.agency.id)]
    first = s.batch.sessions[0].starts_at
    assert certificates[0].starts_on == (first + timedelta(hours=7)).date()
    # its number reaches the JP ledger record (SIASN noSertipikat; issue 17, point 6)
    credited = db.session.scalars(
        sa.select(LedgerEntry.certificate_number).where(LedgerEntry.registration_id == done.id)
    ).one()
    assert credited == certificates[0].number
    login_as(s.asn)
    page = body(client.get("/trainings/mine"))
    link = f"/certificates/{certificates[0].id}.pdf"
    assert link in page
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    login_as(s.facilitator)
    again = client.post(f"/trainings/batches/{s.batch.id}/complete")
    assert again.status_code == 409 and count(db, Certificate) == 1


def test_a_batch_is_completed_only_after_its_last_session(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.opd_admin)
    r = client.post(f"/trainings/batches/{s.batch.id}/complete")
    assert r.status_code == 409 and "after its last session" in body(r)
    assert count(db, Registration) == 0


def test_implausible_dates_are_refused_not_crashed(db, make, client, login_as):
    s = scene(db, make, make.trainings)
    login_as(s.opd_admin)
    url = f"/trainings/batches/new?curriculum_id={s.curriculum.id}"
    r = client.post(
        url,
        data={
            **FORM,
            "registration_opens_at": "0001-01-01T00:00",
            "registration_closes_at": "9999-12-31T23:59",
        },
    )
    assert r.status_code == 400
    message = "Enter a date between 2000 and 2100."
    for name in ("registration_opens_at", "registration_closes_at"):  # at the field and on top
        assert field_error(r, name) == message
        assert f'<a href="#{name}">' in body(r)
    assert body(r).count(message) == 4
    r = client.post(url, data={**FORM, "facilitators": ["abc"], "capacity": "9" * 400})
    assert r.status_code == 400
