"""CSV/XLSX exports of the admin lists (accounts, universities, agencies, audit log) and of the
university's student verification list: the page's columns, filters and scoping, nothing of
another OPD or university, the page's access policy, 404 on a bad format, no formula injection,
no writes and a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.audit import AuditEvent
from portal.auth.models import Role
from portal.institutions.models import AgencyKind
from tests.exports.support_a import (
    FORMATS,
    INJECTION,
    download,
    flat,
    no_writes,
)
from tests.support.worlds import exports

USERS = "/admin/users/export.{fmt}"
UNIVERSITIES = "/admin/universities/export.{fmt}"
AGENCIES = "/admin/agencies/export.{fmt}"
AUDIT = "/admin/audit/export.{fmt}"
VERIFICATIONS = "/verifications/export.{fmt}"

#: export URL → (list page, who may download it, its header row)
LISTS = {
    USERS: ("/admin/users", "city", ["Name", "E-mail", "Roles", "Institution", "Status"]),
    UNIVERSITIES: ("/admin/universities", "city", ["Name", "Short name", "Status"]),
    AGENCIES: ("/admin/agencies", "city", ["Name", "Short name", "Kind", "Status"]),
    AUDIT: ("/admin/audit", "city",
            ["When (WIB)", "Action", "By", "Target", "IP address", "Details"]),
    VERIFICATIONS: ("/verifications", "staff",
                    ["Name", "E-mail", "NIM", "Study programme", "Registered on (WIB)"]),
}  # fmt: skip

#: export URL → roles that get a 403 instead of the file
REFUSED = {
    USERS: ("student", "staff", "asn"),
    UNIVERSITIES: ("opd_admin", "staff", "student"),
    AGENCIES: ("opd_admin", "staff", "asn"),
    AUDIT: ("staff", "student", "asn"),
    VERIFICATIONS: ("city", "opd_admin", "student", "asn"),
}


admin_exports_world = exports.admin_exports_world  # built once for the module


def _who(w, key):
    a = w.a
    return {
        "city": w.city,
        "staff": a.staff,
        "opd_admin": a.opd_admin,
        "student": w.student,
        "asn": a.asn,
    }[key]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", list(LISTS))
def test_the_export_has_the_pages_columns_and_the_page_links_to_it(
    client, login_as, admin_exports_world, url, fmt
):
    page, who, headers = LISTS[url]
    login_as(_who(admin_exports_world, who))
    with no_writes():
        rows = download(client, url, fmt)
    assert rows[0] == headers
    body = client.get(page, query_string={"q": "x"}).get_data(as_text=True)
    assert f'href="{url.format(fmt=fmt)}?q=x"' in body


@pytest.mark.parametrize("url", list(LISTS))
def test_a_role_the_page_refuses_gets_no_file_and_a_bad_format_is_404(
    client, login_as, admin_exports_world, url
):
    assert client.get(url.format(fmt="csv")).status_code == 302  # anonymous: sign in first
    for who in REFUSED[url]:
        login_as(_who(admin_exports_world, who))
        response = client.get(url.format(fmt="csv"))
        assert response.status_code == 403, who
        assert "attachment" not in response.headers.get("Content-Disposition", "")
    login_as(_who(admin_exports_world, LISTS[url][1]))
    for fmt in ("pdf", "CSV", "csv.exe", "xls"):
        assert client.get(url.format(fmt=fmt)).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_opd_admins_account_export_holds_only_its_own_opds_asn(
    client, login_as, admin_exports_world, fmt
):
    a = admin_exports_world.a
    login_as(a.opd_admin)
    text = flat(download(client, USERS, fmt))
    assert "Pegawai A" in text and "asn.a@example.com" in text
    for foreign in ("Pegawai B", "asn.b@example.com", "Mahasiswa", "Dosen", "OPDB", "Admin"):
        assert foreign not in text
    # The OPD filter of a city-wide admin cannot be smuggled in, nor another OPD's search.
    assert "Pegawai B" not in flat(download(client, USERS, fmt, q="Pegawai B"))


def test_the_account_export_applies_the_pages_filters(client, login_as, admin_exports_world):
    login_as(admin_exports_world.city)
    rows = download(client, USERS, "csv", q="pegawai a")
    assert [r[:2] for r in rows[1:]] == [["Pegawai A", "asn.a@example.com"]]
    staff = download(client, USERS, "xlsx", role="university")
    assert {r[0] for r in staff[1:]} == {"Dosen A", "Dosen B"}
    assert staff[1][2:] == ["University staff", "UNIA", "Verified"]
    pending = download(client, USERS, "csv", status="pending")
    assert {r[0] for r in pending[1:]} == {"Mahasiswa A", "Mahasiswa B"}
    admins = download(client, USERS, "csv", role="admin")
    assert [
        "Admin A",
        "admin.a@example.com",
        "Administrator",
        "OPDA (admin of OPDA)",
        "Verified",
    ] in admins


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_formula_in_a_name_comes_out_as_text(client, login_as, admin_exports_world, make, fmt):
    a = admin_exports_world.a
    make.user(Role.ASN, agency=a.agency, full_name=INJECTION, email="rumus@example.com")
    login_as(a.opd_admin)
    (row,) = list(download(client, USERS, fmt, q="rumus")[1:])
    assert row[0] == "'" + INJECTION


def test_the_institution_exports_apply_the_pages_filters(
    client, login_as, admin_exports_world, make
):
    make.university(name="Universitas Tutup", short_name="UTUP", is_active=False)
    make.agency(name="Kecamatan Uji", short_name="KEC", kind=AgencyKind.KECAMATAN)
    login_as(admin_exports_world.city)
    inactive = download(client, UNIVERSITIES, "xlsx", status="inactive")
    assert inactive[1:] == [["Universitas Tutup", "UTUP", "Inactive"]]
    found = download(client, UNIVERSITIES, "csv", q="universitas a")
    assert found[1:] == [["Universitas A", "UNIA", "Active"]]
    kecamatan = download(client, AGENCIES, "csv", kind="kecamatan")
    assert [r[:2] for r in kecamatan[1:]] == [["Kecamatan Uji", "KEC"]]
    assert {r[1] for r in download(client, AGENCIES, "xlsx")[1:]} >= {"OPDA", "OPDB", "KEC"}


def _event(db, actor, action, target, at):
    db.session.add(
        AuditEvent(
            actor_id=actor.id,
            action=action,
            target_type="user",
            target_id=target.id,
            target_label=target.email,
            ip="10.0.0.1",
            detail='{"field": "name"}',
            at=at,
        )
    )
    db.session.flush()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_audit_export_is_scoped_filtered_and_in_wib(
    client, login_as, admin_exports_world, db, fmt
):
    a, b = admin_exports_world.a, admin_exports_world.b
    _event(db, a.opd_admin, "account.update", a.asn, datetime(2026, 1, 5, 17, 30, tzinfo=UTC))
    _event(db, b.opd_admin, "account.deactivate", b.asn, datetime(2026, 1, 7, 3, 0, tzinfo=UTC))
    _event(
        db,
        admin_exports_world.city,
        "account.update",
        b.asn,
        datetime(2026, 1, 8, 3, 0, tzinfo=UTC),
    )
    login_as(a.opd_admin)
    rows = download(client, AUDIT, fmt)
    assert rows[1:] == [
        [
            "2026-01-06 00:30",
            "Account changed",
            "admin.a@example.com",
            "asn.a@example.com",
            "10.0.0.1",
            "Field: name",
        ]
    ]
    assert "asn.b@example.com" not in flat(rows)
    login_as(admin_exports_world.city)
    assert len(download(client, AUDIT, fmt)) == 4
    only = download(client, AUDIT, fmt, action="account.deactivate")
    assert [r[1] for r in only[1:]] == ["Account deactivated"]
    days = download(client, AUDIT, fmt, since="2026-01-06", until="2026-01-07")
    assert [r[0] for r in days[1:]] == ["2026-01-07 10:00", "2026-01-06 00:30"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_universitys_verification_export_holds_nothing_of_another_university(
    client, login_as, admin_exports_world, make, fmt
):
    a = admin_exports_world.a
    make.user(
        Role.STUDENT,
        university=a.university,
        status="pending",
        full_name="Mahasiswa A2",
        email="mhs.a2@example.com",
        nim="NIMA2",
    )
    login_as(a.staff)
    rows = download(client, VERIFICATIONS, fmt)
    assert {(r[0], r[1], r[2]) for r in rows[1:]} == {
        ("Mahasiswa A", "mhs.a@example.com", "NIMAA77"),
        ("Mahasiswa A2", "mhs.a2@example.com", "NIMA2"),
    }
    for foreign in ("Mahasiswa B", "mhs.b@example.com", "NIMBB77", "Aktif"):
        assert foreign not in flat(rows)
    assert [r[0] for r in download(client, VERIFICATIONS, fmt, q="nima2")[1:]] == ["Mahasiswa A2"]
    assert download(client, VERIFICATIONS, fmt, q="Mahasiswa B")[1:] == []


@pytest.mark.parametrize("url", [USERS, AUDIT])
def test_an_export_runs_a_fixed_number_of_queries(
    client, login_as, admin_exports_world, make, db, count_queries, url
):
    a = admin_exports_world.a
    login_as(admin_exports_world.city)

    def grow(n):
        for i in range(n):
            user = make.user(Role.ASN, agency=a.agency)
            _event(
                db,
                admin_exports_world.city,
                "account.update",
                user,
                datetime(2026, 2, 1, i, tzinfo=UTC),
            )

    counts = []
    for n in (1, 8):
        grow(n)
        with count_queries() as queries:
            rows = download(client, url, "csv")
        counts.append(queries())
        assert len(rows) > n
    assert counts[0] == counts[1] and counts[0] <= 12
