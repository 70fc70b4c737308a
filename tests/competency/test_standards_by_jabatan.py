"""Issue 17, point 3: technical competency standards follow the position (jabatan) and its
pembina, not the OPD; JF levels come from the jenjang, configurable. A Pranata Komputer at a
health OPD gets informatics competencies; the standard editor offers technical competencies of
every field; a JF Ahli Madya gets the jenjang table's level (not 2), and changing the table
changes the suggestion; the same JF elsewhere shares its technical standard; the dictionary tags
technical competencies by field. Pages in English; the world is built once for the module."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.competency.fields import TechnicalField
from portal.competency.models import Competency, JenjangLevel, Position
from tests.competency.catalogue_support import table_cells, wording
from tests.competency.position_support import URL, add_position, level_field, standard
from tests.support.pages import field_error, flashes, select_options
from tests.support.worlds import positions

pytestmark = pytest.mark.usefixtures("english")

position_world = positions.position_world
opds, seeded = positions.opds, positions.seeded
admin, opd_admin = positions.admin, positions.opd_admin

JENJANG = "/admin/competency/jenjang"
CATALOGUE = "/admin/competency/catalogue"


def _create(client, db, agency, name, kind="fungsional", jenjang="Ahli Pertama", **extra):
    """A position made through the form, then filled with the rule of thumb."""
    response = client.post(
        f"{URL}/new",
        data={"name": name, "kind": kind, "jenjang": jenjang, "agency_id": agency.id, **extra},
    )
    assert response.status_code == 302, field_error(response, "name")
    position = db.session.scalars(
        sa.select(Position).where(Position.name == name, Position.agency_id == agency.id)
    ).one()
    client.post(f"{URL}/{position.id}/standard/rule-of-thumb")
    return position


def _technical(levels: dict[str, int]) -> dict[str, int]:
    return {code: level for code, level in levels.items() if code.startswith("T.")}


# --- technical competencies by jabatan ------------------------------------------------------------


def test_a_pranata_komputer_in_a_health_opd_gets_informatics_competencies(client, db, admin, opds):
    position = _create(client, db, opds["Dinkes"], "Pranata Komputer")

    assert _technical(standard(db, position)) == {"T.KOM.01": 2, "T.KOM.02": 2}
    db.session.expire_all()
    position = db.session.get(Position, position.id)
    assert position.field == TechnicalField.INFORMATIKA
    assert position.pembina == "Badan Pusat Statistik (BPS)"


def test_a_structural_position_takes_its_opds_field(client, db, admin, opds):
    position = _create(client, db, opds["Dinkes"], "Kepala Bidang", "administrator", "")

    assert _technical(standard(db, position)) == {"T.KES.01": 3, "T.RS.01": 3}


def test_the_same_jabatan_elsewhere_shares_its_technical_standard(client, db, admin, opds):
    first = _create(client, db, opds["Bappeda"], "Pranata Komputer")
    client.post(
        f"{URL}/{first.id}/standard",
        data={level_field(db, "T.KOM.02"): "0", level_field(db, "T.BAP.01"): "2"},
    )
    assert _technical(standard(db, first)) == {"T.KOM.01": 2, "T.BAP.01": 2}

    second = _create(client, db, opds["Dinkes"], "Pranata Komputer", jenjang="Ahli Muda")

    assert _technical(standard(db, second)) == {"T.KOM.01": 3, "T.BAP.01": 3}


def test_the_field_chosen_on_the_form_wins(client, db, admin, opds):
    position = _create(
        client, db, opds["Dinkes"], "Epidemiolog Data", field="informatika", pembina="Kemenkes"
    )

    assert _technical(standard(db, position)) == {"T.KOM.01": 2, "T.KOM.02": 2}
    assert db.session.get(Position, position.id).pembina == "Kemenkes"


def test_the_standard_editor_offers_a_technical_competency_of_another_field(
    client, db, opd_admin, opds
):
    position = add_position(db, opds["Diskominfo"], field=TechnicalField.INFORMATIKA)
    page = client.get(f"{URL}/{position.id}/standard")
    assert f'name="{level_field(db, "T.KES.01")}"' in page.get_data(as_text=True)

    response = client.post(f"{URL}/{position.id}/standard", data={level_field(db, "T.KES.01"): "3"})

    assert response.status_code == 302
    assert standard(db, position) == {"T.KES.01": 3}


# --- JF levels by jenjang -------------------------------------------------------------------------


def test_a_jf_ahli_madya_gets_the_jenjang_level(client, db, admin, opds):
    position = _create(client, db, opds["Setda"], "Analis Kebijakan", jenjang="Ahli Madya")

    levels = standard(db, position)
    assert levels["M.01"] == 4 and levels["SK.01"] == 4
    assert _technical(levels) == {"T.KEB.01": 4}


def test_changing_the_jenjang_table_changes_the_suggested_level(client, db, admin, opds):
    page = client.get(JENJANG)
    assert select_options(page, "managerial_ahli_madya")
    data = {}
    for jenjang, (managerial, technical) in {
        "ahli_pertama": (2, 2), "ahli_muda": (3, 3), "ahli_madya": (3, 5), "ahli_utama": (5, 5),
        "pemula": (1, 1), "terampil": (1, 2), "mahir": (2, 2), "penyelia": (3, 3),
    }.items():  # fmt: skip
        data[f"managerial_{jenjang}"], data[f"technical_{jenjang}"] = managerial, technical

    response = client.post(JENJANG, data=data)

    assert response.status_code == 302
    assert "The jenjang levels have been saved: 8 changed." in flashes(
        client.get(response.headers["Location"])
    )
    row = db.session.scalars(sa.select(JenjangLevel).where(JenjangLevel.jenjang == "Ahli Madya"))
    assert (row.one().managerial_level, db.session.scalar(sa.select(sa.func.count()).select_from(
        JenjangLevel))) == (3, 8)  # fmt: skip
    position = _create(client, db, opds["Setda"], "Auditor", jenjang="Ahli Madya")
    levels = standard(db, position)
    assert levels["M.01"] == 3 and _technical(levels) == {}  # no competency of its field yet


@pytest.mark.parametrize("bad", ["0", "6", "x"])
def test_a_jenjang_level_outside_1_to_5_changes_nothing(client, db, admin, bad):
    response = client.post(JENJANG, data={"managerial_ahli_madya": bad})

    assert response.status_code == 200
    assert "Choose a level from 1 to 5 for each jenjang." in flashes(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JenjangLevel)) == 0


def test_an_opd_admin_reads_the_jenjang_table_but_cannot_change_it(client, db, opd_admin):
    page = client.get(JENJANG)
    assert page.status_code == 200 and "Ahli Madya" in page.get_data(as_text=True)
    assert 'name="managerial_ahli_madya"' not in page.get_data(as_text=True)

    assert client.post(JENJANG, data={"managerial_ahli_madya": "5"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JenjangLevel)) == 0


# --- the dictionary tagged by field ---------------------------------------------------------------


def test_the_dictionary_is_filtered_by_field(client, db, admin, seeded):
    assert table_cells(client.get(f"{CATALOGUE}?field=informatika")) == ["T.KOM.01", "T.KOM.02"]
    assert table_cells(client.get(f"{CATALOGUE}?field=kesehatan")) == ["T.KES.01", "T.RS.01"]


def test_a_technical_competency_is_created_with_a_field_and_moved_to_another(
    client, db, admin, opds
):
    response = client.post(
        f"{CATALOGUE}/new",
        data={
            **wording(),
            "code": "T.KOM.20",
            "type": "teknis",
            "agency_id": opds["Diskominfo"].id,
            "field": "kesehatan",
        },
    )
    assert response.status_code == 302
    competency = db.session.scalars(sa.select(Competency).where(Competency.code == "T.KOM.20"))
    competency = competency.one()
    assert competency.field == TechnicalField.KESEHATAN

    moved = client.post(
        f"{CATALOGUE}/{competency.id}/edit", data={**wording(), "field": "informatika"}
    )

    assert moved.status_code == 302
    db.session.expire_all()
    competency = db.session.get(Competency, competency.id)
    assert competency.field == TechnicalField.INFORMATIKA
    assert competency.current_version.number == 1  # only the field changed: no new version
    assert "Saved: the field has changed, the wording has not." in flashes(
        client.get(moved.headers["Location"])
    )


def test_a_managerial_competency_has_no_field(client, db, admin):
    response = client.post(
        f"{CATALOGUE}/new",
        data={
            **wording(),
            "code": "M.20",
            "type": "manajerial",
            "agency_id": "0",
            "field": "sosial",
        },
    )

    assert response.status_code == 200
    assert field_error(response, "field") == (
        "Only technical competencies have a field: choose “none”."
    )
