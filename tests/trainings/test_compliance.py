"""OPD compliance (share of ASN at their JP target) and the SIASN export of verified records."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.auth.models import AccountStatus, Role
from portal.competency.models import AsnStatus
from portal.trainings.ledger import queries as ledger_queries
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.models import EntryState
from portal.trainings.ledger.siasn import SIASN_COLUMNS, siasn_rows, siasn_workbook
from tests.support.worlds import trainings as trainings_worlds
from tests.trainings.ledger_support import registration, submit, verified

jp_ledger_world = trainings_worlds.jp_ledger_world  # built once for the module


def _asn(make, opd, **kw):
    return make.asn_profile(make.user(Role.ASN, agency=opd), **kw)


def test_compliance_per_opd_and_overall(db, make, jp_ledger_world):
    a, b = jp_ledger_world.opd, jp_ledger_world.other
    # OPD a: me 20 JP (met), peer 15 verified + 10 pending (not met), boss nothing.
    verified(jp_ledger_world.me, 4)
    verified(jp_ledger_world.peer, 3)
    submit(jp_ledger_world.peer, form="workshop", quantity=2)
    # OPD b: a PPPK at 20 (met), a PNS with 20 but last year (not met this year).
    verified(_asn(make, b, status=AsnStatus.PPPK), 4)
    verified(_asn(make, b), 4, ended_on=date(2024, 11, 1))
    # A departed ASN with 20 JP does not count at all.
    gone = _asn(make, b)
    verified(gone, 4)
    gone.user.status = AccountStatus.REJECTED
    db.session.flush()

    report = ledger_queries.compliance(2025)
    rows = {r.agency_id: (r.asn_count, r.met_count, r.share) for r in report.rows}
    assert rows == {a.id: (3, 1, 33.3), b.id: (2, 1, 50.0)}
    overall = report.overall
    assert (overall.asn_count, overall.met_count, overall.share) == (5, 2, 40.0)


def test_pppk_target_is_configurable_in_the_report(app, db, make, jp_ledger_world):
    verified(_asn(make, jp_ledger_world.other, status=AsnStatus.PPPK), 4)  # 20 JP
    app.config["JP_TARGET_PPPK"] = 24
    try:
        row = next(
            r
            for r in ledger_queries.compliance(2025).rows
            if r.agency_id == jp_ledger_world.other.id
        )
        assert (row.asn_count, row.met_count) == (1, 0)
    finally:
        app.config["JP_TARGET_PPPK"] = 20


def _populate(make, opds: int, per_opd: int):
    for _ in range(opds):
        opd = make.agency()
        boss = _asn(make, opd)
        for n in range(per_opd):
            asn = _asn(make, opd, supervisor=boss)
            verified(asn, 1 + n % 5, ended_on=date(2025, 2 + n % 9, 3))
            submit(asn)


@pytest.mark.parametrize("report", ["compliance", "behind", "siasn", "ledger"])
def test_reports_use_a_constant_number_of_queries(db, make, jp_ledger_world, count_queries, report):
    def run():
        db.session.expire_all()
        with count_queries() as n:
            if report == "compliance":
                ledger_queries.compliance(2025)
            elif report == "behind":
                for row in ledger_queries.behind_target(2025, date(2025, 12, 1)):
                    _ = (row.asn.user.full_name, row.supervisor and row.supervisor.user.email)
            elif report == "siasn":
                siasn_rows(2025)
            else:
                ledger = ledger_queries.ledger_for(jp_ledger_world.me, 2025)
                _ = [(e.evidence and e.evidence.original_name) for e in ledger.entries]
        return n()

    for _ in range(3):
        verified(jp_ledger_world.me, 1)
    _populate(make, 1, 2)
    small = run()
    for _ in range(6):
        verified(jp_ledger_world.me, 1)
    _populate(make, 3, 6)
    assert run() == small


def test_siasn_rows_hold_exactly_the_verified_records(db, jp_ledger_world, make):
    kept = verified(
        jp_ledger_world.me,
        2,
        title="Workshop Data Terbuka",
        organiser="Diskominfo Sumut",
        certificate_number="WS-77",
    )
    submit(jp_ledger_world.me)  # waiting
    rejected = submit(jp_ledger_world.peer)
    ledger_services.reject_external(rejected, actor=jp_ledger_world.city_admin, reason="Duplikat")
    ledger_services.credit_training(registration(900, jp_ledger_world.peer, jp=24), actor=None)
    other_year = verified(jp_ledger_world.me, 1, ended_on=date(2024, 6, 1))

    rows = siasn_rows(2025)
    assert len(rows) == 2
    nip = SIASN_COLUMNS.index("nipBaru")
    mine = dict(
        zip(SIASN_COLUMNS, next(r for r in rows if r[nip] == jp_ledger_world.me.nip), strict=True)
    )
    # Issue 17 point 4: SIASN's own columns, in its order, with the BKN type codes.
    assert mine == {
        "id": "",
        "idPns": "",
        "nipBaru": jp_ledger_world.me.nip,
        "nipLama": "",
        "jenisDiklatId": "4",
        "jenisKursusId": "4",
        "jenisKursusNama": "Workshop/Lokakarya",
        "jenisKursusSertifikat": "Sertifikat",
        "namaKursus": "Workshop Data Terbuka",
        "institusiPenyelenggara": "Diskominfo Sumut",
        "jumlahJam": 10,
        "noSertipikat": "WS-77",
        "tahunKursus": 2025,
        "tanggalKursus": "11-03-2025",
        "tanggalSelesaiKursus": "11-03-2025",
        "path": "",
        "latihanStrukturalNama": "",
    }
    training = dict(
        zip(SIASN_COLUMNS, next(r for r in rows if r[nip] == jp_ledger_world.peer.nip), strict=True)
    )
    assert (training["jumlahJam"], training["noSertipikat"]) == (24, "SNG-1")
    assert kept.state == EntryState.VERIFIED and len(siasn_rows()) == 3
    assert siasn_rows(2025, agency_id=jp_ledger_world.other.id) == []
    assert other_year.year == 2024

    sheet = load_workbook(io.BytesIO(siasn_workbook(rows))).active
    values = list(sheet.values)
    assert values[0] == SIASN_COLUMNS and len(values) == 3


def test_siasn_workbook_neutralises_formulas(db, jp_ledger_world):
    verified(jp_ledger_world.me, 1, title='=HYPERLINK("http://x")')
    sheet = load_workbook(io.BytesIO(siasn_workbook(siasn_rows(2025)))).active
    assert list(sheet.values)[1][SIASN_COLUMNS.index("namaKursus")].startswith("'=")
