"""Issue 17, point 4, the data migration: every existing curriculum gets a SIASN training type
from the competencies it targets (only managerial → Pelatihan Manajerial, only socio-cultural →
Pelatihan Sosial Kultural, else Pelatihan Teknis); the downgrade takes the columns away and
keeps the curricula and their targets."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS

BEFORE, MINE = "a7c2e5f83d14", "c4e2f1b58d32"
NOW = datetime(2026, 1, 5, 8, tzinfo=UTC)


def _sql(text: str):
    """``text`` with ``:now`` bound as a timestamp (each database gets its own format)."""
    return sa.text(text).bindparams(sa.bindparam("now", type_=sa.DateTime(timezone=True)))


def _rows(conn) -> None:
    """Raw rows (the models already describe the new schema): one university and OPD, one
    competency of each type, four curricula targeting managerial / socio-cultural / mixed /
    nothing."""
    conn.execute(
        _sql(
            "INSERT INTO universities (id, name, short_name, is_active, created_at, updated_at) "
            "VALUES (1, 'Universitas Sumatera Utara', 'USU', :yes, :now, :now)"
        ),
        {"now": NOW, "yes": True},
    )
    for cid, code, kind in ((1, "M.01", "manajerial"), (2, "SK.01", "sosial_kultural"),
                            (3, "T.01", "teknis")):  # fmt: skip
        conn.execute(
            _sql(
                "INSERT INTO competencies (id, code, type, is_retired, created_at, updated_at) "
                "VALUES (:id, :code, :type, :no, :now, :now)"
            ),
            {"id": cid, "code": code, "type": kind, "now": NOW, "no": False},
        )
    targets = {1: [1], 2: [2], 3: [1, 3], 4: []}
    for cur_id, competencies in targets.items():
        conn.execute(
            _sql(
                "INSERT INTO curricula (id, university_id, title, summary, audience, mode, "
                "learning_outcomes, state, version_count, created_at, updated_at) VALUES "
                "(:id, 1, :title, '', 'asn', 'klasikal', '', 'published', 0, :now, :now)"
            ),
            {"id": cur_id, "title": f"Kurikulum {cur_id}", "now": NOW},
        )
        for competency_id in competencies:
            conn.execute(
                sa.text(
                    "INSERT INTO curriculum_targets (curriculum_id, competency_id, target_level) "
                    "VALUES (:cur, :comp, 3)"
                ),
                {"cur": cur_id, "comp": competency_id},
            )


def test_existing_curricula_are_typed_from_their_targets(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=BEFORE)
        with db.engine.begin() as conn:
            _rows(conn)
        db.session.close()  # SQLite: the migration writes through a connection of its own

        upgrade(directory=str(MIGRATIONS), revision=MINE)
        with db.engine.connect() as conn:
            types = dict(conn.execute(sa.text("SELECT id, training_type FROM curricula")).all())
            nip_lama = [c["name"] for c in sa.inspect(conn).get_columns("asn_profiles")]
        assert types == {
            1: "pelatihan_manajerial",
            2: "pelatihan_sosial_kultural",
            3: "pelatihan_teknis",
            4: "pelatihan_teknis",
        }
        assert "nip_lama" in nip_lama

        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        with db.engine.connect() as conn:
            columns = [c["name"] for c in sa.inspect(conn).get_columns("curricula")]
            kept = conn.execute(sa.text("SELECT COUNT(*) FROM curriculum_targets")).scalar()
            asn_columns = [c["name"] for c in sa.inspect(conn).get_columns("asn_profiles")]
        assert "training_type" not in columns and "nip_lama" not in asn_columns
        assert kept == 4  # the curricula were not copied and dropped with their targets
        db.session.remove()
        db.engine.dispose()
