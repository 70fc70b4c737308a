"""Errors and logs leak nothing (G15); denied access and failed sign-ins are logged. (No default
accounts, ASVS V6.3.2: tests/test_security_first_admin.py.)"""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa

import portal.main.queries
from portal.auth.models import Role, User
from portal.config import PROJECT_ROOT
from tests.support.security import (
    sign_in,
    snapshot,
    try_sign_in,
    users_count,
)

# =================================================================================================
# G15: errors and logs leak nothing
# =================================================================================================


def test_500_page_shows_an_error_id_and_nothing_internal(client_as, monkeypatch, caplog):
    secret_sql = "SELECT password_hash FROM users WHERE email = 'x@example.test'"
    source = str(PROJECT_ROOT / "portal" / "main" / "queries.py")

    def boom():
        raise RuntimeError(f"{secret_sql} -- {source}")

    monkeypatch.setattr(portal.main.queries, "public_stats", boom)
    caplog.set_level(logging.DEBUG)
    r = client_as("anonymous").get("/")

    assert r.status_code == 500
    body = r.get_data(as_text=True)
    logged = [rec for rec in caplog.records if rec.getMessage().startswith("unhandled error")]
    assert len(logged) == 1 and logged[0].exc_info, "the error and its traceback are logged"
    error_id = logged[0].args[0]
    assert re.fullmatch(r"[0-9a-f]{8,}", error_id)
    assert error_id in body
    assert "Something went wrong" in body
    for leak in (
        "Traceback",
        'File "',
        "RuntimeError",
        "SELECT",
        "password_hash",
        source,
        str(PROJECT_ROOT),
        "site-packages",
        ".py",
    ):
        assert leak not in body, f"the 500 page shows {leak!r}"


def test_passwords_never_reach_logs_or_database(new_client, make, db, caplog):
    caplog.set_level(logging.DEBUG)
    secrets_used = ["S3cret-XYZ-123!", "Wr0ng-S3cret-987!", "N3w-S3cret-456?", "R3g-S3cret-789#"]
    user = make.user(Role.ASN, password="S3cret-XYZ-123!")
    uni = make.university()

    c = new_client()
    assert try_sign_in(c, user.email, "Wr0ng-S3cret-987!").status_code == 200
    sign_in(c, user.email, "S3cret-XYZ-123!")
    r = c.post(
        "/account/password",
        data={
            "current_password": "S3cret-XYZ-123!",
            "password": "N3w-S3cret-456?",
            "password_confirm": "N3w-S3cret-456?",
        },
    )
    assert r.status_code == 302
    r = new_client().post(
        "/register",
        data={
            "full_name": "Rina Mahasiswa",
            "email": "rina@example.com",
            "university_id": str(uni.id),
            "nim": "NIM-4242",
            "study_programme": "S1 Hukum",
            "notice_read": "y",
            "password": "R3g-S3cret-789#",
            "password_confirm": "R3g-S3cret-789#",
        },
    )
    assert r.status_code == 200 and users_count(db) >= 2

    logged = "\n".join(f"{rec.getMessage()} {rec.__dict__!r}" for rec in caplog.records)
    assert caplog.records, "nothing was logged: the check below would be empty"
    dump = repr(snapshot(db))
    for secret in secrets_used:
        assert secret not in logged, f"a password reached the log: {secret}"
        assert secret not in dump, f"a password is stored in plain text: {secret}"

    audits = db.session.scalar(sa.text("SELECT count(*) FROM audit_events"))
    assert audits >= 3  # failure, success, password change (the audit table was checked above)

    hashes = db.session.scalars(
        sa.select(User.password_hash).where(User.email.in_([user.email, "rina@example.com"]))
    ).all()
    assert len(hashes) == 2
    for h in hashes:
        assert h.startswith("$argon2id$"), h[:20]


def test_denied_access_is_logged_with_user_address_and_endpoint(world, client_as, caplog):
    caplog.set_level(logging.DEBUG)
    assert client_as("student").get("/admin/users").status_code == 403
    denied = [rec for rec in caplog.records if getattr(rec, "access", None)]
    assert len(denied) == 1 and denied[0].levelno >= logging.WARNING
    assert denied[0].access == {
        "endpoint": "admin.users",
        "status": 403,
        "user_id": world.student.id,
        "ip": "127.0.0.1",
    }


def test_failed_sign_in_is_audited_with_address_and_utc_time(world, new_client, db):
    assert try_sign_in(new_client(), world.asn.email, "Wr0ng-S3cret-987!").status_code == 200
    row = db.session.execute(
        sa.text("SELECT action, actor_id, ip, at FROM audit_events ORDER BY id DESC")
    ).first()
    assert row is not None
    assert (row.action, row.actor_id, row.ip) == ("login.failure", world.asn.id, "127.0.0.1")
    assert row.at is not None
