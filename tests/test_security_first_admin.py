"""No default accounts: a fresh database has none to guess, and the first administrator comes
from ``create-admin`` with a generated password (ASVS V6.3.2).

Kept apart from tests/test_security_logs.py, whose tests share a world built once per module:
these need the database as a deployment finds it, empty.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from portal.auth import passwords
from portal.auth.models import Role, User
from tests.support.security import assert_sent_to_login, sign_in, try_sign_in, users_count


def test_fresh_database_has_no_accounts_to_guess(new_client, db):
    assert users_count(db) == 0
    c = new_client()
    for email, password in [
        ("admin", "admin"),
        ("admin@sinergi.test", "admin"),
        ("admin@localhost", "password"),
        ("root@localhost", "root"),
    ]:
        assert try_sign_in(c, email, password).status_code == 200
    assert_sent_to_login(c.get("/dashboard"))


def _cli_password(output: str) -> str:
    match = re.search(r"Password[^:\n]*:\s*(\S+)\s*$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_create_admin_prints_a_generated_password_that_works(app, new_client, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "x@y.test"])
    assert result.exit_code == 0, result.output
    password = _cli_password(result.output)
    assert len(password) >= 16
    assert password.lower() not in {"admin", "password", "administrator", "changeme", "sinergi"}

    admin = db.session.scalars(sa.select(User).where(User.email == "x@y.test")).one()
    assert admin.roles == {Role.ADMIN} and admin.is_city_admin and admin.is_active
    assert admin.password_hash.startswith("$argon2id$")
    assert password not in admin.password_hash

    c = new_client()
    sign_in(c, "x@y.test", password)
    assert c.get("/admin/universities").status_code == 200  # city-wide screens

    # the password is generated each time, not a built-in default
    second = runner.invoke(args=["create-admin", "--email", "z@y.test"])
    assert second.exit_code == 0, second.output
    assert _cli_password(second.output) != password

    # an existing e-mail is refused and keeps its password
    again = runner.invoke(args=["create-admin", "--email", "X@Y.test"])
    assert again.exit_code != 0
    db.session.refresh(admin)
    assert passwords.verify_password(admin.password_hash, password)
