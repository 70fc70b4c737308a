"""ASN records as an admin meets them: list and search, creating a record for an account, NIP
errors and warnings, golongan for the status, supervisors without loops, and OPD admins kept to
their own OPD. Pages in English."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.models import AsnProfile, AsnStatus, Position, PositionKind
from tests.competency.test_admin_catalogue import table_cells
from tests.test_admin import events, field_error, flashes, input_value, select_options, text

URL = "/admin/competency/asn"
PNS_NIP = "199201052019031904"  # born 5 Jan 1992, CPNS from March 2019, male, serial 904
PPPK_NIP = "199004112023211906"  # born 11 Apr 1990, PPPK 2023, first contract, male, 906
_serials = itertools.count(910)


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def kominfo(make):
    return make.agency(name="Dinas Komunikasi dan Informatika", short_name="Diskominfo")


@pytest.fixture
def bappeda(make):
    return make.agency(name="Badan Perencanaan Pembangunan Daerah", short_name="Bappeda")


@pytest.fixture
def admin(make, login_as):
    user = make.user(Role.ADMIN, locale="en")
    login_as(user)
    return user


@pytest.fixture
def opd_admin(make, login_as, kominfo):
    user = make.user(Role.ADMIN, locale="en", admin_agency=kominfo)
    login_as(user)
    return user


@pytest.fixture
def andi(make, kominfo):
    """An ASN account of Diskominfo without a record yet."""
    return make.user(
        Role.ASN, agency=kominfo, full_name="Andi Wijaya", email="andi.wijaya@example.com"
    )


@pytest.fixture
def pranata(db, kominfo):
    position = Position(name="Pranata Komputer", kind=PositionKind.FUNGSIONAL,
                        jenjang="Ahli Pertama", agency_id=kominfo.id)  # fmt: skip
    db.session.add(position)
    db.session.flush()
    return position


def nip(year=1985, serial=None) -> str:
    return f"{year}0314" + "201001" + "2" + f"{serial or next(_serials):03d}"


def add_record(db, make, agency, name, *, nip_=None, status=AsnStatus.PNS, **kw) -> AsnProfile:
    user = make.user(Role.ASN, agency=agency, full_name=name)
    profile = AsnProfile(user_id=user.id, nip=nip_ or nip(), status=status, agency_id=agency.id,
                         **kw)  # fmt: skip
    db.session.add(profile)
    db.session.flush()
    return profile


def record_of(db, user) -> AsnProfile | None:
    db.session.expire_all()
    return db.session.scalars(sa.select(AsnProfile).where(AsnProfile.user_id == user.id)).first()


def new_record(agency, **changes) -> dict:
    return {"email": "andi.wijaya@example.com", "nip": PNS_NIP, "status": "pns",
            "golongan": "III/b", "agency_id": agency.id, "position_id": "0",
            "supervisor_nip": "", **changes}  # fmt: skip


# --- create and edit ------------------------------------------------------------------------------


def test_create_a_record_for_an_asn_account(client, db, admin, kominfo, andi, pranata):
    response = client.post(f"{URL}/new", data=new_record(kominfo, position_id=pranata.id))

    assert response.status_code == 302
    record = record_of(db, andi)
    assert (record.nip, record.status, record.golongan, record.pangkat) == (
        PNS_NIP, AsnStatus.PNS, "III/b", "Penata Muda Tingkat I"
    )  # fmt: skip
    assert record.agency_id == kominfo.id and record.position_id == pranata.id
    assert [e.target_label for e in events(db, "asn.save")] == ["andi.wijaya@example.com"]
    page = client.get(response.headers["Location"])
    assert "Saved." in flashes(page)
    assert "19920105 201903 1 904" in text(page)


def test_the_nip_may_be_typed_in_groups(client, db, admin, kominfo, andi):
    client.post(f"{URL}/new", data=new_record(kominfo, nip="19920105 201903 1 904"))

    assert record_of(db, andi).nip == PNS_NIP


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("19920105201903190", "A NIP has exactly 18 digits."),
        ("19920105201903190x", "A NIP has exactly 18 digits."),
        ("199213052019031904", "Digits 1–8 of the NIP are not a real date of birth."),
        ("199201052019131904", "Digits 13–14 of the NIP are not a month (01–12)."),
        ("199201052019033904", "Digit 15 of the NIP is the gender: 1 or 2."),
        ("199201052019031000", "The serial number at the end of the NIP runs from 001 to 999."),
    ],
)
def test_nip_errors_are_shown_on_the_field(client, db, admin, kominfo, andi, bad, message):
    response = client.post(f"{URL}/new", data=new_record(kominfo, nip=bad))

    assert response.status_code == 200
    assert message in field_error(response, "nip")
    assert input_value(response, "nip") == bad
    assert input_value(response, "email") == "andi.wijaya@example.com"
    assert record_of(db, andi) is None


def test_a_nip_warning_is_shown_but_the_record_is_saved(client, db, admin, kominfo, andi):
    old = "196001012019031901"  # appointed at 59: unusual, not impossible

    response = client.post(f"{URL}/new", data=new_record(kominfo, nip=old))

    assert response.status_code == 302
    assert record_of(db, andi).nip == old
    told = flashes(client.get(response.headers["Location"]))
    assert "Saved." in told
    assert any("appointed at the age of 59" in f for f in told)


def test_a_pppk_number_with_a_pns_status_is_saved_with_a_warning(client, db, admin, kominfo, andi):
    response = client.post(f"{URL}/new", data=new_record(kominfo, nip=PPPK_NIP, golongan=""))

    assert response.status_code == 302
    told = flashes(client.get(response.headers["Location"]))
    assert any("looks like a PPPK number but the status is PNS" in f for f in told)


@pytest.mark.parametrize(
    ("status", "golongan", "error"),
    [
        ("pppk", "III/a", "A PPPK has a golongan from I to XVII"),
        ("pppk_paruh_waktu", "IV/e", "A PPPK has a golongan from I to XVII"),
        ("pns", "VII", "A PNS or CPNS has a golongan/ruang such as III/a"),
        ("cpns", "XVII", "A PNS or CPNS has a golongan/ruang such as III/a"),
        ("pns", "III/z", "Not a valid choice."),
        ("pppk", "VII", None),
        ("cpns", "II/a", None),
        ("pppk", "", None),
    ],
)
def test_golongan_must_fit_the_status(client, db, admin, kominfo, andi, status, golongan, error):
    number = PPPK_NIP if status.startswith("pppk") else PNS_NIP
    response = client.post(
        f"{URL}/new", data=new_record(kominfo, nip=number, status=status, golongan=golongan)
    )

    if error is None:
        assert response.status_code == 302
        assert record_of(db, andi).golongan == (golongan or None)
    else:
        assert response.status_code == 200
        assert error in field_error(response, "golongan")
        assert record_of(db, andi) is None


def test_the_golongan_list_groups_pns_and_pppk(client, admin):
    options = select_options(client.get(f"{URL}/new"), "golongan")

    assert options["III/a"] == "III/a — Penata Muda"
    assert options["VII"] == "PPPK VII"
    assert len(options) == 1 + 17 + 17


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("nobody@example.com", "There is no account with this e-mail address."),
        ("mentor@example.com", "This account does not have the ASN role."),
        ("existing@example.com", "This person already has an ASN record."),
        ("not an address", "Enter a valid e-mail address."),
    ],
)
def test_the_account_must_be_an_asn_without_a_record(
    client, db, make, admin, kominfo, email, message
):
    make.user(Role.MENTOR, agency=kominfo, email="mentor@example.com")
    existing = make.user(Role.ASN, agency=kominfo, email="existing@example.com")
    db.session.add(AsnProfile(user_id=existing.id, nip=nip(), status=AsnStatus.PNS,
                              agency_id=kominfo.id))  # fmt: skip
    db.session.flush()

    response = client.post(f"{URL}/new", data=new_record(kominfo, email=email))

    assert response.status_code == 200
    assert field_error(response, "email") == message
    assert events(db, "asn.save") == []


def test_the_nip_is_unique(client, db, make, admin, kominfo, andi):
    add_record(db, make, kominfo, "Orang Lain", nip_=PNS_NIP)

    response = client.post(f"{URL}/new", data=new_record(kominfo))

    assert field_error(response, "nip") == "Another ASN record already has this NIP."


def test_the_opd_must_be_the_accounts(client, db, admin, kominfo, bappeda, andi):
    response = client.post(f"{URL}/new", data=new_record(bappeda))

    assert field_error(response, "agency_id") == "Choose the OPD of the person's account."
    assert record_of(db, andi) is None


def test_the_position_must_be_of_the_opd(client, db, admin, kominfo, bappeda, andi):
    planner = Position(name="Perencana", kind=PositionKind.FUNGSIONAL, jenjang="Ahli Muda",
                       agency_id=bappeda.id)  # fmt: skip
    db.session.add(planner)
    db.session.flush()

    response = client.post(f"{URL}/new", data=new_record(kominfo, position_id=planner.id))

    assert field_error(response, "position_id") == "Choose a position of the person's OPD."


def test_edit_a_record(client, db, make, admin, kominfo, pranata):
    record = add_record(db, make, kominfo, "Sri Wahyuni", nip_=PNS_NIP, golongan="III/a")

    form = client.get(f"{URL}/{record.id}")
    assert input_value(form, "nip") == PNS_NIP
    assert input_value(form, "email") is None  # the account is fixed once the record exists
    response = client.post(
        f"{URL}/{record.id}",
        data={"nip": PNS_NIP, "status": "pns", "golongan": "III/c", "agency_id": kominfo.id,
              "position_id": pranata.id, "supervisor_nip": ""},
    )  # fmt: skip

    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(AsnProfile, record.id)
    assert (changed.golongan, changed.position_id) == ("III/c", pranata.id)


# --- supervisors ----------------------------------------------------------------------------------


def _edit(record, agency, supervisor_nip):
    return {"nip": record.nip, "status": record.status.value, "golongan": "",
            "agency_id": agency.id, "position_id": "0", "supervisor_nip": supervisor_nip}  # fmt: skip


def test_a_supervisor_is_named_by_nip(client, db, make, admin, kominfo):
    head = add_record(db, make, kominfo, "Rahmat Hidayat Lubis")
    staff = add_record(db, make, kominfo, "Andi Wijaya")

    response = client.post(f"{URL}/{staff.id}", data=_edit(staff, kominfo, head.nip))

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(AsnProfile, staff.id).supervisor_id == head.id
    row = client.get(URL + "?q=andi").get_data(as_text=True)
    assert "Rahmat Hidayat Lubis" in row
    assert input_value(client.get(f"{URL}/{staff.id}"), "supervisor_nip") == head.nip


def test_a_person_is_not_their_own_supervisor(client, db, make, admin, kominfo):
    staff = add_record(db, make, kominfo, "Andi Wijaya")

    response = client.post(f"{URL}/{staff.id}", data=_edit(staff, kominfo, staff.nip))

    assert field_error(response, "supervisor_nip") == "A person cannot be their own supervisor."


def test_a_supervision_loop_is_refused(client, db, make, admin, kominfo):
    head = add_record(db, make, kominfo, "Hotman Siregar")
    middle = add_record(db, make, kominfo, "Rahmat Lubis", supervisor_id=head.id)
    staff = add_record(db, make, kominfo, "Andi Wijaya", supervisor_id=middle.id)

    response = client.post(f"{URL}/{head.id}", data=_edit(head, kominfo, staff.nip))

    assert response.status_code == 200
    assert "already above Hotman Siregar" in field_error(response, "supervisor_nip")
    db.session.expire_all()
    assert db.session.get(AsnProfile, head.id).supervisor_id is None


def test_an_unknown_supervisor_nip_is_refused(client, db, make, admin, kominfo):
    staff = add_record(db, make, kominfo, "Andi Wijaya")

    response = client.post(f"{URL}/{staff.id}", data=_edit(staff, kominfo, nip(serial=999)))

    assert field_error(response, "supervisor_nip") == "No ASN record has this NIP."


# --- list -----------------------------------------------------------------------------------------


def test_list_searches_by_name_and_nip_and_filters(client, db, make, admin, kominfo, bappeda,
                                                   pranata):  # fmt: skip
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
        "— none —", "Dinas Komunikasi dan Informatika"
    ]  # fmt: skip

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
            position = Position(name=f"Jabatan {made:02d}", kind=PositionKind.PELAKSANA,
                                agency_id=kominfo.id)  # fmt: skip
            db.session.add(position)
            db.session.flush()
            add_record(db, make, kominfo, f"Pegawai {made:02d}", supervisor_id=head.id,
                       position_id=position.id)  # fmt: skip
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
