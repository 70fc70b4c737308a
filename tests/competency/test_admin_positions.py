"""Positions as an admin meets them: list, create and edit, OPD admins kept to their own OPD, the
number of queries whatever the size, and odd addresses. (Their competency standards:
test_admin_position_standards.py.) Pages in English."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.models import AsnProfile, AsnStatus, Position, PositionKind, StandardItem
from tests.admin.support import events
from tests.competency.catalogue_support import add_competency, table_cells
from tests.competency.position_support import URL, add_position, standard, standard_rows
from tests.support.pages import field_error, select_options
from tests.support.worlds import positions

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


# The world, built once for the module (tests/support/worlds/positions.py): every OPD the seeded
# catalogue names, the seeded catalogue, and the admins (signed in by their fixtures).
position_world = positions.position_world
opds = positions.opds
admin = positions.admin
opd_admin = positions.opd_admin


# --- list, create, edit ---------------------------------------------------------------------------


def test_position_list_searches_and_filters(client, db, admin, opds):
    add_position(db, opds["Diskominfo"], "Kepala Bidang Aplikasi Informatika")
    add_position(
        db,
        opds["Diskominfo"],
        "Pranata Komputer",
        kind=PositionKind.FUNGSIONAL,
        jenjang="Ahli Pertama",
    )
    add_position(
        db, opds["Bappeda"], "Perencana", kind=PositionKind.FUNGSIONAL, jenjang="Ahli Muda"
    )

    assert table_cells(client.get(URL)) == [
        "Kepala Bidang Aplikasi Informatika",
        "Perencana (Ahli Muda)",
        "Pranata Komputer (Ahli Pertama)",
    ]
    assert table_cells(client.get(URL + "?q=KOMPUTER")) == ["Pranata Komputer (Ahli Pertama)"]
    assert table_cells(client.get(f"{URL}?opd={opds['Bappeda'].id}")) == ["Perencana (Ahli Muda)"]
    assert table_cells(client.get(URL + "?kind=administrator")) == [
        "Kepala Bidang Aplikasi Informatika"
    ]
    assert table_cells(client.get(URL + "?q=_")) == []


def test_create_a_functional_position(client, db, admin, opds):
    response = client.post(
        f"{URL}/new",
        data={
            "name": "Pranata Komputer",
            "kind": "fungsional",
            "jenjang": "Ahli Muda",
            "agency_id": opds["Diskominfo"].id,
        },
    )

    assert response.status_code == 302
    position = db.session.scalars(sa.select(Position)).one()
    assert (position.name, position.kind, position.jenjang, position.agency_id) == (
        "Pranata Komputer",
        PositionKind.FUNGSIONAL,
        "Ahli Muda",
        opds["Diskominfo"].id,
    )
    assert response.headers["Location"].endswith(f"/positions/{position.id}/standard")
    assert len(events(db, "position.save")) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"jenjang": ""}, "jenjang", "Choose the jenjang of a functional position."),
        ({"kind": "pelaksana"}, "jenjang", "Only functional positions have a jenjang."),
        ({"jenjang": "Ahli Super"}, "jenjang", "Not a valid choice."),
        ({"kind": "eselon"}, "kind", "Not a valid choice."),
        ({"agency_id": "0"}, "agency_id", "This field is required."),
        ({"agency_id": "abc"}, "agency_id", "This field is required."),
        ({"name": "  "}, "name", "This field is required."),
        ({"name": "Perencana"}, "name", "This OPD already has a position with this name."),
    ],
)
def test_a_bad_position_is_refused_on_its_field(client, db, admin, opds, changes, field, message):
    add_position(
        db, opds["Bappeda"], "Perencana", kind=PositionKind.FUNGSIONAL, jenjang="Ahli Muda"
    )
    data = {
        "name": "Perencana Muda",
        "kind": "fungsional",
        "jenjang": "Ahli Muda",
        "agency_id": opds["Bappeda"].id,
        **changes,
    }

    response = client.post(f"{URL}/new", data=data)

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 1


def test_edit_a_position(client, db, admin, opds):
    position = add_position(db, opds["Diskominfo"], "Kasi Persandian", kind=PositionKind.PENGAWAS)

    form = client.get(f"{URL}/{position.id}")
    assert select_options(form, "kind")["pengawas"] == "Pengawas (supervisor)"
    assert 'value="Kasi Persandian"' in form.get_data(as_text=True)
    response = client.post(
        f"{URL}/{position.id}",
        data={
            "name": "Kepala Seksi Persandian",
            "kind": "pengawas",
            "jenjang": "",
            "agency_id": opds["Diskominfo"].id,
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Position, position.id).name == "Kepala Seksi Persandian"


def test_a_position_held_by_asn_does_not_move_to_another_opd(client, db, admin, opds, make):
    position = add_position(db, opds["Diskominfo"])
    db.session.add(
        AsnProfile(
            user_id=make.user(Role.ASN, agency=opds["Diskominfo"]).id,
            nip="197908222005021901",
            status=AsnStatus.PNS,
            agency_id=opds["Diskominfo"].id,
            position_id=position.id,
        )
    )
    db.session.flush()

    response = client.post(
        f"{URL}/{position.id}",
        data={"name": position.name, "kind": "administrator", "agency_id": opds["Bappeda"].id},
    )

    assert response.status_code == 200
    assert "cannot move to another OPD" in field_error(response, "agency_id")
    db.session.expire_all()
    assert db.session.get(Position, position.id).agency_id == opds["Diskominfo"].id


# --- OPD admins -----------------------------------------------------------------------------------


def test_opd_admin_sees_and_creates_positions_of_its_own_opd(client, db, opd_admin, opds):
    add_position(db, opds["Diskominfo"], "Sekretaris Dinas")
    add_position(db, opds["Bappeda"], "Sekretaris Badan")

    assert table_cells(client.get(URL)) == ["Sekretaris Dinas"]
    form = client.get(f"{URL}/new")
    assert list(select_options(form, "agency_id").values()) == ["— none —", "OPD Diskominfo"]
    refused = client.post(
        f"{URL}/new",
        data={"name": "Kabid", "kind": "administrator", "agency_id": opds["Bappeda"].id},
    )
    assert field_error(refused, "agency_id") == "Not a valid choice."


@pytest.mark.parametrize("suffix", ["", "/standard"])
def test_another_opds_position_is_not_found(client, db, opd_admin, opds, suffix):
    other = add_position(db, opds["Bappeda"])

    assert client.get(f"{URL}/{other.id}{suffix}").status_code == 404
    assert client.post(f"{URL}/{other.id}{suffix}", data={}).status_code == 404
    assert client.post(f"{URL}/{other.id}/standard/rule-of-thumb").status_code == 404
    assert standard(db, other) == {}


# --- queries and odd input ------------------------------------------------------------------------


def test_pages_need_the_same_number_of_queries_whatever_the_size(
    client, db, admin, make, count_queries
):
    opd = make.agency()
    subject = add_position(db, opd, "Subjek")
    counts = []
    made = 0
    for size in (2, 15):
        while made < size:
            made += 1
            add_position(db, opd, f"Jabatan {made:02d}")
            competency = add_competency(db, opd)
            db.session.add(
                StandardItem(position_id=subject.id, competency_id=competency.id, required_level=2)
            )
        db.session.flush()
        with count_queries() as listing:
            r1 = client.get(f"{URL}?opd={opd.id}")
        with count_queries() as page:
            r2 = client.get(f"{URL}/{subject.id}/standard")
        assert r1.status_code == r2.status_code == 200
        counts.append((listing(), page(), len(table_cells(r1)), len(standard_rows(r2))))
    (l1, p1, a1, b1), (l2, p2, a2, b2) = counts
    assert a1 < a2 and b1 < b2
    assert (l1, p1) == (l2, p2), counts
    assert l1 <= 8 and p1 <= 8, counts


@pytest.mark.parametrize(
    "url",
    [
        URL + "?q=a%00b",
        URL + "?kind=%00",
        URL + "?opd=%00",
        URL + "?opd=99999999999999999999",
        URL + "?page=-3",
        URL + "?page=99999999999999999999",
        URL + "/99999999999999999999",
        URL + "/99999999999999999999/standard",
    ],
)
def test_odd_addresses_give_a_normal_page(client, admin, url):
    response = client.get(url)

    assert response.status_code == (404 if "/9999" in url else 200)
