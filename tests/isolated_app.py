"""An app on a database of its own, for tests whose threads commit for real (concurrency).

The shared ``db`` fixture keeps each test inside one rolled-back transaction, which threads
cannot share. Here: a SQLite file in a temporary folder, or, when ``PORTAL_TEST_DATABASE_URI``
points at PostgreSQL, a throwaway database created next to it and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import uuid

import sqlalchemy as sa

from portal import create_app
from portal.db import db
from tests.conftest import TEST_DATABASE_URI, make_test_config


@contextlib.contextmanager
def isolated_app(folder, prefix: str):
    """Yield an app with every table created on a fresh database (``prefix`` names it)."""
    admin = name = None
    if TEST_DATABASE_URI:
        url = sa.make_url(TEST_DATABASE_URI)
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        uri = url.set(database=name).render_as_string(hide_password=False)
    else:
        uri = "sqlite:///" + str(folder / f"{prefix}.sqlite3")
    app = create_app(make_test_config(uri, UPLOAD_FOLDER=str(folder / "uploads")))
    try:
        with app.app_context():
            db.create_all()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
