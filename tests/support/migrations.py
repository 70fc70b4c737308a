"""Migration tests' helpers (registered in tests/conftest.py): the migrations folder, a
brand-new database (``empty_database``) and a database already migrated to head
(``migrated_database``).

Data migrations are tested by writing rows at head (the models describe head, so the ORM and
the factories can write them), going down to the revision before the migration under test and
up to it again. Upgrading an empty database through every migration takes seconds, so the
database at head is built once per test process and copied for each test: a SQLite file with
SQLite's backup API, a PostgreSQL database with ``CREATE DATABASE … TEMPLATE``.
"""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.support.app import TEST_DATABASE_URI, make_test_config

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"


def _admin_engine() -> sa.Engine:
    return sa.create_engine(sa.make_url(TEST_DATABASE_URI), isolation_level="AUTOCOMMIT")


def _pg_database(template: str | None = None) -> tuple[str, str]:
    """A new PostgreSQL database (a copy of ``template`` if given): its name and URI."""
    name = f"portal_mig_{uuid.uuid4().hex[:8]}"
    admin = _admin_engine()
    with admin.connect() as conn:
        copy = f' TEMPLATE "{template}"' if template else ""
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
    admin.dispose()
    url = sa.make_url(TEST_DATABASE_URI).set(database=name)
    return name, url.render_as_string(hide_password=False)


def _drop_pg_database(name: str) -> None:
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def empty_database(tmp_path):
    """A brand-new database: a SQLite file, or a throwaway PostgreSQL database."""
    if not TEST_DATABASE_URI:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    name, uri = _pg_database()
    try:
        yield uri
    finally:
        _drop_pg_database(name)


@pytest.fixture(scope="session")
def _database_at_head(tmp_path_factory):
    """Built once per test process: a SQLite file path or a PostgreSQL database name."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.db import db

    if TEST_DATABASE_URI:
        name, uri = _pg_database()
    else:
        name = str(tmp_path_factory.mktemp("migrated") / "head.sqlite3")
        uri = "sqlite:///" + name
    app = create_app(make_test_config(uri))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.session.remove()
        db.engine.dispose()
    yield name
    if TEST_DATABASE_URI:
        _drop_pg_database(name)


@pytest.fixture
def migrated_database(tmp_path, _database_at_head):
    """A fresh copy of a database migrated to head, for one test."""
    if TEST_DATABASE_URI:
        name, uri = _pg_database(template=_database_at_head)
        try:
            yield uri
        finally:
            _drop_pg_database(name)
        return
    path = tmp_path / "migrated.sqlite3"
    with sqlite3.connect(_database_at_head) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    yield "sqlite:///" + str(path)
