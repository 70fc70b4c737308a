"""Universities and OPD as a city-wide admin manages them: list, search and filters, create,
edit, duplicates, validation, deactivation; OPD admins and other roles kept out."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.institutions.models import Agency, AgencyKind, University
from tests.admin.support import count, en, events, table_cells
from tests.support.pages import field_error, flashes, fresh, input_value, select_options, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


@pytest.fixture
def universities(make):
    return {
        "usu": make.university(name="Universitas Sumatera Utara", short_name="USU"),
        "unimed": make.university(name="Universitas Negeri Medan", short_name="UNIMED"),
        "polmed": make.university(
            name="Politeknik Negeri Medan", short_name="POLMED", is_active=False
        ),
    }


def test_university_list_search_and_status_filter(client, admin, universities):
    everything = table_cells(client.get("/admin/universities"))
    assert everything == [
        "Politeknik Negeri Medan",
        "Universitas Negeri Medan",
        "Universitas Sumatera Utara",
    ]

    assert table_cells(client.get("/admin/universities?q=usu")) == ["Universitas Sumatera Utara"]
    assert table_cells(client.get("/admin/universities?q=NEGERI")) == [
        "Politeknik Negeri Medan",
        "Universitas Negeri Medan",
    ]
    assert table_cells(client.get("/admin/universities?status=active")) == [
        "Universitas Negeri Medan",
        "Universitas Sumatera Utara",
    ]
    assert table_cells(client.get("/admin/universities?status=inactive")) == [
        "Politeknik Negeri Medan"
    ]
    assert table_cells(client.get("/admin/universities?q=negeri&status=active")) == [
        "Universitas Negeri Medan"
    ]
    nothing = client.get("/admin/universities?q=%25")
    assert table_cells(nothing) == [] and "Nothing found." in text(nothing)


def test_agency_list_filters_by_kind(client, admin, make):
    make.agency(name="Dinas Kesehatan", short_name="Dinkes", kind=AgencyKind.DINAS)
    make.agency(
        name="Badan Perencanaan Pembangunan Daerah", short_name="Bappeda", kind=AgencyKind.BADAN
    )
    make.agency(
        name="Kecamatan Medan Baru",
        short_name="Kec. Medan Baru",
        kind=AgencyKind.KECAMATAN,
        is_active=False,
    )

    assert table_cells(client.get("/admin/agencies?kind=badan")) == [
        "Badan Perencanaan Pembangunan Daerah"
    ]
    assert table_cells(client.get("/admin/agencies?kind=kecamatan&status=inactive")) == [
        "Kecamatan Medan Baru"
    ]
    assert table_cells(client.get("/admin/agencies?kind=kecamatan&status=active")) == []
    assert table_cells(client.get("/admin/agencies?q=dinkes")) == ["Dinas Kesehatan"]


def test_create_university(client, db, admin):
    form = client.get("/admin/universities/new")
    assert form.status_code == 200 and "New university" in text(form)

    r = client.post(
        "/admin/universities/new",
        data={"name": "  Universitas Medan Area ", "short_name": "UMA"},
        follow_redirects=True,
    )

    assert r.status_code == 200
    assert "Saved." in flashes(r)
    assert "Universitas Medan Area" in table_cells(r)
    uni = db.session.scalars(sa.select(University).where(University.short_name == "UMA")).one()
    assert uni.name == "Universitas Medan Area" and uni.is_active
    [event] = events(db, "institution.create", target_id=uni.id)
    assert event.actor_id == admin.id and event.target_type == "university"


def test_create_agency_with_kind(client, db, admin):
    r = client.post(
        "/admin/agencies/new",
        data={"name": "Dinas Perhubungan", "short_name": "Dishub", "kind": "dinas"},
    )

    assert r.status_code == 302
    agency = db.session.scalars(sa.select(Agency).where(Agency.short_name == "Dishub")).one()
    assert agency.kind == AgencyKind.DINAS

    r = client.post(
        "/admin/agencies/new",
        data={"name": "Dinas Fiktif", "short_name": "Difi", "kind": "kementerian"},
    )
    assert r.status_code == 200 and field_error(r, "kind")
    assert count(db, Agency, Agency.short_name == "Difi") == 0


def test_edit_university(client, db, admin, universities):
    usu = universities["usu"]

    form = client.get(f"/admin/universities/{usu.id}")
    assert input_value(form, "name") == "Universitas Sumatera Utara"
    assert input_value(form, "short_name") == "USU"

    r = client.post(
        f"/admin/universities/{usu.id}",
        data={"name": "Universitas Sumatera Utara (USU)", "short_name": "USU"},
    )

    assert r.status_code == 302
    assert fresh(db, usu).name == "Universitas Sumatera Utara (USU)"
    assert events(db, "institution.update", target_id=usu.id)


@pytest.mark.parametrize(
    ("name", "short_name"),
    [("universitas sumatera utara", "USU2"), ("Universitas Baru", "usu")],
    ids=["same-name-other-case", "same-short-name-other-case"],
)
def test_duplicate_institution_is_refused_and_typed_data_kept(
    client, db, admin, universities, name, short_name
):
    before = count(db, University)

    r = client.post("/admin/universities/new", data={"name": name, "short_name": short_name})

    assert r.status_code == 200
    assert (
        "Another institution already uses this name or short name: Universitas Sumatera Utara"
    ) in flashes(r)
    assert input_value(r, "name") == name
    assert input_value(r, "short_name") == short_name
    assert count(db, University) == before


def test_editing_into_a_duplicate_is_refused(client, db, admin, universities):
    unimed = universities["unimed"]

    r = client.post(
        f"/admin/universities/{unimed.id}",
        data={"name": "Universitas Negeri Medan", "short_name": "USU"},
    )

    assert r.status_code == 200
    assert any("already uses this name or short name" in f for f in flashes(r))
    assert input_value(r, "short_name") == "USU"
    assert fresh(db, unimed).short_name == "UNIMED"


def test_institution_fields_are_validated(client, db, admin):
    r = client.post("/admin/universities/new", data={"name": "", "short_name": "X" * 31})

    assert r.status_code == 200
    assert field_error(r, "name") == "This field is required."
    assert field_error(r, "short_name") == "At most 30 characters."


def test_deactivated_university_leaves_registration_and_comes_back(
    client, db, admin, universities, app
):
    usu = universities["usu"]

    r = client.post(f"/admin/universities/{usu.id}/deactivate", follow_redirects=True)
    assert "Universitas Sumatera Utara has been deactivated." in flashes(r)
    assert fresh(db, usu).is_active is False
    assert events(db, "institution.deactivate", target_id=usu.id)

    visitor = app.test_client()
    assert str(usu.id) not in select_options(visitor.get("/register"), "university_id")
    # nor offered to new staff accounts
    assert str(usu.id) not in select_options(client.get("/admin/users/new"), "university_id")

    r = client.post(f"/admin/universities/{usu.id}/reactivate", follow_redirects=True)
    assert "Universitas Sumatera Utara is active again." in flashes(r)
    assert fresh(db, usu).is_active is True
    assert str(usu.id) in select_options(visitor.get("/register"), "university_id")


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/admin/universities"),
        ("get", "/admin/agencies"),
        ("get", "/admin/universities/new"),
        ("post", "/admin/universities/new"),
        ("post", "/admin/agencies/new"),
        ("get", "/admin/universities/{uni}"),
        ("post", "/admin/universities/{uni}"),
        ("post", "/admin/universities/{uni}/deactivate"),
        ("post", "/admin/agencies/{opd}/deactivate"),
        ("post", "/admin/agencies/{opd}"),
    ],
)
def test_opd_admin_cannot_manage_institutions(
    client, db, opd_admin, opd, universities, method, url
):
    uni = universities["usu"]
    data = {"name": "Diambil alih", "short_name": "XX", "kind": "dinas"}

    r = getattr(client, method)(
        url.format(uni=uni.id, opd=opd.id), **({"data": data} if method == "post" else {})
    )

    assert r.status_code == 403
    assert fresh(db, uni).name == "Universitas Sumatera Utara" and uni.is_active
    assert fresh(db, opd).name == "Dinas Komunikasi dan Informatika" and opd.is_active
    assert count(db, University, University.short_name == "XX") == 0


def test_institution_navigation_only_for_city_admins(client, opd_admin):
    page = text(client.get("/admin/users"))
    assert 'href="/admin/universities"' not in page
    assert 'href="/admin/users"' in page


def test_non_admins_cannot_open_admin_pages(client, make, login_as):
    login_as(en(make, Role.UNIVERSITY))

    for url in ("/admin/users", "/admin/universities", "/admin/audit", "/admin/users/new"):
        assert client.get(url).status_code == 403, url
