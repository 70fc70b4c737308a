"""Roster files built to cost work rather than bytes, as an attacker would build them (issue 15,
point 2), for tests/competency/test_roster_bounds.py and scripts/bench_spreadsheet_bounds.py:
small XLSX files that unpack into millions of empty rows or cells, rows far below the others,
shared strings or styles by the hundred thousand, damaged or foreign zips, CSV files of empty
lines or of one endless row. Every file fits under the upload limit (10 MB). ``HOSTILE`` names
each with how to build it, its file name and what its refusal says (at the default limits)."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl

from tests.competency.roster_support import HEADERS_ID, csv_bytes, person, xlsx_bytes

MAIN = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
TOO_LARGE = "too large once unpacked"
NOT_A_WORKBOOK = "not an Excel workbook (.xlsx) or a CSV file"
TOO_COMPLEX = "too complex to read"
# at the default limits
ROWS = "The workbook has more than 10001 rows, counting empty rows and those of every sheet."
CELLS = "The workbook has more than 80008 cells, counting empty cells."
LINES = "The file has more than 10001 lines, counting empty lines."
FIELDS = "The file has more than 80008 cells."


def _header_row() -> bytes:
    cells = b"".join(
        b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (column.encode(), name.encode())
        for column, name in zip("ABCDEFGH", HEADERS_ID, strict=True)
    )
    return b'<row r="1">' + cells + b"</row>"


def sheet(rows: bytes = b"", *, dimension: bytes | None = b"A1:H1") -> bytes:
    """A worksheet's XML: the roster's header row, then ``rows`` as they are."""
    head = b'<dimension ref="%s"/>' % dimension if dimension else b""
    return b"<worksheet %s>%s<sheetData>%s%s</sheetData></worksheet>" % (
        MAIN,
        head,
        _header_row(),
        rows,
    )


def rezip(data: bytes, parts=None, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """``data`` with ``parts`` (name: body) replaced or added, compressed as an attacker would."""
    parts = dict(parts or {})
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    level = 9 if compression == zipfile.ZIP_DEFLATED else None
    with zipfile.ZipFile(out, "w", compression, compresslevel=level) as archive:
        for info in source.infolist():
            body = parts.pop(info.filename) if info.filename in parts else source.read(info)
            archive.writestr(info.filename, body)
        for name, body in parts.items():
            archive.writestr(name, body)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(name)


def with_sheet(body: bytes) -> bytes:
    return rezip(xlsx_bytes([]), {"xl/worksheets/sheet1.xml": body})


def person_cells(row: int) -> bytes:
    return b"".join(
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (column.encode(), row, value.encode())
        for column, value in zip("ABCDEFGH", person(row), strict=True)
        if value
    )


def with_shared_strings(count: int) -> bytes:
    data = xlsx_bytes([])
    types = part(data, "[Content_Types].xml").replace(
        b"</Types>", SHARED_STRINGS_TYPE + b"</Types>"
    )
    strings = b"<sst %s>%s</sst>" % (MAIN, b"<si><t/></si>" * count)
    return rezip(data, {"[Content_Types].xml": types, "xl/sharedStrings.xml": strings})


def with_fonts(count: int) -> bytes:
    data = xlsx_bytes([])
    fonts = b'<fonts count="%d"><font><sz val="11"/></font>%s</fonts>' % (
        count + 1,
        b"<font/>" * count,
    )
    styles = re.sub(rb"<fonts\b.*?</fonts>", fonts, part(data, "xl/styles.xml"), flags=re.S)
    return rezip(data, {"xl/styles.xml": styles})


def with_second_sheet(body: bytes) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS_ID)
    workbook.create_sheet("Lain")
    out = io.BytesIO()
    workbook.save(out)
    return rezip(out.getvalue(), {"xl/worksheets/sheet2.xml": body})


def with_many_parts(count: int) -> bytes:
    return rezip(xlsx_bytes([]), {f"xl/media/empty{n}.bin": b"" for n in range(count)})


def damaged_crc() -> bytes:
    stored = rezip(xlsx_bytes([]), compression=zipfile.ZIP_STORED)
    return stored.replace(b"<t>nip_atasan</t>", b"<t>nip_atasaN</t>", 1)


def with_entities() -> bytes:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>&b;</t></is></c></row>'
    return with_sheet(b'<?xml version="1.0"?>' + doctype + sheet(row))


def with_defined_names(count: int) -> bytes:
    data = xlsx_bytes([])
    names = b"".join(b'<definedName name="n%d">Sheet!$A$1</definedName>' % n for n in range(count))
    workbook = part(data, "xl/workbook.xml").replace(
        b"<definedNames />", b"<definedNames>" + names + b"</definedNames>"
    )
    return rezip(data, {"xl/workbook.xml": workbook})


def csv_of_empty_lines() -> bytes:
    return csv_bytes([]) + b"\n" * 9_000_000


def csv_of_one_wide_row() -> bytes:
    return csv_bytes([]) + b"," * 9_000_000 + b"x\n"


#: name: (how to build it, file name, what the refusal says)
HOSTILE = {
    # issue 15: 90 KB that unpacks into 60 MB of empty rows
    "sixty_megabytes_of_empty_rows": (
        lambda: with_sheet(sheet(b"<row/>" * 10_000_000, dimension=b"A1:XFD1048576")),
        "roster.xlsx", TOO_LARGE,
    ),
    "a_million_empty_rows": (
        lambda: with_sheet(sheet(b"<row/>" * 1_000_000, dimension=b"A1:XFD1048576")),
        "roster.xlsx", ROWS,
    ),
    "half_a_million_numbered_empty_rows_and_no_dimension": (
        lambda: with_sheet(sheet(
            b"".join(b'<row r="%d"/>' % n for n in range(2, 500_002)), dimension=None
        )),
        "roster.xlsx", ROWS,
    ),
    "rows_of_empty_cells": (
        lambda: with_sheet(sheet(
            (b"<row>" + b"<c/>" * 16_384 + b"</row>") * 40, dimension=b"A1:XFD41"
        )),
        "roster.xlsx", CELLS,
    ),
    "one_row_far_below": (
        lambda: with_sheet(sheet(
            b'<row r="1048576">' + person_cells(1_048_576) + b"</row>", dimension=b"A1:H1048576"
        )),
        "roster.xlsx", ROWS,
    ),
    "empty_rows_in_a_second_sheet_without_dimension": (
        lambda: with_second_sheet(b"<worksheet %s><sheetData>%s</sheetData></worksheet>" % (
            MAIN, b"<row/>" * 2_000_000)),
        "roster.xlsx", ROWS,
    ),
    "a_million_shared_strings": (
        lambda: with_shared_strings(1_000_000), "roster.xlsx", TOO_COMPLEX,
    ),
    "two_hundred_thousand_fonts": (lambda: with_fonts(200_000), "roster.xlsx", TOO_COMPLEX),
    "fonts_just_under_the_cell_limits": (lambda: with_fonts(188_000), "roster.xlsx", TOO_COMPLEX),
    "defined_names_just_under_the_cell_limits": (
        lambda: with_defined_names(188_000), "roster.xlsx", TOO_COMPLEX,
    ),
    "two_thousand_parts": (lambda: with_many_parts(2_000), "roster.xlsx", TOO_COMPLEX),
    "entities": (with_entities, "roster.xlsx", NOT_A_WORKBOOK),
    "damaged_crc": (damaged_crc, "roster.xlsx", NOT_A_WORKBOOK),
    "truncated": (lambda: xlsx_bytes([person(1)])[:-200], "roster.xlsx", NOT_A_WORKBOOK),
    "bzip2_parts": (
        lambda: rezip(xlsx_bytes([person(1)]), compression=zipfile.ZIP_BZIP2),
        "roster.xlsx", NOT_A_WORKBOOK,
    ),
    "csv_of_empty_lines": (csv_of_empty_lines, "roster.csv", LINES),
    "csv_of_one_wide_row": (csv_of_one_wide_row, "roster.csv", FIELDS),
}  # fmt: skip

#: Files that every limit lets through but that cost the most to read, for the benchmark: the
#: largest roster accepted, and parts openpyxl spends the longest on per XML element (fonts,
#: defined names), just under the 20,000 elements allowed outside the sheets.
WITHIN_LIMITS = {
    "largest_roster_accepted_5000_rows": (
        lambda: xlsx_bytes([person(n) for n in range(5000)]), "roster.xlsx", None,
    ),
    "fonts_just_under_the_limits": (lambda: with_fonts(19_000), "roster.xlsx", None),
    "defined_names_just_under_the_limits": (
        lambda: with_defined_names(19_000), "roster.xlsx", None,
    ),
}  # fmt: skip
