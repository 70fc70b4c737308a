"""CSV/XLSX exports of the curricula lists (proposals, the flag queue, the public catalogue): the
page's columns and filters, a university's file holds nothing of another university (nor an OPD
admin's of another OPD), the page's access policy, 404 on a bad format, no formula injection,
no writes and a fixed number of queries."""

from __future__ import annotations

import pytest

from portal.curricula.models import Audience, CurriculumState
from tests.exports.support_a import (
    FORMATS,
    INJECTION,
    download,
    flat,
    no_writes,
)
from tests.support.worlds import exports

PROPOSALS = "/curricula/proposals/export.{fmt}"
FLAGS = "/curricula/flags/export.{fmt}"
CATALOGUE = "/curricula/export.{fmt}"

LISTS = {
    PROPOSALS: ("/curricula/proposals", ["Title", "University", "Partner agency (OPD)", "State",
                                         "Total JP", "Last change (WIB)"]),
    FLAGS: ("/curricula/flags", ["Reported (WIB)", "Curriculum", "Material", "Version",
                                 "Problem", "Description", "State"]),
    CATALOGUE: ("/curricula/", ["Title", "University", "Partner agency (OPD)", "Audience",
                                "Delivery mode", "Total JP", "Target competencies", "Summary"]),
}  # fmt: skip

FOREIGN = ("Kurikulum B", "UNIB", "Universitas B", "OPDB", "Materi B", "Salah ketik B")


curricula_exports_world = exports.curricula_exports_world  # built once for the module


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", list(LISTS))
def test_the_export_has_the_pages_columns_and_the_page_links_to_it(
    client, login_as, curricula_exports_world, url, fmt
):
    page, headers = LISTS[url]
    login_as(curricula_exports_world.a.staff)
    with no_writes():
        rows = download(client, url, fmt)
    assert rows[0] == headers and len(rows) > 1
    body = client.get(page, query_string={"q": "x"}).get_data(as_text=True)
    assert f'href="{url.format(fmt=fmt)}?q=x"' in body


@pytest.mark.parametrize("url", [PROPOSALS, FLAGS])
def test_a_role_the_page_refuses_gets_no_file_and_a_bad_format_is_404(
    client, login_as, curricula_exports_world, url
):
    assert client.get(url.format(fmt="csv")).status_code == 302  # anonymous: sign in first
    login_as(curricula_exports_world.student)
    response = client.get(url.format(fmt="csv"))
    assert response.status_code == 403
    assert "attachment" not in response.headers.get("Content-Disposition", "")
    login_as(curricula_exports_world.a.staff)
    for fmt in ("pdf", "CSV", "json"):
        assert client.get(url.format(fmt=fmt)).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_universitys_exports_hold_nothing_of_another_university(
    client, login_as, curricula_exports_world, fmt
):
    login_as(curricula_exports_world.a.staff)
    proposals = download(client, PROPOSALS, fmt)
    assert sorted(r[0] for r in proposals[1:]) == ["Draf A", "Kurikulum A"]
    assert proposals[1][:5] == ["Draf A", "UNIA", "OPDA", "Draft", "6"]
    flags = download(client, FLAGS, fmt)
    assert [r[1:] for r in flags[1:]] == [
        ["Kurikulum A", "Materi A", "1", "Typo", "Salah ketik A", "Open"]
    ]
    for rows in (proposals, flags):
        text = flat(rows)
        assert "Pelapor" not in text  # who reported a problem is not on the page either
        for foreign in FOREIGN:
            assert foreign not in text
    # A search for the other university's proposal finds nothing.
    assert download(client, PROPOSALS, fmt, q="Kurikulum B")[1:] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_opd_admins_and_an_asns_exports_are_scoped_too(
    client, login_as, curricula_exports_world, fmt
):
    a, b = curricula_exports_world.a, curricula_exports_world.b
    login_as(a.opd_admin)
    for url in (PROPOSALS, FLAGS):
        text = flat(download(client, url, fmt))
        assert "Kurikulum A" in text
        for foreign in FOREIGN:
            assert foreign not in text
    login_as(b.asn)  # an ASN who co-authors nothing sees no proposal and no report
    assert download(client, PROPOSALS, fmt)[1:] == []
    assert download(client, FLAGS, fmt)[1:] == []
    login_as(curricula_exports_world.city)
    assert {"Kurikulum A", "Kurikulum B"} <= {r[0] for r in download(client, PROPOSALS, fmt)}


def test_the_exports_apply_the_pages_filters(client, login_as, curricula_exports_world, make):
    a = curricula_exports_world.a
    module = a.curriculum.modules[0]
    reporter = curricula_exports_world.b.asn
    make.flag(
        make.material(module, title="Materi Lama"),
        reporter,
        state="fixed",
        kind="outdated_regulation",
        description="Perwal sudah diganti",
    )
    login_as(a.staff)
    drafts = download(client, PROPOSALS, "csv", state="draft")
    assert [r[0] for r in drafts[1:]] == ["Draf A"]
    assert [r[0] for r in download(client, PROPOSALS, "xlsx", q="kurikulum")[1:]] == ["Kurikulum A"]
    fixed = download(client, FLAGS, "xlsx", state="fixed")
    assert [r[4:] for r in fixed[1:]] == [["Outdated regulation", "Perwal sudah diganti", "Fixed"]]
    assert [r[2] for r in download(client, FLAGS, "csv", q="salah ketik")[1:]] == ["Materi A"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_public_catalogue_export_holds_published_curricula_only(
    client, curricula_exports_world, make, fmt
):
    a, b = curricula_exports_world.a, curricula_exports_world.b
    make.curriculum(
        b.university,
        agency=b.agency,
        title="Untuk Mahasiswa",
        state=CurriculumState.PUBLISHED,
        audience=Audience.STUDENTS,
    )
    rows = download(client, CATALOGUE, fmt, lang="en")  # anonymous: the catalogue is public
    assert {r[0] for r in rows[1:]} == {"Kurikulum A", "Kurikulum B", "Untuk Mahasiswa"}
    assert "Draf A" not in flat(rows) and "Salah ketik" not in flat(rows)
    (row,) = [r for r in rows if r[0] == "Kurikulum A"]
    assert row[1:7] == ["Universitas A", "Dinas A", "ASN", "Blended", "2", "Teknis A (level 3)"]
    only_a = download(client, CATALOGUE, fmt, university=a.university.id)
    assert [r[0] for r in only_a[1:]] == ["Kurikulum A"]
    students = download(client, CATALOGUE, fmt, audience="students")
    assert [r[0] for r in students[1:]] == ["Untuk Mahasiswa"]
    assert client.get(CATALOGUE.format(fmt="docx")).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_formula_in_a_title_comes_out_as_text(
    client, login_as, curricula_exports_world, make, fmt
):
    a = curricula_exports_world.a
    make.curriculum(a.university, agency=a.agency, author=a.staff, title=INJECTION)
    login_as(a.staff)
    titles = {r[0] for r in download(client, PROPOSALS, fmt)[1:]}
    assert "'" + INJECTION in titles and INJECTION not in titles


@pytest.mark.parametrize("url", list(LISTS))
def test_an_export_runs_a_fixed_number_of_queries(
    client, login_as, curricula_exports_world, make, url, count_queries
):
    a = curricula_exports_world.a
    login_as(a.staff)

    def grow(n):
        for _ in range(n):
            cur = make.curriculum(
                a.university,
                agency=a.agency,
                author=a.staff,
                modules=2,
                state=CurriculumState.PUBLISHED,
            )
            make.flag(make.material(cur.modules[0]), curricula_exports_world.b.asn)

    counts = []
    for n in (1, 6):
        grow(n)
        with count_queries() as queries:
            rows = download(client, url, "csv")
        counts.append(queries())
        assert len(rows) > n
    assert counts[0] == counts[1] and counts[0] <= 12
