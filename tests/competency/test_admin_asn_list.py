"""The list of ASN records (search by name and NIP, filters), OPD admins kept to their own OPD,
a query count that does not grow with the records, and odd input."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.competency.models import AsnStatus, Position, PositionKind
from tests.competency import asn_support
from tests.competency.asn_support import (
    PNS_NIP,
    PPPK_NIP,
    URL,
    _edit,
    add_record,
    new_record,
    record_of,
)
from tests.competency.catalogue_support import table_cells
from tests.support.pages import field_error, select_options, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

# The shared fixtures (asn_support.py).
admin = asn_support.admin
andi = asn_support.andi
bappeda = asn_support.bappeda
kominfo = asn_support.kominfo
opd_admin = asn_support.opd_admin
pranata = asn_support.pranata


# --- list -----------------------------------------------------------------------------------------


def test_list_searches_by_name_and_nip_and_filters(
    client, db, make, admin, kominfo, bappeda, pranata
):
    add_record(db, make, kominfo, "Andi Wijaya", nip_=PNS_NIP, position_id=pranata.id)
    add_record(db, make, kominfo, "Yusuf Ginting", nip_=PPPK_NIP, status=AsnStatus.PPPK)
    add_record(db, make, bappeda, "Sri Wahyuni Nasution", nip_="198503142010012902")

    page = client.get(URL)
    assert table_cells(page) == ["Andi Wijaya", "Sri Wahyuni Nasution", "Yusuf Ginting"]
    assert "19920105 201903 1 904" in text(page) and "19900411 2023 21 1 906" in text(page)
    assert table_cells(client.get(URL + "?q=WAHYUNI")) == ["Sri Wahyuni Nasution"]
    assert table_cells(client.get(URL + "?q=19900411+2023")) == ["Yusuf Ginting"]
    assert table_cells(client.get(URL + "?status=pppk")) == ["Yusuf Ginting"]
    assert table_cells(client.get(f"{URL}?opd={bappeda.id}")) == ["Sri Wahyuni Nasution"]
    by_position = client.get(f"{URL}?opd={kominfo.id}&position={pranata.id}")
    assert table_cells(by_position) == ["Andi Wijaya"]
    assert select_options(by_position, "position")[str(pranata.id)] == "Pranata Komputer"


# --- OPD admins -----------------------------------------------------------------------------------


def test_opd_admin_sees_only_its_own_records(client, db, make, opd_admin, kominfo, bappeda):
    add_record(db, make, kominfo, "Andi Wijaya")
    other = add_record(db, make, bappeda, "Sri Wahyuni Nasution")

    assert table_cells(client.get(URL)) == ["Andi Wijaya"]
    assert client.get(f"{URL}/{other.id}").status_code == 404
    assert client.post(f"{URL}/{other.id}", data=_edit(other, bappeda, "")).status_code == 404


def test_opd_admin_creates_records_only_for_its_own_opd(
    client, db, make, opd_admin, kominfo, bappeda, andi
):
    stranger = make.user(Role.ASN, agency=bappeda, email="sri@example.com")
    form = client.get(f"{URL}/new")
    assert list(select_options(form, "agency_id").values()) == [
        "— none —",
        "Dinas Komunikasi dan Informatika",
    ]

    refused = client.post(f"{URL}/new", data=new_record(kominfo, email="sri@example.com"))
    assert field_error(refused, "email") == "There is no account with this e-mail address."
    assert record_of(db, stranger) is None

    assert client.post(f"{URL}/new", data=new_record(kominfo)).status_code == 302
    assert record_of(db, andi) is not None


# --- queries and odd input ------------------------------------------------------------------------


def test_pages_need_the_same_number_of_queries_whatever_the_size(
    client, db, make, admin, kominfo, count_queries
):
    head = add_record(db, make, kominfo, "Kepala")
    subject = add_record(db, make, kominfo, "Subjek", supervisor_id=head.id)
    counts, made = [], 0
    for size in (2, 15):
        while made < size:
            made += 1
            position = Position(
                name=f"Jabatan {made:02d}", kind=PositionKind.PELAKSANA, agency_id=kominfo.id
            )
            db.session.add(position)
            db.session.flush()
            add_record(
                db,
                make,
                kominfo,
                f"Pegawai {made:02d}",
                supervisor_id=head.id,
                position_id=position.id,
            )
        with count_queries() as listing:
            r1 = client.get(URL)
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
        URL + "?q=%00199",
        URL + "?status=%00",
        URL + "?position=abc&opd=%00",
        URL + "?position=99999999999999999999",
        URL + "?page=-3",
        URL + "?page=99999999999999999999",
        URL + "/99999999999999999999",
    ],
)
def test_odd_addresses_give_a_normal_page(client, admin, url):
    response = client.get(url)

    assert response.status_code == (404 if "/9999" in url else 200)


def test_a_nul_byte_in_a_form_does_not_break_the_page(client, db, admin, kominfo, andi):
    response = client.post(
        f"{URL}/new", data=new_record(kominfo, nip="1992\x000105201903 1904", supervisor_nip="\x00")
    )

    assert response.status_code in (200, 302)
    assert response.status_code == 302 or field_error(response, "nip")
