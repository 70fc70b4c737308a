"""The ASN record form as an admin meets it: creating a record for an account, NIP errors and
warnings, golongan for the status, the account, OPD and position that fit, editing, and
supervisors named by NIP without loops."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from portal.competency.models import AsnProfile, AsnStatus, Position, PositionKind
from tests.admin.support import events
from tests.competency import asn_support
from tests.competency.asn_support import (
    PNS_NIP,
    PPPK_NIP,
    URL,
    _edit,
    add_record,
    new_record,
    nip,
    record_of,
)
from tests.support.pages import field_error, flashes, input_value, select_options, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)

# The shared fixtures (asn_support.py).
admin = asn_support.admin
andi = asn_support.andi
bappeda = asn_support.bappeda
kominfo = asn_support.kominfo
pranata = asn_support.pranata


# --- create and edit ------------------------------------------------------------------------------


def test_create_a_record_for_an_asn_account(client, db, admin, kominfo, andi, pranata):
    response = client.post(f"{URL}/new", data=new_record(kominfo, position_id=pranata.id))

    assert response.status_code == 302
    record = record_of(db, andi)
    assert (record.nip, record.status, record.golongan, record.pangkat) == (
        PNS_NIP,
        AsnStatus.PNS,
        "III/b",
        "Penata Muda Tingkat I",
    )
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
    db.session.add(
        AsnProfile(user_id=existing.id, nip=nip(), status=AsnStatus.PNS, agency_id=kominfo.id)
    )
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
    planner = Position(
        name="Perencana", kind=PositionKind.FUNGSIONAL, jenjang="Ahli Muda", agency_id=bappeda.id
    )
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
        data={
            "nip": PNS_NIP,
            "status": "pns",
            "golongan": "III/c",
            "agency_id": kominfo.id,
            "position_id": pranata.id,
            "supervisor_nip": "",
        },
    )

    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(AsnProfile, record.id)
    assert (changed.golongan, changed.position_id) == ("III/c", pranata.id)


# --- supervisors ----------------------------------------------------------------------------------


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


def test_the_old_nip_is_kept_for_siasn_and_checked(client, db, admin, kominfo, andi):
    """Issue 17, point 4: SIASN's ``nipLama`` where known: 9 digits, spaces ignored."""
    response = client.post(f"{URL}/new", data=new_record(kominfo, nip_lama="01 0203 040x"))

    assert response.status_code == 200
    assert field_error(response, "nip_lama") == "An old NIP (NIP lama) has 9 digits."
    assert input_value(response, "nip_lama") == "01 0203 040x"
    assert record_of(db, andi) is None
    client.post(f"{URL}/new", data=new_record(kominfo, nip_lama="010 203 040"))
    assert record_of(db, andi).nip_lama == "010203040"
