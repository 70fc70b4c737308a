"""Issue 17, point 3, the data migration (d5f3a2c69e43): existing technical competencies get a
field (their seeded code's, else their OPD's urusan, else "lainnya"), existing positions the
field and pembina of their jabatan (a Pranata Komputer at Dinkes: informatics, BPS), the JF
jenjang table its documented defaults; the downgrade removes them again."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.db import db
from tests.support.app import make_test_config
from tests.support.migrations import MIGRATIONS

BEFORE, AFTER = "c4e2f1b58d32", "d5f3a2c69e43"
NOW = "2026-12-01 08:00:00.000000"


def _insert(table: str, **values) -> int:
    columns = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    db.session.execute(sa.text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), values)
    return db.session.scalar(sa.text(f"SELECT max(id) FROM {table}"))


def _agency(name, short):
    return _insert(
        "agencies", name=name, short_name=short, kind="dinas", is_active=True,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def _competency(code, ctype, agency_id):
    return _insert(
        "competencies", code=code, type=ctype, agency_id=agency_id, is_retired=False,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def _position(name, kind, jenjang, agency_id):
    return _insert(
        "positions", name=name, kind=kind, jenjang=jenjang, agency_id=agency_id, is_active=True,
        created_at=NOW, updated_at=NOW,
    )  # fmt: skip


def test_fields_and_jenjang_levels_are_filled_in_and_removed_again(empty_database):
    app = create_app(make_test_config(empty_database))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=BEFORE)
        dinkes = _agency("Dinas Kesehatan", "Dinkes")
        dlh = _agency("Dinas Lingkungan Hidup", "DLH")
        misc = _agency("Badan Serba Guna", "BSG")
        ids = {
            "T.KES.01": _competency("T.KES.01", "teknis", dinkes),
            "T.LH.07": _competency("T.LH.07", "teknis", dlh),
            "T.BSG.01": _competency("T.BSG.01", "teknis", misc),
            "M.01": _competency("M.01", "manajerial", None),
        }
        pranata = _position("Pranata Komputer", "fungsional", "Ahli Muda", dinkes)
        kabid = _position("Kepala Bidang", "administrator", None, dinkes)
        db.session.commit()
        db.session.close()  # SQLite: the migration writes through a connection of its own

        upgrade(directory=str(MIGRATIONS), revision=AFTER)
        fields = dict(db.session.execute(sa.text("SELECT id, field FROM competencies")).all())
        assert {code: fields[i] for code, i in ids.items()} == {
            "T.KES.01": "kesehatan",
            "T.LH.07": "lingkungan_hidup",
            "T.BSG.01": "lainnya",
            "M.01": None,
        }
        positions = {
            row.id: (row.field, row.pembina)
            for row in db.session.execute(sa.text("SELECT id, field, pembina FROM positions"))
        }
        assert positions[pranata] == ("informatika", "Badan Pusat Statistik (BPS)")
        assert positions[kabid] == ("kesehatan", None)
        levels = dict(
            db.session.execute(
                sa.text("SELECT jenjang, managerial_level FROM jf_jenjang_levels")
            ).all()
        )
        assert levels["Ahli Madya"] == 4 and len(levels) == 8
        db.session.close()

        downgrade(directory=str(MIGRATIONS), revision=BEFORE)
        inspector = sa.inspect(db.engine)
        assert "field" not in {c["name"] for c in inspector.get_columns("competencies")}
        assert "pembina" not in {c["name"] for c in inspector.get_columns("positions")}
        assert "jf_jenjang_levels" not in inspector.get_table_names()
        assert db.session.scalar(sa.text("SELECT count(*) FROM competencies")) == 4
        db.session.remove()
        db.engine.dispose()
