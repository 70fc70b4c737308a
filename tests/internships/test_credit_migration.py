"""The credit schemes' migration (e6a4b3d7af54, issue 17 point 5): it adds three tables and moves
no data. A university that had its own hours per SKS keeps it and gets no scheme (its placements
follow the older rule until its staff set one); the downgrade drops the tables, nothing else."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS

BEFORE, CREDIT = "d5f3a2c69e43", "e6a4b3d7af54"
TABLES = {"internship_credit_schemes", "internship_credit_courses", "internship_grade_bands"}


def _tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def test_existing_universities_get_no_scheme_and_keep_their_rule(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=BEFORE)
        assert not TABLES & _tables()
        now = "2026-01-05 08:00:00"
        db.session.execute(
            sa.text(
                "INSERT INTO universities (id, name, short_name, is_active, created_at, updated_at)"
                " VALUES (7, 'Universitas Uji', 'UU', true, :now, :now)"
            ),
            {"now": now},
        )
        db.session.execute(
            sa.text(
                "INSERT INTO university_settings (university_id, hours_per_sks, updated_at)"
                " VALUES (7, 30, :now)"
            ),
            {"now": now},
        )
        db.session.commit()
        db.session.close()

        upgrade(directory=str(MIGRATIONS), revision=CREDIT)
        assert _tables() >= TABLES
        assert db.session.scalar(sa.text("SELECT count(*) FROM internship_credit_schemes")) == 0
        assert db.session.scalar(sa.text("SELECT hours_per_sks FROM university_settings")) == 30
        db.session.execute(
            sa.text(
                "INSERT INTO internship_credit_schemes (university_id, kind, sks, min_weeks,"
                " pks_number, created_at, updated_at) VALUES (7, 'semester', 20, 16, '', :n, :n)"
            ),
            {"n": now},
        )
        db.session.commit()
        db.session.close()

        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        assert not TABLES & _tables()
        assert db.session.scalar(sa.text("SELECT short_name FROM universities")) == "UU"
        assert db.session.scalar(sa.text("SELECT hours_per_sks FROM university_settings")) == 30
        db.session.remove()
        db.engine.dispose()
