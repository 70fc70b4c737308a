"""Issue 17 point 7, the erasure step: an approved deletion request is carried out by a
city-wide admin, who first sees what is anonymised or deleted and what the law requires to keep;
it runs in one transaction, is audited without the erased values, and tells the person through
the outbox. Refused on a request that is not an approved deletion."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.db import utcnow
from portal.internships.applications.models import Application
from portal.internships.models import Placement
from portal.internships.placements.models import EntryState, LogbookEntry
from portal.notify import Notification
from portal.privacy.models import DataRequest, RequestKind, RequestState
from portal.trainings.ledger.conversion import Unit
from portal.trainings.ledger.models import EntryState as LedgerState
from portal.trainings.ledger.models import LedgerEntry, LedgerSource
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import HallOfFameConsent
from portal.uploads import StoredFile
from tests.internships.guidance_support import GuidanceFactories
from tests.privacy.support import rated_material
from tests.support.pages import visible_text
from tests.support.worlds import module_world


def _request(session, user, kind, state, admin) -> DataRequest:
    now = utcnow()
    handled = state != RequestState.OPEN
    row = DataRequest(
        user_id=user.id, kind=kind, state=state, details="Hapus semua data saya.",
        created_at=now, updated_at=now, due_at=now + timedelta(hours=72),
        handled_by_id=admin.id if handled else None, handled_at=now if handled else None,
        response="Disetujui." if handled else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def build_erasure(make) -> SimpleNamespace:
    """A student with a placement, a logbook entry with an attachment, an application with a
    CV, a notification and a named rating, whose deletion is approved; another student whose
    deletion request is still open; an ASN with a JP ledger entry and a hall of fame consent,
    whose deletion is approved."""
    s = make.session
    with current_app.test_request_context():
        admin = make.user(Role.ADMIN, locale="en", full_name="Admin Kota")
        opd_admin = make.user(Role.ADMIN, admin_agency=make.agency(), locale="en")
        p = GuidanceFactories(make, make.internships).placement()
        student = p.student
        student.full_name, student.locale = "Sari Nasution", "en"
        cv = s.get(Application, p.application_id).cv_file_id
        entry = LogbookEntry(
            placement_id=p.id, day=date.today(), minutes=120, activities="Rapat dengan Sari.",
            attachment_id=make.internships.cv(student).id, state=EntryState.SUBMITTED,
        )  # fmt: skip
        s.add(entry)
        s.add(Notification(user_id=student.id, category="privacy", message_key="x", params={}))
        rated_material(make, (student, True, "Materi jelas."))
        other = make.user(Role.STUDENT, locale="en", full_name="Budi Lubis")
        asn_user = make.user(Role.ASN, agency=make.agency(), locale="en", full_name="Rina Siregar")
        asn = make.asn_profile(asn_user)
        recognition_services.give_consent(asn, actor=asn_user)
        s.add(
            LedgerEntry(
                asn_id=asn.id, year=2026, source=LedgerSource.EXTERNAL, form="seminar",
                title="Seminar SPBE", organiser="Kemendagri", started_on=date(2026, 3, 2),
                ended_on=date(2026, 3, 2), quantity=1, unit=Unit.PER_DAY, jp=2.5,
                state=LedgerState.VERIFIED,
            )
        )  # fmt: skip
        s.flush()
        w = SimpleNamespace(
            admin=admin.id, opd_admin=opd_admin.id, student=student.id, email=student.email,
            placement=p.id, application=p.application_id, cv=cv, entry=entry.id,
            attachment=entry.attachment_id, other=other.id, asn_user=asn_user.id, asn=asn.id,
            approved=_request(s, student, RequestKind.DELETION, RequestState.APPROVED, admin).id,
            open=_request(s, other, RequestKind.DELETION, RequestState.OPEN, admin).id,
            asn_approved=_request(
                s, asn_user, RequestKind.DELETION, RequestState.APPROVED, admin
            ).id,
        )  # fmt: skip
        s.commit()
    return w


world = module_world(build_erasure)


def _erase_events(db):
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "privacy.erase"))
    )


def test_the_page_lists_what_goes_and_what_the_law_keeps(client, db, world, login_as):
    login_as(db.session.get(User, world.admin))
    page = visible_text(client.get(f"/privacy/requests/{world.approved}/erase"))
    assert "What is anonymised or deleted" in page and "Internship applications 1" in page
    assert "Logbook entries 1" in page
    assert "What is kept because the law requires it" in page
    for kept in ("JP ledger entries of an ASN", "Certificates issued", "Audit log"):
        assert kept in page
    assert "Erase now" in page


def test_an_approved_deletion_is_erased_keeping_what_the_law_requires(
    client, db, world, login_as, outbox, app
):
    login_as(db.session.get(User, world.admin))
    response = client.post(
        f"/privacy/requests/{world.approved}/erase", data={"confirm": "y", "response": "Selesai."}
    )
    assert response.status_code == 302
    db.session.expire_all()

    user = db.session.get(User, world.student)
    assert user.full_name == f"deleted-{user.id}" and user.email.endswith("@invalid")
    assert not user.is_active_flag and user.nim is None and user.password_hash is None
    application = db.session.get(Application, world.application)
    assert (application.motivation, application.cv_file_id) == ("", None)
    entry = db.session.get(LogbookEntry, world.entry)
    assert (entry.activities, entry.attachment_id) == ("", None)
    assert db.session.get(StoredFile, world.cv) is None
    assert db.session.get(StoredFile, world.attachment) is None
    # Kept: the placement (credit recognition) and the request itself, now done.
    assert db.session.get(Placement, world.placement) is not None
    request = db.session.get(DataRequest, world.approved)
    assert request.state == RequestState.DONE and request.handled_by_id == world.admin

    [event] = _erase_events(db)
    assert event.actor_id == world.admin and event.target_id == world.student
    assert '"applications": 1' in event.detail and '"logbooks": 1' in event.detail
    assert "Sari" not in event.detail and "@" not in event.detail and "Rapat" not in event.detail
    # Told through the outbox, at the address they had.
    [mail] = outbox(world.email)
    assert "Selesai." in mail.body_text


def test_an_asn_keeps_the_ledger_and_the_account(client, db, world, login_as):
    login_as(db.session.get(User, world.admin))
    response = client.post(f"/privacy/requests/{world.asn_approved}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.asn_user).full_name == "Rina Siregar"
    assert db.session.scalar(sa.select(sa.func.count()).where(LedgerEntry.asn_id == world.asn)) == 1
    consent = db.session.scalars(
        sa.select(HallOfFameConsent).where(HallOfFameConsent.asn_id == world.asn)
    ).one()
    assert consent.withdrawn_at is not None


def test_erasure_is_refused_on_a_request_not_approved(client, db, world, login_as):
    login_as(db.session.get(User, world.admin))
    page = client.get(f"/privacy/requests/{world.open}/erase")
    assert page.status_code == 200 and "Erase now" not in visible_text(page)
    response = client.post(f"/privacy/requests/{world.open}/erase", data={"confirm": "y"})
    assert response.status_code == 409
    assert "Only an approved deletion request can be erased." in visible_text(response)
    db.session.expire_all()
    assert db.session.get(User, world.other).full_name == "Budi Lubis"
    assert db.session.get(DataRequest, world.open).state == RequestState.OPEN
    assert _erase_events(db) == []


def test_an_unconfirmed_erasure_changes_nothing(client, db, world, login_as):
    login_as(db.session.get(User, world.admin))
    response = client.post(f"/privacy/requests/{world.approved}/erase", data={"response": "x"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, world.student).full_name == "Sari Nasution"


def test_only_a_city_admin_erases(client, db, world, login_as):
    login_as(db.session.get(User, world.opd_admin))
    assert client.get(f"/privacy/requests/{world.approved}/erase").status_code == 403
    assert (
        client.post(f"/privacy/requests/{world.approved}/erase", data={"confirm": "y"}).status_code
        == 403
    )
    login_as(db.session.get(User, world.student))
    assert client.get(f"/privacy/requests/{world.approved}/erase").status_code == 403
