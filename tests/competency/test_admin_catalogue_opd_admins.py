"""The catalogue as an OPD admin meets it: the shared competencies read-only, the OPD's own
technical competencies to manage, other OPDs' ones not found."""

from __future__ import annotations

import pytest

from tests.admin.support import events
from tests.competency import catalogue_support
from tests.competency.catalogue_support import (
    URL,
    competency_by_code,
    table_cells,
    versions,
    wording,
)
from tests.support.pages import field_error, select_options, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

# The shared fixtures (catalogue_support.py).
opd_admin = catalogue_support.opd_admin
opds = catalogue_support.opds
seeded = catalogue_support.seeded


def test_opd_admin_sees_the_shared_catalogue_and_its_own_technical_ones(
    client, app, opd_admin, seeded, monkeypatch
):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)
    codes = table_cells(client.get(URL))

    assert "M.01" in codes and "SK.01" in codes
    assert [c for c in codes if c.startswith("T.")] == ["T.KOM.01", "T.KOM.02"]


def test_opd_admin_reads_but_cannot_change_the_managerial_catalogue(client, db, opd_admin, seeded):
    integrity = seeded["M.01"]

    page = client.get(f"{URL}/{integrity.id}")
    assert page.status_code == 200
    assert "This competency is managed city-wide by BKPSDM." in text(page)
    assert "Edit (makes a new version)" not in text(page)
    assert client.get(f"{URL}/{integrity.id}/edit").status_code == 403
    assert client.post(f"{URL}/{integrity.id}/edit", data=wording()).status_code == 403
    assert client.post(f"{URL}/{integrity.id}/retire").status_code == 403
    assert not competency_by_code(db, "M.01").is_retired
    assert len(versions(db, integrity)) == 1


def test_opd_admin_manages_its_own_technical_competencies(client, db, opd_admin, seeded):
    own = seeded["T.KOM.01"]

    assert "Edit (makes a new version)" in text(client.get(f"{URL}/{own.id}"))
    response = client.post(f"{URL}/{own.id}/edit", data=wording(name="Keamanan Siber"))
    assert response.status_code == 302
    assert len(versions(db, own)) == 2


@pytest.mark.parametrize("suffix", ["", "/edit"])
def test_another_opds_technical_competency_is_not_found(client, db, opd_admin, seeded, suffix):
    other = seeded["T.BAP.01"]

    assert client.get(f"{URL}/{other.id}{suffix}").status_code == 404


@pytest.mark.parametrize("action", ["edit", "retire", "restore"])
def test_opd_admin_cannot_post_to_another_opds_competency(client, db, opd_admin, seeded, action):
    other = seeded["T.BAP.01"]

    assert client.post(f"{URL}/{other.id}/{action}", data=wording()).status_code == 404
    assert len(versions(db, other)) == 1


def test_opd_admin_creates_technical_competencies_of_its_own_opd_only(client, db, opd_admin, opds):
    form = client.get(f"{URL}/new")
    assert select_options(form, "type") == {"teknis": "Technical (teknis)"}
    assert select_options(form, "agency_id") == {str(opds["Diskominfo"].id): "OPD Diskominfo"}

    elsewhere = client.post(
        f"{URL}/new",
        data={**wording(), "code": "T.BAP.09", "type": "teknis", "agency_id": opds["Bappeda"].id},
    )
    assert elsewhere.status_code == 200
    assert field_error(elsewhere, "agency_id") == "Not a valid choice."
    managerial = client.post(
        f"{URL}/new", data={**wording(), "code": "M.09", "type": "manajerial", "agency_id": "0"}
    )
    assert field_error(managerial, "type") == "Not a valid choice."
    assert events(db, "competency.create") == []
