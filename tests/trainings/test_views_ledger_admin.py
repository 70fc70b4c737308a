"""The admins' JP ledger pages: the verification queue, the conversion table and its editing,
OPD compliance with CSV/XLSX exports and the SIASN export, each scoped to the admin's OPD."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from portal.audit import AuditEvent
from portal.auth.models import Role
from portal.trainings.ledger.conversion import ConversionRule, Unit, seed_rules
from portal.trainings.ledger.siasn import SIASN_COLUMNS
from tests.support.worlds import trainings
from tests.trainings.ledger_support import submit, verified

ledger_world = trainings.ledger_world  # built once for the module

P = "/trainings/ledger"


def _asn(make, opd):
    return make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"))


# --- the verification queue ---------------------------------------------------------------------


def test_the_queue_is_scoped_to_the_admins_opd(client, login_as, ledger_world, db):
    w = ledger_world
    mine = submit(w.me, title="Seminar Dinas Sendiri")
    far = submit(w.far, title="Seminar Dinas Lain")
    verified(w.peer, 1, title="Workshop Sudah Diverifikasi")
    db.session.flush()
    login_as(w.opd_admin)
    html = client.get(f"{P}/verifications").get_data(as_text=True)
    assert f"{P}/entries/{mine.id}" in html and f"{P}/entries/{far.id}" not in html
    assert "Workshop Sudah Diverifikasi" not in html
    login_as(w.city_admin)
    html = client.get(f"{P}/verifications").get_data(as_text=True)
    assert f"{P}/entries/{mine.id}" in html and f"{P}/entries/{far.id}" in html
    assert w.other.short_name in html


def test_the_queue_is_searchable(client, login_as, ledger_world):
    w = ledger_world
    submit(w.me, title="Seminar Kota Cerdas")
    submit(w.peer, title="Workshop Anggaran")
    login_as(w.city_admin)
    html = client.get(f"{P}/verifications?q=anggaran").get_data(as_text=True)
    assert "Workshop Anggaran" in html and "Seminar Kota Cerdas" not in html
    html = client.get(f"{P}/verifications?q={w.me.nip}").get_data(as_text=True)
    assert "Seminar Kota Cerdas" in html and "Workshop Anggaran" not in html
    assert client.get(f"{P}/verifications?q=%00%25&page=99999").status_code == 200


def test_only_admins_see_the_queue(client, login_as, ledger_world):
    login_as(ledger_world.me.user)
    assert client.get(f"{P}/verifications").status_code == 403


def test_queue_query_count_does_not_grow(client, login_as, ledger_world, make, count_queries):
    login_as(ledger_world.city_admin)
    counts, made = [], 0
    for total in (2, 15):
        for _ in range(total - made):
            submit(_asn(make, make.agency()))
        made = total
        with count_queries() as n:
            assert client.get(f"{P}/verifications").status_code == 200
        counts.append(n())
    assert counts[0] == counts[1]


# --- the conversion table -----------------------------------------------------------------------


def test_asn_read_the_table_and_only_city_admins_get_edit_links(client, login_as, ledger_world):
    w = ledger_world
    seed_rules()
    edit_link = re.compile(r"/trainings/ledger/conversion/\d+")
    login_as(w.me.user)
    html = client.get(f"{P}/conversion").get_data(as_text=True)
    assert "Workshop / lokakarya" in html and not edit_link.search(html)
    login_as(w.opd_admin)
    assert not edit_link.search(client.get(f"{P}/conversion").get_data(as_text=True))
    login_as(w.city_admin)
    assert edit_link.search(client.get(f"{P}/conversion").get_data(as_text=True))


def test_the_defaults_are_stored_on_request_by_a_city_admin(client, login_as, ledger_world, db):
    login_as(ledger_world.opd_admin)
    assert client.post(f"{P}/conversion/seed").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ConversionRule.id))) == 0
    login_as(ledger_world.city_admin)
    assert "Store the default rows" in client.get(f"{P}/conversion").get_data(as_text=True)
    assert client.post(f"{P}/conversion/seed").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ConversionRule.id))) > 20


def _rule(db, form="workshop", scope="national") -> ConversionRule:
    seed_rules()
    return db.session.scalars(
        sa.select(ConversionRule).where(ConversionRule.form == form, ConversionRule.scope == scope)
    ).one()


def test_a_city_admin_changes_a_rule(client, login_as, ledger_world, db):
    rule = _rule(db)
    login_as(ledger_world.city_admin)
    response = client.post(
        f"{P}/conversion/{rule.id}",
        data={
            "unit": "per_day",
            "jp_per_unit": "6,5",
            "cap_per_day": "",
            "cap_per_month": "",
            "bonus_percent": "10",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    rule = db.session.get(ConversionRule, rule.id)
    assert (rule.unit, rule.jp_per_unit, rule.bonus_percent) == (Unit.PER_DAY, 6.5, 10)
    assert db.session.scalars(sa.select(AuditEvent.action)).all() == ["ledger.rule"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"jp_per_unit": "-1"}, "Between 0 and 1000."),
        ({"jp_per_unit": "abc"}, "Not a valid decimal value."),
        ({"jp_per_unit": "1.25"}, "at most one decimal"),
        ({"bonus_percent": "150"}, "Between 0 and 100."),
        ({"bonus_percent": ""}, "Enter the bonus"),
        ({"cap_per_day": "0"}, "Between 0.1 and 24."),
        ({"cap_per_month": "40"}, "Between 1 and 31."),
        ({"unit": "per_year"}, "Not a valid choice"),
    ],
)
def test_rule_validation_keeps_the_input(client, login_as, ledger_world, db, changes, message):
    rule = _rule(db)
    login_as(ledger_world.city_admin)
    data = {
        "unit": "per_day",
        "jp_per_unit": "5",
        "cap_per_day": "",
        "cap_per_month": "",
        "bonus_percent": "0",
        **changes,
    }
    response = client.post(f"{P}/conversion/{rule.id}", data=data)
    assert response.status_code == 400 and message in response.text
    db.session.expire_all()
    assert db.session.get(ConversionRule, rule.id).jp_per_unit == 5


def test_an_opd_admin_cannot_change_a_rule(client, login_as, ledger_world, db):
    rule = _rule(db)
    login_as(ledger_world.opd_admin)
    assert client.get(f"{P}/conversion/{rule.id}").status_code == 403
    data = {"unit": "per_day", "jp_per_unit": "9", "bonus_percent": "0"}
    assert client.post(f"{P}/conversion/{rule.id}", data=data).status_code == 403
    login_as(ledger_world.city_admin)
    assert client.get(f"{P}/conversion/999999").status_code == 404


# --- compliance ---------------------------------------------------------------------------------


@pytest.fixture
def report(db, ledger_world):
    """OPD 1: me 20 JP (met), peer 15 (not), boss none; OPD 2: far 25 (met)."""
    w = ledger_world
    verified(w.me, 4)
    verified(w.peer, 3)
    verified(w.far, 5)
    db.session.flush()
    return w


def test_compliance_numbers_for_the_city(client, login_as, report):
    login_as(report.city_admin)
    html = client.get(f"{P}/compliance?year=2025").get_data(as_text=True)
    assert report.opd.name in html and report.other.name in html
    assert "33.3%" in html and "100.0%" in html and "50.0%" in html  # overall 2 of 4
    assert 'aria-valuenow="33.3"' in html


def test_an_opd_admin_sees_only_their_opd(client, login_as, report):
    login_as(report.opd_admin)
    html = client.get(f"{P}/compliance?year=2025").get_data(as_text=True)
    assert report.opd.name in html and "33.3%" in html
    assert report.other.name not in html and "All OPD" not in html


def _csv(response) -> list[list[str]]:
    return list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )


def test_compliance_exports_follow_the_page_scoping(client, login_as, report, db):
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    login_as(report.city_admin)
    rows = _csv(client.get(f"{P}/compliance?year=2025&format=csv"))
    assert rows[0] == ["OPD", "ASN", "At or above the JP target", "Share (%)"]
    assert rows[1:] == sorted(
        [[report.opd.name, "3", "1", "33.3"], [report.other.name, "1", "1", "100.0"]]
    ) + [["All OPD", "4", "2", "50.0"]]
    login_as(report.opd_admin)
    response = client.get(f"{P}/compliance?year=2025&format=xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values == [
        ["OPD", "ASN", "At or above the JP target", "Share (%)"],
        [report.opd.name, 3, 1, 33.3],
    ]
    csv_text = client.get(f"{P}/compliance?year=2025&format=csv").get_data(as_text=True)
    assert report.other.name not in csv_text
    assert client.get(f"{P}/compliance?format=pdf").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before


def test_compliance_query_count_does_not_grow(client, login_as, ledger_world, make, count_queries):
    login_as(ledger_world.city_admin)
    counts = []
    for opds, per_opd in ((1, 1), (6, 5)):
        for _ in range(opds):
            opd = make.agency()
            for _ in range(per_opd):
                verified(_asn(make, opd), 4)
        make.session.flush()
        with count_queries() as n:
            assert client.get(f"{P}/compliance?year=2025").status_code == 200
        counts.append(n())
    assert counts[0] == counts[1]


def test_only_admins_see_compliance(client, login_as, ledger_world):
    login_as(ledger_world.me.user)
    assert client.get(f"{P}/compliance").status_code == 403
    assert client.get(f"{P}/siasn.xlsx").status_code == 403


# --- SIASN export -------------------------------------------------------------------------------


def _sheet(response):
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="siasn-riwayat-kursus-2025.xlsx"'
    )
    return [
        list(r) for r in load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True)
    ]


def test_siasn_export_has_the_siasn_columns_and_follows_the_scoping(client, login_as, report, db):
    submit(report.me, title="Belum diverifikasi")  # not exported
    verified(report.me, 1, ended_on=date(2024, 5, 1), title="Tahun lalu")  # another year
    db.session.flush()
    login_as(report.city_admin)
    rows = _sheet(client.get(f"{P}/siasn.xlsx?year=2025"))
    assert rows[0] == list(SIASN_COLUMNS)
    nip, title, hours, started = (
        SIASN_COLUMNS.index(c) for c in ("nipBaru", "namaKursus", "jumlahJam", "tanggalKursus")
    )
    assert sorted(r[nip] for r in rows[1:]) == sorted(
        [report.me.nip, report.peer.nip, report.far.nip]
    )
    login_as(report.opd_admin)
    rows = _sheet(client.get(f"{P}/siasn.xlsx?year=2025"))
    assert sorted(r[nip] for r in rows[1:]) == sorted([report.me.nip, report.peer.nip])
    assert all(r[title] == "Seminar Nasional Smart City" for r in rows[1:])
    assert rows[1][hours] in (20, 15) and rows[1][started] == "11-03-2025"
