"""ASN roster import, reading the file: CSV with either delimiter and a BOM, XLSX with NIPs as
text, empty rows, missing columns, too many rows, and files that are not spreadsheets."""

from __future__ import annotations

import pytest

from portal.competency import roster
from tests.competency import roster_support
from tests.competency.roster_support import (
    HEADERS_EN,
    HTML,
    PNG,
    check,
    csv_bytes,
    messages,
    nip,
    person,
    xlsx_bytes,
    zip_bytes,
)

# The shared fixtures (roster_support.py).
english_messages = roster_support.english_messages
opd = roster_support.opd


def test_csv_with_semicolons_and_bom_is_read(opd):
    data = csv_bytes([person(1), person(2, status="CPNS")], delimiter=";", bom=True)
    raw = roster.parse(data, "csv")
    assert [r.number for r in raw] == [2, 3]
    assert raw[0].values["nip"] == nip(1)
    assert raw[0].values["full_name"] == "Pegawai Impor 1"
    assert raw[1].values["status"] == "CPNS"
    assert raw[0].values["agency"] == "RST"


def test_csv_with_commas_and_english_headers_is_read(opd):
    rows = check(csv_bytes([person(1)], headers=HEADERS_EN))
    assert rows[0].ok, messages(rows[0])
    assert rows[0].email == "impor1@example.com"


def test_xlsx_is_read_with_nip_as_text(opd):
    rows = check(xlsx_bytes([person(1), person(2, nip=nip(2)[:8] + " " + nip(2)[8:])]), "xlsx")
    assert [r.ok for r in rows] == [True, True], [messages(r) for r in rows]
    assert rows[1].nip == nip(2)


@pytest.mark.parametrize("as_number", [int, float])
def test_xlsx_nip_that_lost_digits_as_a_number_is_an_error(opd, as_number):
    # a spreadsheet keeps 15 significant digits: an 18-digit NIP typed as a number is damaged
    (row,) = check(xlsx_bytes([person(1, nip=as_number(nip(1)))]), "xlsx")
    assert "format the NIP column as text" in messages(row)


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(opd):
    data = xlsx_bytes([person(1), [None] * 8, person(2)])
    assert [r.number for r in roster.parse(data, "xlsx")] == [2, 4]


def test_missing_required_columns_are_named(opd):
    data = csv_bytes([["x", "y"]], headers=["nip", "nama"])
    with pytest.raises(roster.RosterFileError) as exc:
        roster.parse(data, "csv")
    assert "email, status, opd" in str(exc.value.message)


def test_a_file_with_only_headers_is_refused(opd):
    with pytest.raises(roster.RosterFileError):
        roster.parse(csv_bytes([]), "csv")


def test_too_many_rows_are_refused(app, opd, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_MAX_ROWS", 3)
    with pytest.raises(roster.RosterFileError) as exc:
        roster.parse(csv_bytes([person(n) for n in range(4)]), "csv")
    assert "more than 3 rows" in str(exc.value.message)


@pytest.mark.parametrize(
    ("data", "ext"),
    [(PNG, "xlsx"), (PNG, "csv"), (HTML, "xlsx"), (HTML, "csv"), (b"", "csv"),
     (zip_bytes(), "xlsx"), (zip_bytes(), "csv"), (b"PK\x03\x04garbage", "xlsx"),
     ("nip;nama\n".encode("utf-16"), "csv"), (b"nip,nama", "txt")],
    ids=["png-xlsx", "png-csv", "html-xlsx", "html-csv", "empty", "zip-xlsx", "zip-csv",
         "broken-zip", "utf16-csv", "txt"],
)  # fmt: skip
def test_files_that_are_not_spreadsheets_are_refused(data, ext):
    with pytest.raises(roster.RosterFileError):
        roster.parse(data, ext)
