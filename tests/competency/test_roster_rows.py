"""ASN roster import, every row check: NIP format and plausibility, duplicates in the file and
in the portal, e-mail, name, status and golongan, OPD and position, supervisors and loops."""

from __future__ import annotations

import pytest

from portal.auth.models import Role
from tests.competency import roster_support
from tests.competency.roster_support import check, csv_bytes, messages, nip, person

# The shared fixtures (roster_support.py).
english_messages = roster_support.english_messages
opd = roster_support.opd


def test_a_valid_row_is_ok_and_new(opd):
    (row,) = check(csv_bytes([person(1)]))
    assert row.ok and not row.warnings, messages(row)
    assert row.action == "create"
    assert row.agency_id == opd.id and row.position_id is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1986092620150510", "18 digits"), ("", "NIP is missing"),
     ("198613262015051001", "not a real date"), ("198609262015131001", "not a month"),
     ("198609262015053001", "gender"), ("198609262015051000", "serial")],
)  # fmt: skip
def test_malformed_nip_is_an_error(opd, value, expected):
    (row,) = check(csv_bytes([person(1, nip=value)]))
    assert not row.ok
    assert expected in messages(row)


def test_nip_with_spaces_is_accepted_and_stored_without(opd):
    spaced = f"{nip(1)[:8]} {nip(1)[8:14]} {nip(1)[14]} {nip(1)[15:]}"
    (row,) = check(csv_bytes([person(1, nip=spaced)]))
    assert row.ok and row.nip == nip(1)


def test_implausible_nip_is_only_a_warning(opd):
    (row,) = check(csv_bytes([person(1, nip="198609262060051001")]))
    assert row.ok
    assert "appointed at the age" in messages(row)


def test_pppk_number_with_pns_status_is_a_warning(opd):
    (row,) = check(csv_bytes([person(1, nip=nip(1, marker="21"))]))
    assert row.ok
    assert "looks like a PPPK number" in messages(row)


def test_duplicate_nip_and_email_in_the_file_are_errors_on_both_rows(opd):
    rows = check(
        csv_bytes([person(1), person(2, nip=nip(1)), person(3, email="impor1@example.com")])
    )
    assert "appears more than once in the file (rows 2, 3)" in messages(rows[0])
    assert "(rows 2, 4)" in messages(rows[0])
    assert not any(r.ok for r in rows)


def test_nip_of_another_persons_record_is_an_error(opd, make):
    make.asn_profile(nip=nip(1))
    (row,) = check(csv_bytes([person(1)]))
    assert "already has this NIP" in messages(row)


def test_existing_record_with_same_nip_and_email_is_an_update(opd, make):
    user = make.user(Role.ASN, agency=opd, email="impor1@example.com")
    profile = make.asn_profile(user, nip=nip(1))
    (row,) = check(csv_bytes([person(1, nama="Nama Baru")]))
    assert row.ok, messages(row)
    assert row.action == "update" and row.profile_id == profile.id


def test_email_of_a_record_with_another_nip_is_an_error(opd, make):
    user = make.user(Role.ASN, agency=opd, email="impor1@example.com")
    make.asn_profile(user, nip=nip(9))
    (row,) = check(csv_bytes([person(1)]))
    assert "another NIP" in messages(row)


def test_email_of_a_student_account_is_an_error(opd, make):
    make.user(Role.STUDENT, email="impor1@example.com")
    (row,) = check(csv_bytes([person(1)]))
    assert "university account" in messages(row)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [({"email": "not-an-address"}, "not a valid e-mail"),
     ({"email": ""}, "e-mail address is missing"),
     ({"nama": ""}, "name is missing"),
     ({"nama": "x" * 121}, "longer than 120"),
     ({"status": "honorer"}, "Unknown status"),
     ({"status": ""}, "Unknown status"),
     ({"golongan": "Z/q"}, "is not a golongan"),
     ({"status": "PPPK", "golongan": "III/a"}, "A PPPK has a golongan from I to XVII"),
     ({"golongan": "IX"}, "A PNS or CPNS has a golongan/ruang"),
     ({"opd": "Dinas Entah"}, "Unknown OPD"),
     ({"opd": ""}, "OPD is missing"),
     ({"jabatan": "Jabatan Entah"}, "has no position named"),
     ({"nip_atasan": "123"}, "not a NIP of 18 digits"),
     ({"nip_atasan": nip(1)}, "own supervisor"),
     ({"nip_atasan": nip(500)}, "No ASN has the supervisor's NIP")],
)  # fmt: skip
def test_row_errors(opd, changes, expected):
    (row,) = check(csv_bytes([person(1, **changes)]))
    assert not row.ok
    assert expected in messages(row)


@pytest.mark.parametrize(
    ("status", "golongan", "stored"),
    [("pns", "iii/b", "III/b"), ("CPNS", "II a", "II/a"), ("PPPK", "ix", "IX"),
     ("PPPK Paruh Waktu", "", None), ("pppk-paruh-waktu", "V", "V")],
)  # fmt: skip
def test_status_and_golongan_are_normalised(opd, status, golongan, stored):
    (row,) = check(csv_bytes([person(1, status=status, golongan=golongan)]))
    assert row.ok, messages(row)
    assert row.golongan == stored


def test_opd_by_full_name_and_position_case_insensitive(opd):
    (row,) = check(csv_bytes([person(1, opd="dinas roster uji", jabatan="pranata komputer")]))
    assert row.ok and row.agency_id == opd.id


def test_inactive_opd_and_position_are_errors(opd, make):
    make.position(agency=opd, name="Jabatan Lama", is_active=False)
    closed = make.agency(short_name="TUTUP", is_active=False)
    rows = check(csv_bytes([person(1, jabatan="Jabatan Lama"), person(2, opd="TUTUP")]))
    assert "no longer used" in messages(rows[0])
    assert f"{closed.short_name} is deactivated" in messages(rows[1])


def test_position_of_another_opd_is_an_error(opd, make):
    make.position(agency=make.agency(), name="Jabatan Lain")
    (row,) = check(csv_bytes([person(1, jabatan="Jabatan Lain")]))
    assert "has no position named" in messages(row)


def test_supervisor_in_the_file_or_in_the_portal_is_accepted(opd, make):
    boss = make.asn_profile(nip=nip(100))
    rows = check(
        csv_bytes([person(1), person(2, nip_atasan=nip(1)), person(3, nip_atasan=boss.nip)])
    )
    assert all(r.ok for r in rows), [messages(r) for r in rows]


def test_a_loop_of_supervisors_is_an_error(opd):
    rows = check(csv_bytes([person(1, nip_atasan=nip(2)), person(2, nip_atasan=nip(1))]))
    assert all("loops back" in messages(r) for r in rows)
