"""Issue 18 (8): the admin sees what really happened to an account's invitation (never sent by
the roster import, queued, sent on a date, failed and why, accepted), and invites together the
people of an import or of a filtered account list: one POST, through the invitation service
(token, outbox, audit), within the admin's scope, skipping those who accepted or were invited."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth import invitations
from portal.auth import services as account_services
from portal.auth.invitations import InvitationState
from portal.auth.models import Role, User
from portal.notify import OutboxEmail, OutboxStatus
from tests.support.pages import flashes, text
from tests.support.worlds import module_world

S = InvitationState
SENT_AT = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


def build_people(make) -> SimpleNamespace:
    """Two OPDs; at A one account in each invitation state plus a deactivated one never invited;
    at B one never invited. An import by A's admin holds A's never/failed/accepted and B's."""
    a, b = make.agency(short_name="DISA"), make.agency(short_name="DISB")
    city = make.user(Role.ADMIN, locale="en", full_name="Admin Kota")
    opd_admin = make.user(Role.ADMIN, admin_agency=a, locale="en", full_name="Admin OPD A")
    other_admin = make.user(Role.ADMIN, admin_agency=b, locale="en")

    def person(name, agency=a, mail=None, **kw):
        user = make.user(Role.ASN, agency=agency, password=None, full_name=name, **kw)
        if mail is not None:
            status, error = mail
            user.invitation_email = OutboxEmail(
                recipient=user.email,
                subject="Undangan",
                body_text="-",
                status=status,
                attempts=1 if error else 0,
                last_error=error,
                sent_at=SENT_AT if status == OutboxStatus.SENT else None,
            )
            user.invited_at = SENT_AT
        return user

    w = SimpleNamespace(a=a, b=b, city=city, opd_admin=opd_admin, other_admin=other_admin)
    w.never = person("Ani Belum")
    w.failed = person("Budi Gagal", mail=(OutboxStatus.FAILED, "550 mailbox unavailable"))
    w.queued = person("Citra Antre", mail=(OutboxStatus.PENDING, None))
    w.sent = person("Dedi Terkirim", mail=(OutboxStatus.SENT, None))
    w.accepted = make.user(Role.ASN, agency=a, full_name="Eka Aktif")
    w.inactive = person("Fajar Nonaktif", is_active_flag=False)
    w.elsewhere = person("Gita Lain", agency=b)
    make.session.flush()
    for user in (w.never, w.failed, w.accepted, w.elsewhere):  # ASN records too
        make.asn_profile(user)
    w.batch = make.roster_import(opd_admin, [w.never, w.failed, w.accepted, w.elsewhere])
    return w


people = module_world(build_people)


def _user(db, user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_each_account_says_what_really_happened_to_its_invitation(app, people):
    w = people
    expected = {
        w.never: S.NOT_SENT,
        w.failed: S.FAILED,
        w.queued: S.QUEUED,
        w.sent: S.SENT,
        w.accepted: S.ACCEPTED,
        w.inactive: S.NOT_SENT,
    }
    for user, state in expected.items():
        assert invitations.state_of(user) == state, user.full_name
        # the SQL rule (filters, counts) agrees with the Python one (one account on a page)
        ids = sa.select(User.id).where(User.id == user.id, invitations.state_is(state))
        assert list(app.extensions["sqlalchemy"].session.scalars(ids)) == [user.id]
    with app.test_request_context("/?lang=en"):
        assert invitations.describe(w.never) == "No invitation sent yet"
        assert invitations.describe(w.failed) == "Sending failed: 550 mailbox unavailable"
        assert invitations.describe(w.queued).startswith("Invitation queued on ")
        assert invitations.describe(w.sent) == "Invitation sent on 30 Nov 2026"
        assert invitations.describe(w.accepted) == "Accepted / active"


def test_the_account_list_shows_the_true_status_not_invited(client, login_as, people):
    w = people
    login_as(w.city)
    page = text(client.get("/admin/users?role=asn"))
    for line in (
        "No invitation sent yet",
        "Sending failed: 550 mailbox unavailable",
        "Invitation queued on",
        "Invitation sent on 30 Nov 2026",
    ):
        assert line in page, line
    never = text(client.get("/admin/users?invitation=not_sent&role=asn"))
    assert "Ani Belum" in never and "Budi Gagal" not in never and "Eka Aktif" not in never


def test_the_service_queues_only_the_ones_never_invited_or_failed(app, db, people):
    w = people
    with app.test_request_context("/"):
        everyone = [w.never, w.failed, w.queued, w.sent, w.accepted, w.inactive]
        result = account_services.send_invitations(everyone, actor=w.opd_admin, source="list")
        assert result == {"queued": 2, "skipped": 4, "left": 0}
        db.session.flush()
        for user in (w.never, w.failed):
            mail = user.invitation_email
            assert mail.status == OutboxStatus.PENDING and mail.recipient == user.email
            assert "/invitation/" in mail.body_text
            assert invitations.state_of(user) == S.QUEUED
        per_person = db.session.scalars(
            sa.select(AuditEvent.target_id).where(AuditEvent.action == "account.invitation")
        ).all()
        assert sorted(per_person) == sorted([w.never.id, w.failed.id])
        summary = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "account.invite_bulk")
        ).one()
        assert summary.detail_dict == {"sent_from": "list", "queued": 2, "skipped": 4}
        # another OPD's person is skipped even if handed over
        result = account_services.send_invitations([w.elsewhere], actor=w.opd_admin, source="list")
        assert result["queued"] == 0
    db.session.rollback()


def test_bulk_invitation_of_a_filtered_list_within_the_opd_admins_scope(
    client, login_as, db, outbox, people
):
    w = people
    login_as(w.opd_admin)
    listing = text(client.get("/admin/users"))
    assert "Gita Lain" not in listing  # another OPD's people are not the OPD admin's
    assert "Invite the 2 people of this list not invited yet" in listing
    confirm = client.get("/admin/users/invitations")
    assert confirm.status_code == 200
    page = text(confirm)
    assert "2 e-mails will go out" in page
    assert "Skipped: 1 already accepted." in page
    assert "Skipped: 2 already invited (queued or sent)." in page
    before = len(outbox())
    done = client.post("/admin/users/invitations", data={})
    assert done.status_code == 302 and done.headers["Location"].startswith("/admin/users")
    message = " ".join(flashes(client.get(done.headers["Location"])))
    assert "2 invitations queued" in message and "1 already accepted" in message
    assert sorted(m.recipient for m in outbox()[before:]) == sorted([w.never.email, w.failed.email])
    assert invitations.state_of(_user(db, w.elsewhere)) == S.NOT_SENT
    # a filtered list: only who the filter keeps
    login_as(w.city)
    narrowed = text(client.get("/admin/users/invitations?q=Gita"))
    assert "1 e-mail will go out" in narrowed


def test_the_import_result_says_what_happened_and_invites_its_people(
    client, login_as, db, outbox, people
):
    w = people
    url = f"/admin/roster/imports/{w.batch.id}"
    login_as(w.other_admin)
    assert client.get(url).status_code == 404  # another OPD admin's import
    login_as(w.opd_admin)
    page = text(client.get(url))
    assert "The import itself sends no e-mail" in page
    assert "No invitation sent yet" in page and "Sending failed: 550 mailbox unavailable" in page
    assert "Gita Lain" not in page  # the OPD admin sees its own OPD's people only
    assert "Invite the 2 people of this import" in page
    before = len(outbox())
    done = client.post(f"{url}/invitations", data={})
    assert done.status_code == 302 and done.headers["Location"] == url
    after = client.get(url)
    assert "2 invitations queued" in " ".join(flashes(after))
    assert "Nobody of this import is waiting for an invitation." in text(after)
    assert len(outbox()) == before + 2
    assert invitations.state_of(_user(db, w.elsewhere)) == S.NOT_SENT


def test_bulk_invitation_from_the_filtered_asn_records_list(client, login_as, outbox, people):
    w = people
    login_as(w.opd_admin)
    listing = client.get("/admin/competency/asn")
    page = text(listing)
    assert "No invitation sent yet" in page and "Accepted / active" in page
    assert "Gita Lain" not in page  # another OPD's record
    assert "Invite the 2 people of this list not invited yet" in page
    confirm = text(client.get("/admin/competency/asn/invitations?q=Budi"))
    assert "1 e-mail will go out" in confirm
    before = len(outbox())
    done = client.post("/admin/competency/asn/invitations?q=Budi", data={})
    assert done.status_code == 302
    assert done.headers["Location"] == "/admin/competency/asn?q=Budi"
    assert "1 invitation queued" in " ".join(flashes(client.get(done.headers["Location"])))
    assert [m.recipient for m in outbox()[before:]] == [w.failed.email]
