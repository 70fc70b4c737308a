"""Retention: ``flask --app portal purge`` anonymises or deletes exactly what is past its period,
reports the counts, changes nothing in a dry run, finds nothing the second time, and the admins'
retention page counts the same records without writing."""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role, User
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.notify import Notification, OutboxEmail
from portal.uploads import StoredFile
from portal.view_log import PersonalDataView
from tests.privacy.purge_support import EXPECTED, counts, file_path, purge_world, run

S = ApplicationState


def _ids(db, model) -> set[int]:
    return set(db.session.scalars(sa.select(model.id)))


def _purge_events(db) -> list[AuditEvent]:
    return list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "privacy.purge"))
    )


def test_purge_anonymises_exactly_what_is_past_retention(app, db, make):
    w = purge_world(make)
    old_cv = db.session.get(StoredFile, w.old_rejected_app.cv_file_id)
    fresh_cv_id = w.fresh_rejected_app.cv_file_id
    old_key, old_cv_id, position_id = old_cv.key, old_cv.id, w.old_rejected_app.position_id
    assert file_path(app, old_key).exists()
    kept_people = {u.id: (u.email, u.nim) for u in (w.fresh_rejected_student, w.old_active_student)}

    result = run(app, "purge")

    assert result.exit_code == 0, result.output
    assert counts(result.output) == EXPECTED
    assert "Files removed: 2" in result.output
    db.session.expire_all()

    old = db.session.get(Application, w.old_rejected_app.id)
    assert (old.motivation, old.decision_reason, old.cv_file_id) == ("", None, None)
    # What statistics need stays: state, dates, position.
    assert (old.state, old.position_id) == (S.REJECTED, position_id)
    assert old.decided_at is not None and old.endorsed_at is not None
    notes = db.session.scalars(
        sa.select(ApplicationEvent.note).where(ApplicationEvent.application_id == old.id)
    ).all()
    assert notes and all(n is None for n in notes)
    assert db.session.get(StoredFile, old_cv_id) is None
    assert not file_path(app, old_key).exists()
    assert db.session.get(Application, w.old_withdrawn_app.id).cv_file_id is None

    for untouched in (w.fresh_rejected_app, w.old_accepted_app):
        row = db.session.get(Application, untouched.id)
        assert row.motivation == "Saya ingin belajar pelayanan publik digital."
        assert row.decision_reason and row.cv_file_id is not None
    fresh_cv = db.session.get(StoredFile, fresh_cv_id)
    assert fresh_cv is not None and file_path(app, fresh_cv.key).exists()

    for gone in (w.old_rejected_student, w.old_pending_student):
        user = db.session.get(User, gone.id)
        assert user.email == f"deleted-{user.id}@invalid"
        assert user.full_name == f"deleted-{user.id}"
        assert (user.nim, user.study_programme, user.password_hash) == (None, None, None)
        assert user.rejection_reason is None
        assert user.status == AccountStatus.REJECTED and not user.is_active_flag
    for user_id, (email, nim) in kept_people.items():
        user = db.session.get(User, user_id)
        assert (user.email, user.nim) == (email, nim) and not email.startswith("deleted-")

    n = w.notifications
    assert _ids(db, Notification) == {n["fresh_read"].id, n["unread"].id}
    e = w.emails
    assert _ids(db, OutboxEmail) == {e["fresh_sent"].id, e["pending"].id}
    assert _ids(db, PersonalDataView) == {w.views["fresh"].id}

    [event] = _purge_events(db)
    assert event.actor_id is None and event.target_id is None
    detail = event.detail_dict
    assert detail["counts"] == {k: int(v) for k, v in EXPECTED.items() if v != "kept"}
    # No personal data in the audit event: no names, e-mails, NIMs or free text.
    assert "@" not in event.detail and "Budi" not in event.detail


def test_dry_run_changes_nothing_and_reports_the_same_counts(app, db, make):
    w = purge_world(make)
    key = db.session.get(StoredFile, w.old_rejected_app.cv_file_id).key
    before = {m: _ids(db, m) for m in (Notification, OutboxEmail, PersonalDataView, StoredFile)}
    email = w.old_rejected_student.email

    result = run(app, "purge", "--dry-run")

    assert result.exit_code == 0, result.output
    assert counts(result.output) == EXPECTED
    assert "nothing was changed" in result.output
    db.session.expire_all()
    assert {m: _ids(db, m) for m in before} == before
    old = db.session.get(Application, w.old_rejected_app.id)
    assert old.motivation and old.cv_file_id is not None and file_path(app, key).exists()
    assert db.session.get(User, w.old_rejected_student.id).email == email
    assert not email.startswith("deleted-")
    assert _purge_events(db) == []


def test_second_run_finds_nothing(app, db, make):
    purge_world(make)
    assert run(app, "purge").exit_code == 0

    again = run(app, "purge")

    assert again.exit_code == 0, again.output
    assert counts(again.output) == {
        k: ("kept" if v == "kept" else "0") for k, v in EXPECTED.items()
    }
    assert "Files removed: 0" in again.output
    assert len(_purge_events(db)) == 2


def test_today_option_moves_the_cutoff(app, db, make):
    w = purge_world(make)
    # Three years on, every closed application and every read notification is past retention.
    result = run(app, "purge", "--dry-run", "--today", "2099-01-01")
    found = counts(result.output)
    assert found["applications_closed"] == "3"  # the fresh rejection too, never the accepted one
    assert found["notifications_read"] == "2"
    assert "older than 2097-01-01" in result.output
    # A day long ago: nothing is past retention yet.
    past = counts(run(app, "purge", "--dry-run", "--today", "2001-01-01").output)
    assert set(past.values()) == {"0", "kept"}
    assert db.session.get(Application, w.fresh_rejected_app.id).motivation


def test_bad_today_is_a_clean_error(app, db, make):
    for bad in ("2026-13-45", "yesterday", "1999-12-31", "9999-12-31"):
        result = run(app, "purge", "--today", bad)
        assert result.exit_code == 2, (bad, result.output)
        assert "--today" in result.output and "Traceback" not in result.output
    assert _purge_events(db) == []


def test_a_type_without_period_is_kept(app, db, make, monkeypatch):
    w = purge_world(make)
    monkeypatch.setitem(app.config, "PRIVACY_RETENTION", {"view_log": None, "outbox_sent": "6"})

    result = run(app, "purge")

    found = counts(result.output)
    assert found["view_log"] == found["outbox_sent"] == found["applications_closed"] == "kept"
    db.session.expire_all()
    assert w.views["old"].id in _ids(db, PersonalDataView)
    assert w.emails["old_sent"].id in _ids(db, OutboxEmail)
    assert db.session.get(Application, w.old_rejected_app.id).motivation


def test_retention_page_lists_periods_and_counts(client, db, make, login_as, count_queries):
    purge_world(make)
    admin = make.user(Role.ADMIN, locale="en")
    login_as(admin)

    with count_queries() as n:
        response = client.get("/privacy/retention")

    assert response.status_code == 200
    assert n() <= 12
    rows = {
        re.sub(r"<[^>]+>", "|", row).split("|")[2].strip(): re.findall(r">([^<>]*)</td>", row)
        for row in re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", response.text, re.S)
    }
    assert rows["Internship applications never accepted"][0] == "24 months"
    assert rows["Internship applications never accepted"][-1] == "2"
    assert rows["E-mails sent or given up"][0] == "6 months"
    assert rows["Audit log"][0] == "Kept" and rows["Audit log"][-1] == "—"
    # Counting wrote nothing: the purge still finds every record.
    assert counts(run(client.application, "purge", "--dry-run").output) == EXPECTED


def test_retention_page_is_for_admins_only(client, db, make, login_as):
    for role in (Role.ASN, Role.STUDENT, Role.UNIVERSITY, Role.MENTOR):
        login_as(make.user(role))
        assert client.get("/privacy/retention").status_code == 403
