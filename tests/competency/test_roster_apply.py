"""ASN roster import, writing checked rows: ``roster.apply`` creates and updates records and
accounts (or writes nothing when a row has errors), and the ``import-asn`` command line."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.competency import roster
from portal.competency.models import AsnProfile, AsnStatus
from portal.competency.roster.cli import import_asn
from portal.errors import DomainError
from tests.competency import roster_support
from tests.competency.roster_support import (
    PNG,
    check,
    counts,
    csv_bytes,
    messages,
    nip,
    person,
    xlsx_bytes,
)

# The shared fixtures (roster_support.py).
admin = roster_support.admin
english_messages = roster_support.english_messages
opd = roster_support.opd


# --- writing ----------------------------------------------------------------------------------------


def test_apply_creates_accounts_and_records_without_password_or_email(opd, admin, db, outbox):
    rows = check(
        csv_bytes(
            [
                person(1),
                person(2, nip_atasan=nip(1), status="PPPK", golongan="IX", nip=nip(2, marker="21")),
            ]
        )
    )
    assert all(r.ok for r in rows), [messages(r) for r in rows]
    result = roster.apply(rows, admin)
    assert result == {"rows": 2, "created": 2, "updated": 0, "import_id": result["import_id"]}
    profiles = {
        p.nip: p
        for p in db.session.scalars(sa.select(AsnProfile).where(AsnProfile.agency_id == opd.id))
    }
    first, second = profiles[nip(1)], profiles[nip(2, marker="21")]
    assert second.supervisor_id == first.id and first.supervisor_id is None
    assert second.status == AsnStatus.PPPK and second.golongan == "IX"
    user = db.session.get(User, first.user_id)
    assert user.roles == {Role.ASN} and user.agency_id == opd.id
    assert user.password_hash is None and user.full_name == "Pegawai Impor 1"
    assert outbox() == []
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "asn.import")).one()
    assert event.actor_id == admin.id
    assert event.detail_dict == {"rows": 2, "created": 2, "updated": 0}


def test_apply_updates_records_and_gives_existing_accounts_the_asn_role(opd, make, db):
    user = make.user(Role.ASN, agency=make.agency(), email="impor1@example.com")
    profile = make.asn_profile(user, nip=nip(1), golongan="II/a")
    mentor = make.user(Role.MENTOR, agency=opd, email="impor2@example.com")
    token_before = mentor.session_token
    boss = make.asn_profile(nip=nip(100))
    rows = check(csv_bytes([person(1, nama="Nama Baru", nip_atasan=boss.nip), person(2)]))
    assert all(r.ok for r in rows), [messages(r) for r in rows]
    result = roster.apply(rows)
    assert result == {"rows": 2, "created": 1, "updated": 1, "import_id": result["import_id"]}
    db.session.expire_all()
    assert profile.golongan == "III/a" and profile.agency_id == opd.id
    assert profile.supervisor_id == boss.id
    assert user.full_name == "Nama Baru" and user.agency_id == opd.id
    assert mentor.roles == {Role.ASN, Role.MENTOR}
    assert mentor.session_token != token_before


def test_apply_refuses_rows_with_errors_and_writes_nothing(opd, db):
    rows = check(csv_bytes([person(1), person(2, nip="123")]))
    before = counts(db)
    with pytest.raises(DomainError):
        roster.apply(rows)
    assert counts(db) == before


# --- command line -----------------------------------------------------------------------------------


def test_cli_dry_run_writes_nothing_then_real_import(app, opd, db, tmp_path, admin):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([person(1), person(2, nip_atasan=nip(1))]))
    runner = app.test_cli_runner()
    before = counts(db)
    result = runner.invoke(import_asn, [str(path), "--dry-run", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "2 rows: 2 valid" in result.output and "Dry run" in result.output
    assert counts(db) == before

    result = runner.invoke(import_asn, [str(path), "--actor-email", admin.email, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "2 new ASN records" in result.output
    assert counts(db) == (before[0] + 2, before[1] + 2, before[2] + 1)


def test_cli_with_row_errors_exits_non_zero_and_writes_nothing(app, opd, db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([person(1), person(2, opd="Dinas Entah")], delimiter=";"))
    before = counts(db)
    result = app.test_cli_runner().invoke(import_asn, [str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "row 3:" in result.output and "Unknown OPD" in result.output
    assert counts(db) == before


def test_cli_refuses_unreadable_files_and_unknown_actors(app, opd, db, tmp_path, make):
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(PNG)
    result = app.test_cli_runner().invoke(import_asn, [str(bad), "--lang", "en"])
    assert result.exit_code == 1 and "not an Excel workbook" in result.output
    good = tmp_path / "roster.csv"
    good.write_bytes(csv_bytes([person(1)]))
    asn = make.user(Role.ASN)
    result = app.test_cli_runner().invoke(import_asn, [str(good), "--actor-email", asn.email])
    assert result.exit_code == 1 and "no administrator" in result.output
