"""CSV/XLSX exports of the competency admin lists (catalogue, positions, ASN records) and the demand
board's: the page's columns and filters, an OPD admin's file holds nothing of another OPD, the
page's access policy, 404 on a bad format, no formula injection, no writes, fixed queries."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.competency.models import AsnStatus, Competency, CompetencyType, PositionKind
from portal.competency.nip import check_nip
from tests.exports.support_a import (
    FORMATS,
    INJECTION,
    download,
    flat,
    no_writes,
)
from tests.support.worlds import exports

CATALOGUE = "/admin/competency/catalogue/export.{fmt}"
POSITIONS = "/admin/competency/positions/export.{fmt}"
ASN = "/admin/competency/asn/export.{fmt}"
BOARD = "/competency/board/export.{fmt}"

LISTS = {
    CATALOGUE: ("/admin/competency/catalogue",
                ["Code", "Name", "Type", "OPD", "Version", "Status"]),
    POSITIONS: ("/admin/competency/positions",
                ["Name", "Kind of position", "OPD", "Competencies in the standard"]),
    ASN: ("/admin/competency/asn",
          ["Name", "NIP", "Status", "Golongan", "Position", "OPD", "Supervisor"]),
}  # fmt: skip


competency_exports_world = exports.competency_exports_world  # built once for the module


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", list(LISTS))
def test_the_export_has_the_pages_columns_and_the_page_links_to_it(
    client, login_as, competency_exports_world, url, fmt
):
    page, headers = LISTS[url]
    login_as(competency_exports_world.city)
    with no_writes():
        rows = download(client, url, fmt)
    assert rows[0] == headers and len(rows) > 2
    body = client.get(page, query_string={"q": "x"}).get_data(as_text=True)
    assert f'href="{url.format(fmt=fmt)}?q=x"' in body


@pytest.mark.parametrize("url", [*LISTS, BOARD])
def test_a_role_the_page_refuses_gets_no_file_and_a_bad_format_is_404(
    client, login_as, competency_exports_world, url
):
    a = competency_exports_world.a
    refused = (a.asn, a.staff) if url != BOARD else (a.asn,)  # university staff see the board
    for user in refused:
        login_as(user)
        response = client.get(url.format(fmt="xlsx"))
        assert response.status_code == 403
        assert "attachment" not in response.headers.get("Content-Disposition", "")
    login_as(a.opd_admin)
    for fmt in ("pdf", "XLSX", "ods"):
        assert client.get(url.format(fmt=fmt)).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_opd_admins_exports_hold_nothing_of_another_opd(
    client, login_as, competency_exports_world, fmt
):
    a, b = competency_exports_world.a, competency_exports_world.b
    login_as(a.opd_admin)
    catalogue = download(client, CATALOGUE, fmt, opd=b.agency.id)  # the OPD filter is ignored
    assert {r[0] for r in catalogue[1:]} == {"T.A.1", "M.UJI.1"}
    positions = download(client, POSITIONS, fmt)
    assert positions[1:] == [["Analis A", "Fungsional (functional)", "OPDA", "1"]]
    asn = download(client, ASN, fmt, q="Pegawai")
    assert [r[0] for r in asn[1:]] == ["Pegawai A"]
    for rows in (catalogue, positions, asn):
        text = flat(rows)
        for foreign in (
            "T.B.1",
            "Teknis B",
            "Analis B",
            "OPDB",
            "Pegawai B",
            check_nip(b.asn_profile.nip).display,
            b.asn_profile.nip,
        ):
            assert foreign not in text
    board = flat(download(client, BOARD, fmt))
    assert "OPDB" not in board and "Teknis B" not in board


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_exports_apply_the_pages_filters(client, login_as, competency_exports_world, make, fmt):
    a, b = competency_exports_world.a, competency_exports_world.b
    make.position(agency=a.agency, name="Kepala Bidang", kind=PositionKind.ADMINISTRATOR)
    make.asn_profile(
        make.user(Role.ASN, agency=a.agency, full_name="Kontrak A"),
        status=AsnStatus.PPPK,
        golongan="IX",
    )
    login_as(competency_exports_world.city)
    managerial_only = download(client, CATALOGUE, fmt, type="manajerial")
    assert [r[:3] for r in managerial_only[1:]] == [
        ["M.UJI.1", "Integritas Uji", "Managerial (manajerial)"]
    ]
    technical_b = download(client, CATALOGUE, fmt, opd=b.agency.id)
    assert technical_b[1:] == [["T.B.1", "Teknis B", "Technical (teknis)", "OPDB", "1", "In use"]]
    heads = download(client, POSITIONS, fmt, kind="administrator")
    assert [r[0] for r in heads[1:]] == ["Kepala Bidang"]
    assert [r[0] for r in download(client, POSITIONS, fmt, q="analis b")[1:]] == ["Analis B"]
    pppk = download(client, ASN, fmt, status="pppk")
    assert [r[0] for r in pppk[1:]] == ["Kontrak A"] and pppk[1][3] == "IX"
    by_position = download(client, ASN, fmt, opd=a.agency.id, position=a.position.id)
    assert by_position[1:] == [
        [
            "Pegawai A",
            check_nip(a.asn_profile.nip).display,
            "PNS (civil servant)",
            "III/a",
            "Analis A",
            "OPDA",
            "",
        ]
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_formula_in_a_name_comes_out_as_text(
    client, login_as, competency_exports_world, make, fmt
):
    a = competency_exports_world.a
    make.asn_profile(make.user(Role.ASN, agency=a.agency, full_name=INJECTION))
    make.position(agency=a.agency, name="-1+1")
    login_as(a.opd_admin)
    names = {r[0] for r in download(client, ASN, fmt)[1:]}
    assert "'" + INJECTION in names and INJECTION not in names
    assert "'-1+1" in {r[0] for r in download(client, POSITIONS, fmt)[1:]}


@pytest.mark.parametrize("url", list(LISTS))
def test_an_export_runs_a_fixed_number_of_queries(
    client, login_as, competency_exports_world, make, url, count_queries
):
    a = competency_exports_world.a
    login_as(a.opd_admin)

    def grow(n):
        for _ in range(n):
            competency = make.competency(agency=a.agency)
            position = make.position(agency=a.agency, competencies=[competency])
            boss = make.asn_profile(make.user(Role.ASN, agency=a.agency), position=position)
            make.asn_profile(make.user(Role.ASN, agency=a.agency), supervisor=boss)

    counts = []
    for n in (1, 6):
        grow(n)
        with count_queries() as queries:
            rows = download(client, url, "xlsx")
        counts.append(queries())
        assert len(rows) > n
    assert counts[0] == counts[1] and counts[0] <= 12


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_catalogue_export_names_a_draft_descriptor_and_a_competency_without_a_version_yet(
    client, login_as, db, make, competency_exports_world, fmt
):
    """A version whose descriptors BKPSDM has not confirmed says so after its name; a competency
    whose first version is not written yet is a row with an empty name and version (not an
    error)."""
    unconfirmed = make.competency(type=CompetencyType.MANAGERIAL, name="Integritas Uji")
    unconfirmed.current_version.to_be_confirmed = True
    db.session.add(Competency(code="M.BARU.1", type=CompetencyType.MANAGERIAL))
    db.session.commit()
    login_as(competency_exports_world.city)
    rows = {row[0]: row for row in download(client, CATALOGUE, fmt)[1:]}
    assert rows[unconfirmed.code][1] == "Integritas Uji (to be confirmed)"
    assert rows["M.BARU.1"][1] == "" and rows["M.BARU.1"][4] in ("", None)
