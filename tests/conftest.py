"""Fixtures (CONVENTIONS.md §11): app, isolated database, client, login_as, factories, query
counting, a lazy-load guard while pages render, and a guard against real e-mail.

Set PORTAL_TEST_DATABASE_URI to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import contextvars
import os
import re
import smtplib
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import has_request_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import raiseload

from portal import create_app
from portal.db import db as _db
from portal.extensions import limiter
from tests import factories

TEST_DATABASE_URI = os.environ.get("PORTAL_TEST_DATABASE_URI")
_CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


def make_test_config(database_uri: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "SERVER_NAME": None,
        "MAIL_BACKEND": "log",
        "CITY_FIGURES_MAX_AGE": 0,  # every figure fresh: tests check them right after a change
        **extra,
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    uri = TEST_DATABASE_URI or "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app(make_test_config(uri, UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads"))))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database, with every test inside one outer transaction that is rolled back.

    Each engine is swapped for a connection holding that transaction; sessions join it with
    savepoints (``join_transaction_mode="create_savepoint"``), so a view's commit stays inside.
    """
    with app.app_context():
        engines = _db.engines
        saved = []
        for key, engine in list(engines.items()):
            connection = engine.connect()
            transaction = connection.begin()
            engines[key] = connection
            saved.append((key, engine, connection, transaction))
        try:
            limiter.reset()
            yield _db
        finally:
            _db.session.remove()
            for key, engine, connection, transaction in saved:
                if transaction.is_active:
                    transaction.rollback()
                connection.close()
                engines[key] = engine


class PortalClient(FlaskClient):
    """Each request runs in a fresh context (its own app context, ``g`` and session), as a real
    request would; ``post`` fetches a CSRF token unless one is given or ``csrf=False``."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self) -> str:
        html = self.get("/login" if not self._signed_in() else "/account").get_data(as_text=True)
        match = _CSRF_RE.search(html)
        assert match, "no CSRF token on the page"
        return match.group(1) or match.group(2)

    def _signed_in(self) -> bool:
        cookie = self.get_cookie("session")
        return cookie is not None and self._has_user

    _has_user = False

    def post(self, *args, csrf: bool = True, **kwargs):
        data = kwargs.get("data")
        if csrf and (data is None or isinstance(data, dict)) and "csrf_token" not in (data or {}):
            kwargs["data"] = {**(data or {}), "csrf_token": self.csrf_token()}
        return super().post(*args, **kwargs)


@pytest.fixture
def client(app, db):
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def login_as(app, client):
    """Sign the test client in as ``user`` (through the session, as Flask-Login does)."""

    def _login(user, c=None):
        c = c or client
        with contextvars.Context().run(c.session_transaction) as sess:
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
        c._has_user = True
        return c

    return _login


@pytest.fixture
def make(db):
    """Factories bound to the test's database session (``make.user(role=...)`` …)."""
    return factories.Factories(db.session)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as n: ...; assert n() <= 8`` counts SQL statements sent."""

    @contextmanager
    def _count():
        statements: list[str] = []

        def listener(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        event.listen(sa.Engine, "before_cursor_execute", listener)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(sa.Engine, "before_cursor_execute", listener)

    return _count


@pytest.fixture(autouse=True)
def no_lazy_loads_while_rendering():
    """While a request is handled, every ORM SELECT gets ``raiseload('*')``: a page that would
    load a relationship lazily (N+1) fails the test instead (QUALITY.md P5)."""

    def guard(state):
        if (
            has_request_context()
            and state.is_select
            and not state.is_column_load
            and not state.is_relationship_load
        ):
            state.statement = state.statement.options(raiseload("*"))

    event.listen(FlaskSession, "do_orm_execute", guard)
    yield
    event.remove(FlaskSession, "do_orm_execute", guard)


@pytest.fixture(autouse=True)
def no_real_email(monkeypatch):
    """Any attempt at real SMTP fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to send real e-mail over SMTP")

    monkeypatch.setattr(smtplib.SMTP, "__init__", refuse)
    monkeypatch.setattr(smtplib.SMTP_SSL, "__init__", refuse)


@pytest.fixture
def outbox(db):
    """The e-mails queued so far (rows of the outbox table)."""
    from portal.notify import OutboxEmail

    def _rows(recipient: str | None = None):
        stmt = sa.select(OutboxEmail).order_by(OutboxEmail.id)
        if recipient:
            stmt = stmt.where(OutboxEmail.recipient == recipient)
        return list(db.session.scalars(stmt))

    return _rows


# The world of every kind of object (tests/world.py) and the security suites' clients per role.
from tests.security_world import client_as, new_client  # noqa: E402, F401
from tests.world import world, world_locale  # noqa: E402, F401
