"""Competency standards of positions as an admin meets them: the standard table (every active
competency of the city-wide dictionary), saving levels in one form, levels outside 0-5 and
retired competencies refused, the rule of thumb, and an OPD admin editing the standard of its own
position. (The positions themselves: test_admin_positions.py.) Pages in English."""

from __future__ import annotations

import re

import pytest

from portal.competency.models import PositionKind
from tests.admin.support import events
from tests.competency.position_support import (
    URL,
    add_position,
    level_field,
    standard,
    standard_rows,
)
from tests.support.pages import flashes
from tests.support.worlds import positions

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


# The world, built once for the module (tests/support/worlds/positions.py): every OPD the seeded
# catalogue names, the seeded catalogue, and the admins (signed in by their fixtures).
position_world = positions.position_world
opds = positions.opds
seeded = positions.seeded
admin = positions.admin
opd_admin = positions.opd_admin


# --- the standard ---------------------------------------------------------------------------------


def test_standard_offers_every_active_competency_of_the_dictionary(client, db, admin, seeded, opds):
    """Issue 17, point 3: technical competencies of every field, not only the OPD's own."""
    position = add_position(db, opds["Diskominfo"])
    client.post(f"/admin/competency/catalogue/{seeded['M.07'].id}/retire")

    rows = standard_rows(client.get(f"{URL}/{position.id}/standard"))

    assert [code for code in rows if not code.startswith("T.")] == [
        "M.01",
        "M.02",
        "M.03",
        "M.04",
        "M.05",
        "M.06",
        "M.08",
        "SK.01",
    ]
    assert {code for code in rows if code.startswith("T.")} == {
        code for code in seeded if code.startswith("T.")
    }
    assert set(rows.values()) == {"0"}


def test_save_the_standard_levels_in_one_form(client, db, admin, seeded, opds):
    position = add_position(db, opds["Diskominfo"])
    page = client.get(f"{URL}/{position.id}/standard")
    data = dict.fromkeys(
        re.findall(r'<select[^>]*name="(level_\d+)"', page.get_data(as_text=True)), "0"
    )
    data[level_field(db, "M.01")] = "3"
    data[level_field(db, "SK.01")] = "2"
    data[level_field(db, "T.KOM.01")] = "4"

    response = client.post(f"{URL}/{position.id}/standard", data=data)

    assert response.status_code == 302
    assert standard(db, position) == {"M.01": 3, "SK.01": 2, "T.KOM.01": 4}
    after = client.get(response.headers["Location"])
    assert "The standard has been saved: 3 competencies." in flashes(after)
    assert standard_rows(after)["T.KOM.01"] == "4"

    # 0 takes a competency out; others change in place.
    data[level_field(db, "SK.01")] = "0"
    data[level_field(db, "M.01")] = "4"
    client.post(f"{URL}/{position.id}/standard", data=data)
    assert standard(db, position) == {"M.01": 4, "T.KOM.01": 4}
    assert len(events(db, "position.save")) == 2


@pytest.mark.parametrize("bad", ["6", "-1", "abc", "\x00"])
def test_a_level_outside_0_to_5_changes_nothing(client, db, admin, seeded, opds, bad):
    position = add_position(db, opds["Diskominfo"])

    response = client.post(f"{URL}/{position.id}/standard", data={level_field(db, "M.01"): bad})

    assert response.status_code == 200
    assert "Choose a level from 0 to 5 for each competency." in flashes(response)
    assert standard(db, position) == {}


def test_a_retired_competency_cannot_be_slipped_in(client, db, admin, seeded, opds):
    """Another OPD's technical competency is offered now (issue 17, point 3: the dictionary is
    city-wide); a retired one still is not."""
    position = add_position(db, opds["Diskominfo"])
    client.post(f"/admin/competency/catalogue/{seeded['T.BAP.01'].id}/retire")

    client.post(
        f"{URL}/{position.id}/standard",
        data={level_field(db, "T.BAP.01"): "3", level_field(db, "M.01"): "2"},
    )

    assert standard(db, position) == {"M.01": 2}


def test_rule_of_thumb_fills_the_standard(client, db, admin, seeded, opds):
    position = add_position(db, opds["Diskominfo"], kind=PositionKind.ADMINISTRATOR)
    client.post(f"{URL}/{position.id}/standard", data={level_field(db, "M.01"): "5"})

    response = client.post(f"{URL}/{position.id}/standard/rule-of-thumb")

    assert response.status_code == 302
    codes = (
        "M.01",
        "M.02",
        "M.03",
        "M.04",
        "M.05",
        "M.06",
        "M.07",
        "M.08",
        "SK.01",
        "T.KOM.01",
        "T.KOM.02",
    )
    expected = dict.fromkeys(codes, 3)
    assert standard(db, position) == expected
    page = client.get(response.headers["Location"])
    assert any("rule of thumb (11 competencies)" in f for f in flashes(page))
    assert events(db, "position.save")[-1].detail_dict["rule_of_thumb"] is True


def test_rule_of_thumb_for_a_pelaksana_gives_level_1_and_technical_2(
    client, db, admin, seeded, opds
):
    position = add_position(db, opds["Bappeda"], "Pengolah Data", kind=PositionKind.PELAKSANA)

    client.post(f"{URL}/{position.id}/standard/rule-of-thumb")

    levels = standard(db, position)
    assert levels["M.01"] == 1 and levels["SK.01"] == 1
    assert levels["T.BAP.01"] == 2 and "T.KOM.01" not in levels


# --- OPD admins -----------------------------------------------------------------------------------


def test_opd_admin_edits_the_standard_of_its_own_position(client, db, opd_admin, seeded, opds):
    own = add_position(db, opds["Diskominfo"])

    client.post(f"{URL}/{own.id}/standard", data={level_field(db, "M.03"): "3"})

    assert standard(db, own) == {"M.03": 3}
