"""Helpers shared by the account tests: links in e-mails, signing in through the form, the
audit trail, users who read English, and a filled-in registration form."""

from __future__ import annotations

import itertools
import re
from urllib.parse import urlsplit

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import User

NEW_PASSWORD = "a brand new sentence for Sinergi"
_LINK_RE = re.compile(r"https?://[^\s\"<>]+")


def path_of(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(mail) -> str:
    links = _LINK_RE.findall(mail.body_text)
    assert links, f"no link in the e-mail: {mail.body_text!r}"
    return path_of(links[0])


def sign_in(client, email: str, password: str):
    response = client.post("/login", data={"email": email, "password": password})
    if response.status_code == 302:
        client._has_user = True
    return response


def audit_events(db, action: str, **where) -> list[AuditEvent]:
    stmt = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def users_with_email(db, email: str) -> list[User]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(User).where(sa.func.lower(User.email) == email.lower()))
    )


_emails = itertools.count(1)


def en(make, *roles, **kw):
    """A user who reads English, with an address the e-mail forms accept (not ``.test``)."""
    kw.setdefault("locale", "en")
    kw.setdefault("email", f"pengguna{next(_emails)}@mail.example.com")
    return make.user(*roles, **kw)


def registration(university, **changes) -> dict:
    data = {
        "full_name": "Siti Aminah Lubis",
        "email": "siti.aminah@student.example.com",
        "university_id": str(university.id),
        "nim": "211402123",
        "study_programme": "S1 Ilmu Komputer",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
        "notice_read": "y",
    }
    data.update(changes)
    return data
