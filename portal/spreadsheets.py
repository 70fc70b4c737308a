"""Reading uploaded spreadsheets (XLSX and CSV) with the work bounded, not only the bytes.

An XLSX file is a zip of XML parts: 90 KB can unpack into 60 MB of empty rows, and openpyxl
spends about as long on an empty row or cell as on a full one. It also parses, when it opens a
workbook, the shared strings, the styles and every sheet up to its ``<dimension>`` (the whole
sheet when there is none). So before openpyxl sees a workbook, :func:`check_workbook` reads the
zip's directory (how many parts, how they are compressed, their size once unpacked), then streams
every part once and counts its rows, cells and XML elements with byte searches, refusing as soon
as one count passes its limit: whatever a file holds, the work spent on it is bounded by the
limits, and a file far over them is refused within milliseconds. The parts that hold no data
(styles, defined names …) have a lower limit of their own: openpyxl spends ten times longer on
a font or a name than on a cell (``scripts/bench_spreadsheet_bounds.py`` measures the files that
cost the most within the limits).

:func:`workbook_rows` then reads the first sheet in openpyxl's read-only mode, at most
``columns`` columns and ``rows`` rows, gaps between rows included. :func:`csv_rows` bounds a CSV
text the same way. Every refusal is a :class:`SpreadsheetRefused` with a translated message.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import struct
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import openpyxl

from portal.errors import DomainError
from portal.i18n import _l

log = logging.getLogger("portal.spreadsheets")

XLSX_MAGIC = b"PK\x03\x04"
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")  # the zip's end-of-central-directory record
#: A tag with any namespace prefix (``<row …>``, ``<x:row/>``, ``<c …>``); not ``<rowBreaks>``.
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")
_CHUNK = 1 << 16  # small: a count passes its limit within a few ms of unpacking
_CARRY = 256  # a tag cut by the end of a chunk is counted in the next one

NOT_A_SPREADSHEET = _l("This file is not an Excel workbook (.xlsx) or a CSV file that can be read.")
TOO_LARGE_UNPACKED = _l("This workbook is too large once unpacked.")


class SpreadsheetRefused(DomainError):
    """The file cannot be read within the limits, or cannot be read at all."""

    status = 400
    default_message = NOT_A_SPREADSHEET


@dataclass(frozen=True)
class Limits:
    """How much of a spreadsheet may be read. Rows and cells count empty ones too (they cost the
    same to read) and, in a workbook, those of every sheet (openpyxl reads all of them)."""

    rows: int
    columns: int  # read from each row (the cells to the right are ignored)
    cells: int
    elements: int  # XML start tags in all the workbook's parts: styles, strings, sheets …
    unpacked_bytes: int
    #: XML start tags in the parts that hold no data (styles, workbook and its defined names,
    #: theme …): openpyxl spends ten times longer on a font or a name than on a cell, and a real
    #: workbook has a few thousand of them at most
    other_elements: int = 20_000
    parts: int = 500
    directory_bytes: int = 256 * 1024


def _too_many_rows(limits: Limits):
    return _l(
        "The workbook has more than %(max)d rows, counting empty rows and those of every sheet. "
        "Keep only the data, in the first sheet, and delete the empty rows below it.",
        max=limits.rows,
    )


def _too_many_cells(limits: Limits):
    return _l(
        "The workbook has more than %(max)d cells, counting empty cells. Keep only the columns "
        "and rows to import, or copy them into a new workbook.",
        max=limits.cells,
    )


def _too_many_lines(limits: Limits):
    return _l(
        "The file has more than %(max)d lines, counting empty lines. Delete the empty lines "
        "below the data.",
        max=limits.rows,
    )


def _too_many_fields(limits: Limits):
    return _l(
        "The file has more than %(max)d cells. Keep only the columns and rows to import.",
        max=limits.cells,
    )


TOO_COMPLEX = _l(
    "This workbook is too complex to read (too many styles, formats or other parts). Copy the "
    "data into a new workbook and upload that one."
)


# --- the zip directory ----------------------------------------------------------------------------


def _check_directory(data: bytes, limits: Limits) -> None:
    """Refuse from the end record alone a directory too big to list: ``zipfile`` would spend
    seconds on the 200,000 empty entries a 10 MB file can hold before anything else is known."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - _END_RECORD.size - 0xFFFF))
    if at < 0 or len(data) - at < _END_RECORD.size:
        raise SpreadsheetRefused(NOT_A_SPREADSHEET)
    record = _END_RECORD.unpack_from(data, at)
    entries, directory_size = record[4], record[5]
    if entries > limits.parts or directory_size > limits.directory_bytes:
        raise SpreadsheetRefused(TOO_COMPLEX)  # ZIP64 (0xFFFF entries) included: no roster needs it


def _open(data: bytes, limits: Limits) -> zipfile.ZipFile:
    if not data.startswith(XLSX_MAGIC):
        raise SpreadsheetRefused(NOT_A_SPREADSHEET)
    _check_directory(data, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # a damaged zip fails in many ways; each means "cannot read"
        raise SpreadsheetRefused(NOT_A_SPREADSHEET) from None
    names = {m.filename for m in members}
    if (
        "[Content_Types].xml" not in names
        or "xl/workbook.xml" not in names
        or any(m.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for m in members)
        or any(m.flag_bits & 1 for m in members)  # encrypted parts
    ):
        raise SpreadsheetRefused(NOT_A_SPREADSHEET)  # bzip2/lzma: slow to unpack, never in .xlsx
    if len(members) > limits.parts:
        raise SpreadsheetRefused(TOO_COMPLEX)
    # zipfile stops a part at its declared size (and fails its CRC check), so this bounds the
    # bytes any later step can unpack
    if sum(m.file_size for m in members) > limits.unpacked_bytes:
        raise SpreadsheetRefused(TOO_LARGE_UNPACKED)
    return archive


# --- counting what the parts hold -----------------------------------------------------------------


#: The parts that hold the data: sheets and their shared strings. (A sheet stored under another
#: name is counted with the other parts, whose limit is lower.)
_DATA_PART = re.compile(r"xl/(worksheets/sheet\d+|sharedStrings)\.xml")


class _Tally:
    """Rows, cells and start tags seen so far, in all parts; refuses past a limit."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = self.cells = self.elements = self.other_elements = 0
        self.in_data_part = True

    def feed(self, text: bytes) -> None:
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:  # entity expansion: no workbook has a DTD
            raise SpreadsheetRefused(NOT_A_SPREADSHEET)
        elements = text.count(b"<") - text.count(b"</") - text.count(b"<?") - text.count(b"<!")
        self.elements += elements
        if not self.in_data_part:
            self.other_elements += elements
            if self.other_elements > self.limits.other_elements:
                raise SpreadsheetRefused(TOO_COMPLEX)
        self.rows += len(_ROW.findall(text))
        self.cells += len(_CELL.findall(text))
        if self.rows > self.limits.rows:
            raise SpreadsheetRefused(_too_many_rows(self.limits))
        if self.cells > self.limits.cells:
            raise SpreadsheetRefused(_too_many_cells(self.limits))
        if self.elements > self.limits.elements:
            raise SpreadsheetRefused(TOO_COMPLEX)

    def part(self, stream, name: str) -> None:
        self.in_data_part = bool(_DATA_PART.fullmatch(name))
        carry = b""
        while chunk := stream.read(_CHUNK):
            text = carry + chunk
            cut = text.rfind(b"<")
            if cut >= 0 and len(text) - cut <= _CARRY:
                text, carry = text[:cut], text[cut:]
            else:
                carry = b""
            self.feed(text)
        self.feed(carry)


def check_workbook(data: bytes, limits: Limits) -> None:
    """Refuse an XLSX file that is not a readable workbook, or whose directory, unpacked size,
    rows, cells or XML elements pass ``limits``. Reads each part once, as a stream, and stops at
    the first limit passed; no XML is parsed."""
    archive = _open(data, limits)
    tally = _Tally(limits)
    try:
        with archive:
            for member in archive.infolist():
                with archive.open(member) as stream:
                    tally.part(stream, member.filename)
    except SpreadsheetRefused:
        raise
    except Exception:  # a bad CRC, a truncated or corrupt stream
        raise SpreadsheetRefused(NOT_A_SPREADSHEET) from None


# --- reading rows ---------------------------------------------------------------------------------


RowTest = Callable[[Sequence], bool]


def has_value(cells: Sequence) -> bool:
    """Whether a row holds anything: a row without is skipped (but counted in the limits)."""
    return any(c is not None and c != "" for c in cells)


def workbook_rows(
    data: bytes, limits: Limits, *, stop_after: int, keep: RowTest = has_value
) -> list[tuple[int, tuple]]:
    """The first sheet's rows that ``keep`` accepts, as ``(row number, values)``: at most
    ``stop_after`` of them and ``limits.columns`` values each, after :func:`check_workbook`.
    Refuses a sheet whose rows (empty ones and gaps between row numbers included) pass
    ``limits.rows``."""
    check_workbook(data, limits)
    try:
        return _first_sheet_rows(data, limits, stop_after, keep)
    except SpreadsheetRefused:
        raise
    except Exception:  # openpyxl fails in many ways on a damaged workbook; each: "cannot read"
        log.info("a workbook could not be read", exc_info=True)
        raise SpreadsheetRefused(NOT_A_SPREADSHEET) from None


def _first_sheet_rows(data: bytes, limits: Limits, stop_after: int, keep: RowTest) -> list:
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        try:
            if not workbook.worksheets:
                raise SpreadsheetRefused(NOT_A_SPREADSHEET)
            # max_row overrides the sheet's declared <dimension> (which may say A1:XFD1048576,
            # or be too small); one row more than the limit tells that the limit was passed
            cells_by_row = workbook.worksheets[0].iter_rows(
                max_row=limits.rows + 1, max_col=limits.columns, values_only=True
            )
            for number, cells in enumerate(cells_by_row, start=1):
                if number > limits.rows:
                    raise SpreadsheetRefused(_too_many_rows(limits))
                if keep(cells):
                    rows.append((number, cells))
                    if len(rows) >= stop_after:
                        break
        finally:
            workbook.close()
    return rows


def csv_rows(
    text: str, limits: Limits, *, delimiter: str, stop_after: int, keep: RowTest = has_value
) -> list[tuple[int, list[str]]]:
    """The rows of a CSV text that ``keep`` accepts, as ``(row number, values)``: at most
    ``stop_after`` of them and ``limits.columns`` values each. Refuses a text whose cells
    (counted by delimiters, before parsing) or rows (empty ones included) pass ``limits``."""
    if text.count(delimiter) > limits.cells:
        raise SpreadsheetRefused(_too_many_fields(limits))
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader):
            if number >= limits.rows:
                raise SpreadsheetRefused(_too_many_lines(limits))
            cells = row[: limits.columns]
            if keep(cells):
                rows.append((number + 1, cells))
                if len(rows) >= stop_after:
                    break
    except csv.Error:  # a field over csv.field_size_limit() (128 KB), a stray quote at the end
        raise SpreadsheetRefused(NOT_A_SPREADSHEET) from None
    return rows
