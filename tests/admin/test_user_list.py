"""The list of accounts: search, filters by role and status, and an OPD admin who sees and
opens only the accounts of their own OPD."""

from __future__ import annotations

import re

import pytest

from portal.auth.models import Role
from tests.admin.support import en, table_cells
from tests.support.pages import fresh

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def test_users_list_search(client, admin, people):
    assert table_cells(client.get("/admin/users?q=sembiring")) == ["Fajar Sembiring"]
    assert table_cells(client.get("/admin/users?q=DINKES.example")) == ["Fajar Sembiring"]
    assert table_cells(client.get("/admin/users?q=_")) == []


def test_users_list_filters_by_role(client, admin, people):
    assert table_cells(client.get("/admin/users?role=student")) == ["Budi Santoso", "Cici Paramida"]
    assert table_cells(client.get("/admin/users?role=mentor")) == ["Andi Wijaya"]
    assert table_cells(client.get("/admin/users?role=asn&q=ginting")) == ["Eka Ginting"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("pending", ["Budi Santoso"]),
        ("rejected", ["Cici Paramida"]),
        ("invited", ["Dedi Purba"]),
        ("inactive", ["Eka Ginting"]),
        ("active", ["Andi Wijaya", "Fajar Sembiring", "Putri Rahmadani Harahap"]),
    ],
)
def test_users_list_filters_by_status(client, admin, people, status, expected):
    """Each status filter lists exactly the accounts that show that status in the list."""
    assert table_cells(client.get(f"/admin/users?status={status}")) == expected


def test_opd_admin_sees_only_accounts_of_their_opd(client, opd_admin, people):
    names = table_cells(client.get("/admin/users"))

    assert names == ["Andi Wijaya", "Eka Ginting"]
    assert client.get(f"/admin/users/{people['andi'].id}").status_code == 200


@pytest.mark.parametrize("who", ["fajar", "budi", "dedi"])
def test_opd_admin_gets_404_on_accounts_outside_their_opd(client, db, opd_admin, people, who):
    other = people[who]

    assert client.get(f"/admin/users/{other.id}").status_code == 404
    assert (
        client.post(
            f"/admin/users/{other.id}",
            data={
                "full_name": "Diubah",
                "roles": ["asn"],
                "agency_id": str(opd_admin.admin_agency_id),
            },
        ).status_code
        == 404
    )
    assert client.post(f"/admin/users/{other.id}/deactivate").status_code == 404
    other = fresh(db, other)
    assert other.full_name != "Diubah" and other.is_active_flag


def test_every_account_an_opd_admin_lists_can_be_opened(client, make, opd, opd_admin, people):
    """A city-wide admin who is also an ASN of the OPD is not the OPD admin's to manage, so the
    list must not offer it (it would lead to a 404)."""
    en(make, Role.ADMIN, Role.ASN, agency=opd, full_name="Admin Kota Juga ASN")

    listed = re.findall(
        r'href="/admin/users/(\d+)"', client.get("/admin/users").get_data(as_text=True)
    )

    assert listed
    for user_id in listed:
        assert client.get(f"/admin/users/{user_id}").status_code == 200, user_id


def test_opd_admin_cannot_see_city_admin(client, make, opd_admin):
    city = en(make, Role.ADMIN, full_name="Admin Kota")

    assert "Admin Kota" not in table_cells(client.get("/admin/users"))
    assert client.get(f"/admin/users/{city.id}").status_code == 404
