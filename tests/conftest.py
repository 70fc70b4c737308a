"""Fixtures (CONVENTIONS.md §11): app, isolated database, client, login_as, factories, query
counting, a lazy-load guard while pages render, and a guard against real e-mail.

Set PORTAL_TEST_DATABASE_URI to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import smtplib
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import has_request_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.orm import raiseload

from portal import create_app
from portal.db import db as _db
from tests.support import factories, lanes
from tests.support.app import make_test_config, worker_database
from tests.support.client import PortalClient, sign_in_as
from tests.support.db import is_pinned, pinned, rolled_back


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    lanes.choose(config, items)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """One app per xdist worker, on the worker's own database (tests/support/app.py)."""
    folder = tmp_path_factory.mktemp("db")
    with worker_database(folder) as uri:
        app = create_app(
            make_test_config(uri, UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))
        )
        with app.app_context():
            _db.drop_all()
            _db.create_all()
        yield app
        with app.app_context():
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()


@pytest.fixture(scope="module")
def module_db(app):
    """The database for data built once per module: every test of the module then runs in a
    savepoint rolled back after it (tests/support/db.py)."""
    with pinned(app) as database:
        yield database


@pytest.fixture
def db(app):
    """The database, with everything the test writes rolled back after it: inside the module's
    transaction when the module built a world (``module_db``), else in one of its own."""
    if is_pinned(app):
        with rolled_back() as database:
            yield database
    else:
        with pinned(app) as database:
            yield database


@pytest.fixture
def client(app, db):
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def english(client):
    """The test client asks for English pages (``Accept-Language: en``)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def login_as(app, client):
    """Sign the test client in as ``user`` (through the session, as Flask-Login does)."""

    def _login(user, c=None):
        return sign_in_as(c or client, user)

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


# The world of every kind of object (tests/support/worlds/crawl.py) and the security suites' clients per role.
from tests.support.demo import demo_app  # noqa: E402, F401
from tests.support.migrations import (  # noqa: E402, F401
    _database_at_head,
    empty_database,
    migrated_database,
)
from tests.support.race import race_app  # noqa: E402, F401
from tests.support.security import client_as, new_client  # noqa: E402, F401
from tests.support.worlds.crawl import world, world_locale  # noqa: E402, F401
