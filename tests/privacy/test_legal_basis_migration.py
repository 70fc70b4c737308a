"""The personal-data migration (f7b5c4e8b065, issue 17 point 7): every existing account is
recorded as having accepted the notice in force before acceptances were stored (version
2026-11); the downgrade turns the new request kinds and states back into ones the older code
knows, and drops the table."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS

BEFORE, AFTER = "e6a4b3d7af54", "f7b5c4e8b065"
NOW = "2026-01-05 08:00:00"


def _rows(sql: str):
    return db.session.execute(sa.text(sql)).all()


def _request(id_, kind, state, handled) -> None:
    db.session.execute(
        sa.text(
            "INSERT INTO data_requests (id, user_id, kind, details, explanation, state, due_at,"
            " handled_by_id, handled_at, response, created_at, updated_at) VALUES (:id, 1, :kind,"
            " 'Data saya', '', :state, :now, :by, :at, :response, :now, :now)"
        ),
        {
            "id": id_, "kind": kind, "state": state, "now": NOW, "by": 1 if handled else None,
            "at": NOW if handled else None, "response": "Ya" if handled else None,
        },
    )  # fmt: skip


def test_existing_accounts_accepted_the_previous_notice(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=BEFORE)
        for id_, email in ((1, "admin@pemkomedan.go.id"), (2, "sari@student.example.com")):
            db.session.execute(
                sa.text(
                    "INSERT INTO users (id, email, full_name, is_active, status, locale,"
                    " session_token, created_at, updated_at) VALUES (:id, :email, 'Uji', true,"
                    " 'active', 'id', :token, :now, :now)"
                ),
                {"id": id_, "email": email, "token": f"token{id_}", "now": NOW},
            )
        db.session.commit()
        db.session.close()

        upgrade(directory=str(MIGRATIONS), revision=AFTER)
        rows = _rows(
            "SELECT user_id, notice_version, context, optional_purposes"
            " FROM notice_acceptances ORDER BY user_id"
        )
        assert [tuple(r) for r in rows] == [
            (1, "2026-11", "before_versioning", ""),
            (2, "2026-11", "before_versioning", ""),
        ]
        # The new kinds and states, which only the new code writes.
        _request(10, "restriction", "in_force", True)
        _request(11, "objection", "open", False)
        _request(12, "deletion", "approved", True)
        db.session.commit()
        db.session.close()

        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        assert "notice_acceptances" not in sa.inspect(db.engine).get_table_names()
        rows = _rows(
            "SELECT id, kind, state, details, handled_at IS NULL FROM data_requests ORDER BY id"
        )
        assert [tuple(r) for r in rows] == [
            (10, "correction", "done", "[restriction] Data saya", False),
            (11, "correction", "open", "[objection] Data saya", True),
            (12, "deletion", "open", "Data saya", True),
        ]
        db.session.remove()
        db.engine.dispose()
