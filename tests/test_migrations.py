"""The migrations build the schema the models describe, from an empty database (CONVENTIONS §12)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import TEST_DATABASE_URI, make_test_config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_single_head():
    config = AlembicConfig(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"several migration heads: {heads}"


@pytest.fixture
def empty_database(tmp_path):
    """A brand-new database: a SQLite file, or a throwaway PostgreSQL database."""
    if not TEST_DATABASE_URI:
        yield "sqlite:///" + str(tmp_path / "migrations.sqlite3")
        return
    url = sa.make_url(TEST_DATABASE_URI)
    name = f"portal_mig_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def test_upgrade_matches_models_and_downgrades(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        with db.engine.connect() as conn:
            diffs = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diffs == [], f"models and migrations disagree: {diffs}"
        downgrade(directory=str(MIGRATIONS), revision="base")
        with db.engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade(directory=str(MIGRATIONS))
        db.session.remove()
        db.engine.dispose()
