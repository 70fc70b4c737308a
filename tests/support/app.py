"""The test app's configuration and its database, one per xdist worker.

``PORTAL_TEST_DATABASE_URI`` points the suite at PostgreSQL; each pytest-xdist worker then works
in a database of its own (``<name>_gw0``, ``<name>_gw1`` …, created at start, dropped at the end),
as each worker on SQLite works in a file of its own.
"""

from __future__ import annotations

import contextlib
import os
import uuid

import sqlalchemy as sa

TEST_DATABASE_URI = os.environ.get("PORTAL_TEST_DATABASE_URI")

#: The xdist worker running this process ("gw0", "gw1" …), or "" without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def on_postgresql() -> bool:
    return bool(TEST_DATABASE_URI) and TEST_DATABASE_URI.startswith("postgresql")


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


@contextlib.contextmanager
def _postgresql_database(name: str):
    """Create the PostgreSQL database ``name`` next to ``PORTAL_TEST_DATABASE_URI`` (dropping
    a leftover of that name first), yield its URI, drop it at the end."""
    url = sa.make_url(TEST_DATABASE_URI)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextlib.contextmanager
def scratch_database(folder, prefix: str):
    """Yield the URI of a new, empty database: a SQLite file in ``folder``, or, on PostgreSQL,
    a database created next to ``PORTAL_TEST_DATABASE_URI`` and dropped afterwards."""
    if not TEST_DATABASE_URI:
        yield "sqlite:///" + str(folder / f"{prefix}.sqlite3")
        return
    with _postgresql_database(f"{prefix}_{uuid.uuid4().hex[:8]}") as uri:
        yield uri


@contextlib.contextmanager
def worker_database(folder):
    """The URI of this worker's own test database (see the module's docstring)."""
    if not TEST_DATABASE_URI:
        yield "sqlite:///" + str(folder / "test.sqlite3")
    elif not WORKER:
        yield TEST_DATABASE_URI
    else:
        with _postgresql_database(f"{sa.make_url(TEST_DATABASE_URI).database}_{WORKER}") as uri:
            yield uri


@contextlib.contextmanager
def isolated_app(folder, prefix: str):
    """Yield an app with every table created on a fresh database of its own (``prefix`` names
    it; see ``scratch_database``), for tests whose data must be committed for real: threads
    that race (tests/support/race.py), the demo (tests/support/demo.py), a second app."""
    from portal import create_app
    from portal.db import db

    with scratch_database(folder, prefix) as uri:
        app = create_app(make_test_config(uri, UPLOAD_FOLDER=str(folder / "uploads")))
        try:
            with app.app_context():
                db.create_all()
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
