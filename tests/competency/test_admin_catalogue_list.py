"""The competency catalogue's list as an admin meets it: search, filters by type, OPD and
status, pagination, a query count that does not grow with the catalogue, and odd addresses."""

from __future__ import annotations

import pytest

from portal.competency.assessments import services
from portal.competency.models import LEVELS
from tests.competency import catalogue_support
from tests.competency.catalogue_support import URL, add_competency, table_cells
from tests.support.pages import text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

# The shared fixtures (catalogue_support.py).
admin = catalogue_support.admin
opds = catalogue_support.opds
seeded = catalogue_support.seeded


def test_catalogue_lists_searches_and_filters(client, app, admin, seeded, opds, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)

    everything = table_cells(client.get(URL))
    assert everything[:9] == [
        "M.01",
        "M.02",
        "M.03",
        "M.04",
        "M.05",
        "M.06",
        "M.07",
        "M.08",
        "SK.01",
    ]
    assert len(everything) == len(seeded)

    assert table_cells(client.get(URL + "?q=integritas")) == ["M.01"]
    assert table_cells(client.get(URL + "?q=t.kom")) == ["T.KOM.01", "T.KOM.02"]
    assert table_cells(client.get(URL + "?type=sosial_kultural")) == ["SK.01"]
    bappeda = opds["Bappeda"].id
    assert table_cells(client.get(f"{URL}?type=teknis&opd={bappeda}")) == ["T.BAP.01", "T.BAP.02"]
    nothing = client.get(URL + "?q=%25")
    assert table_cells(nothing) == [] and "Nothing found." in text(nothing)


def test_catalogue_filters_by_status(client, app, admin, seeded, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)
    client.post(f"{URL}/{seeded['M.07'].id}/retire")

    assert table_cells(client.get(URL + "?status=retired")) == ["M.07"]
    assert "M.07" not in table_cells(client.get(URL + "?status=active"))


def test_catalogue_is_paginated(client, admin, seeded):
    first, second = client.get(URL), client.get(URL + "?page=2")

    assert len(table_cells(first)) == 20
    assert len(table_cells(second)) == len(seeded) - 20
    assert f"{len(seeded)} results" in text(first)


# --- queries and odd input ------------------------------------------------------------------------


def test_list_and_page_need_the_same_number_of_queries_whatever_the_size(
    client, db, admin, make, count_queries
):
    opd = make.agency()
    subject = add_competency(db, opd)
    counts = []
    for extra in (2, 15):
        for _ in range(extra - (counts and 2 or 0)):
            add_competency(db, opd)
        for n in range(extra // 3):
            services.add_version(
                subject,
                name=f"Versi {extra}-{n}",
                definition="D.",
                levels={lv: (f"L{lv}", "a\nb") for lv in LEVELS},
                actor=admin,
            )
        with count_queries() as listing:
            r1 = client.get(f"{URL}?type=teknis&opd={opd.id}")
        with count_queries() as page:
            r2 = client.get(f"{URL}/{subject.id}")
        assert r1.status_code == r2.status_code == 200
        counts.append((listing(), page(), len(table_cells(r1))))
    (l1, p1, rows1), (l2, p2, rows2) = counts
    assert rows1 < rows2
    assert (l1, p1) == (l2, p2), counts
    assert l1 <= 8 and p1 <= 8, counts


@pytest.mark.parametrize(
    "url",
    [
        URL + "?q=a%00b",
        URL + "?type=%00",
        URL + "?status=%00&opd=%00",
        URL + "?opd=99999999999999999999",
        URL + "?opd=-1",
        URL + "?page=-3",
        URL + "?page=abc",
        URL + "?page=99999999999999999999",
        URL + "/99999999999999999999",
        "/admin/competency/",
    ],
)
def test_odd_addresses_give_a_normal_page(client, admin, seeded, url):
    response = client.get(url, follow_redirects=True)

    assert response.status_code in (200, 404)
    assert response.status_code == (404 if "/9999" in url else 200)
