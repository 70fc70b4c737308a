"""Long admin lists: pages of PAGE_SIZE rows, filters kept from page to page, no query per row,
and odd query arguments that show a normal page."""

from __future__ import annotations

import html
import re

import pytest

from portal.auth.models import Role
from tests.admin.support import en, table_cells
from tests.support.pages import text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def test_universities_are_paginated(client, app, admin, make, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 20)
    for n in range(1, 26):
        make.university(name=f"Kampus {n:02d}", short_name=f"K{n:02d}")

    first = client.get("/admin/universities")
    assert table_cells(first) == [f"Kampus {n:02d}" for n in range(1, 21)]
    assert "25 results" in text(first)
    assert 'href="/admin/universities?page=2"' in first.get_data(as_text=True)

    second = client.get("/admin/universities?page=2")
    assert table_cells(second) == [f"Kampus {n:02d}" for n in range(21, 26)]

    beyond = client.get("/admin/universities?page=3")
    assert beyond.status_code == 200 and table_cells(beyond) == []


def test_pagination_keeps_the_filters(client, app, admin, make, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    for n in range(1, 8):
        en(make, Role.ASN, full_name=f"Pegawai {n:02d}")
    en(make, Role.MENTOR, full_name="Pegawai Mentor")

    first = client.get("/admin/users?role=asn&q=pegawai")
    body = first.get_data(as_text=True)
    assert re.search(r'href="/admin/users\?[^"]*page=2', body)
    link = html.unescape(re.search(r'href="(/admin/users\?[^"]*page=2[^"]*)"', body).group(1))
    assert "role=asn" in link and "q=pegawai" in link

    second = client.get(link)
    assert table_cells(second) == ["Pegawai 06", "Pegawai 07"]


def test_users_list_loads_without_one_query_per_row(client, admin, make, count_queries):
    uni = make.university()
    for n in range(15):
        en(make, Role.STUDENT, university=uni, full_name=f"Mahasiswa {n:02d}")

    with count_queries() as queries:
        r = client.get("/admin/users")

    assert r.status_code == 200 and len(table_cells(r)) == 16
    assert queries() <= 12


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users?q=a%00b",
        "/admin/universities?q=%00",
        "/admin/agencies?kind=%00",
        "/admin/audit?actor=%00",
        "/admin/users?page=-3",
        "/admin/users?page=abc",
        "/admin/users?page=99999999999999999999",
        "/admin/audit?page=99999999999999999999",
        "/admin/audit?since=0001-01-01",
        "/admin/audit?until=9999-12-31",
    ],
)
def test_odd_query_arguments_show_a_normal_page(client, admin, url):
    """A mistyped or hostile address shows the list (maybe empty), not an error page."""
    r = client.get(url)

    assert r.status_code == 200
