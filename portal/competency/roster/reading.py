"""Reading a roster file into raw rows: CSV (UTF-8, , or ;) and XLSX, checked by content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app

from portal import spreadsheets
from portal.competency.models import AsnStatus
from portal.errors import DomainError
from portal.forms import clean_line
from portal.i18n import _l
from portal.spreadsheets import NOT_A_SPREADSHEET, XLSX_MAGIC, Limits, SpreadsheetRefused

EXTENSIONS = ("xlsx", "csv")
FIELDS = ("nip", "full_name", "email", "status", "golongan", "position", "agency", "supervisor_nip")
REQUIRED = ("nip", "full_name", "email", "status", "agency")
#: The headers of the template (and of the error report, so a fixed report can be re-imported).
TEMPLATE_HEADERS = dict(
    zip(
        FIELDS,
        ("nip", "nama", "email", "status", "golongan", "jabatan", "opd", "nip_atasan"),
        strict=True,
    )
)
HEADER_ALIASES = {
    "nip": ("nip", "nip_baru", "ni_pppk", "nomor_induk_pegawai"),
    "full_name": ("nama", "nama_lengkap", "nama_pegawai", "full_name", "name"),
    "email": ("email", "e_mail", "surel", "alamat_email"),
    "status": ("status", "status_asn", "status_pegawai", "jenis_asn", "asn_status"),
    "golongan": ("golongan", "gol", "golongan_ruang", "gol_ruang", "grade", "rank"),
    "position": ("jabatan", "nama_jabatan", "position", "position_name"),
    "agency": ("opd", "perangkat_daerah", "unit_kerja", "instansi", "agency"),
    "supervisor_nip": ("nip_atasan", "atasan", "supervisor_nip", "supervisor"),
}
_HEADER_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
STATUS_ALIASES = {
    "pns": AsnStatus.PNS,
    "cpns": AsnStatus.CPNS,
    "pppk": AsnStatus.PPPK,
    "pppk_paruh_waktu": AsnStatus.PPPK_PARUH_WAKTU,
    "paruh_waktu": AsnStatus.PPPK_PARUH_WAKTU,
    "pppk_pw": AsnStatus.PPPK_PARUH_WAKTU,
    "pppk_part_time": AsnStatus.PPPK_PARUH_WAKTU,
}
MAX_COLUMNS = 40
TEMPLATE_TEXT_ROWS = 2000  # rows of the template whose NIP cells are formatted as text
MAX_CELL = 300
#: Empty rows a sheet may hold besides its data (the template's text-formatted rows are empty
#: until filled in); they cost as much to read as full ones, so they are counted.
EMPTY_ROWS = 2 * TEMPLATE_TEXT_ROWS
CELLS_PER_ROW = 8  # on average over the sheet's rows, empty cells included: the template's 8
UNPACKED_BYTES_PER_ROW = 1600  # about five times what a roster row takes in a workbook's XML
_SEPARATOR = re.compile(r"[\s\-./]+")


class RosterFileError(DomainError):
    """The file as a whole cannot be imported (not a spreadsheet, missing columns, too long)."""

    status = 400


@dataclass
class RawRow:
    number: int  # the row number the admin sees in the spreadsheet (the header is row 1)
    values: dict[str, str]
    nip_was_number: bool = False  # an 18-digit number in a spreadsheet has lost digits


@dataclass
class RosterRow:
    """One row with its checks; the resolved ids are what :func:`apply` writes."""

    number: int
    values: dict[str, str]
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    nip: str = ""
    email: str = ""
    full_name: str = ""
    status: AsnStatus | None = None
    golongan: str | None = None
    agency_id: int | None = None
    position_id: int | None = None
    supervisor_nip: str | None = None
    profile_id: int | None = None
    user_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action(self) -> str:
        return "update" if self.profile_id else "create"


def max_rows() -> int:
    return int(current_app.config.get("ROSTER_MAX_ROWS", 5000))


def limits() -> Limits:
    """What reading one roster file may cost, scaled to ``ROSTER_MAX_ROWS``: the rows (with the
    header and empty rows), their cells, and the workbook's XML elements and unpacked bytes. At
    the default 5,000 rows: 10,001 rows, 80,008 cells, 190,018 elements, 16 MB unpacked."""
    data_rows = max_rows()
    rows = data_rows + 1 + max(data_rows, EMPTY_ROWS)
    cells = rows * CELLS_PER_ROW
    return Limits(
        rows=rows,
        columns=MAX_COLUMNS,
        cells=cells,
        # a cell is two or three elements (<c><v>, <c><is><t>, a shared <si><t>); plus the rows
        # and room for styles and the workbook's other parts
        elements=2 * cells + 2 * rows + 10_000,
        unpacked_bytes=rows * UNPACKED_BYTES_PER_ROW,
    )


# --- reading ----------------------------------------------------------------------------------------


def sniff(data: bytes, ext: str) -> None:
    """Refuse content that does not match the extension (checked by magic bytes, not by name)."""
    if ext not in EXTENSIONS:
        raise RosterFileError(_l("Upload an .xlsx or a .csv file."))
    if not data:
        raise RosterFileError(_l("The file is empty."))
    if ext == "xlsx" and not data.startswith(XLSX_MAGIC):
        raise RosterFileError(NOT_A_SPREADSHEET)
    if ext == "csv":
        _csv_text(data)


def _csv_text(data: bytes) -> str:
    if b"\x00" in data:
        raise RosterFileError(NOT_A_SPREADSHEET)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(
            _l("This CSV file is not UTF-8 text. Save it again as “CSV UTF-8”.")
        ) from None
    if text.lstrip().startswith("<"):
        raise RosterFileError(_l("This file is a web page or XML, not a CSV file."))
    return text


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=first.count)


def _table(data: bytes, ext: str, limit: int) -> list:
    """The rows that hold text, as ``(row number, cells)``: the header, ``limit`` data rows and
    one more (which tells that there are too many), read within :func:`limits`."""
    bounds, wanted = limits(), limit + 2
    if ext == "xlsx":
        return spreadsheets.workbook_rows(data, bounds, stop_after=wanted, keep=_has_text)
    text = _csv_text(data)
    return spreadsheets.csv_rows(
        text, bounds, delimiter=_delimiter(text), stop_after=wanted, keep=_has_text
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return clean_line(str(value))[:MAX_CELL]


def _has_text(cells) -> bool:
    return any(_text(c) for c in cells)


def header_key(text: str) -> str:
    return _SEPARATOR.sub("_", text.strip().lower()).strip("_")


def _columns(cells) -> dict[int, str]:
    columns, seen = {}, {}
    for index, cell in enumerate(cells):
        name = _HEADER_FIELD.get(header_key(_text(cell)))
        if name is None:
            continue
        if name in seen:
            raise RosterFileError(
                _l(
                    "Two columns hold the same thing: “%(a)s” and “%(b)s”.",
                    a=seen[name],
                    b=_text(cell),
                )
            )
        seen[name] = _text(cell)
        columns[index] = name
    missing = [TEMPLATE_HEADERS[name] for name in REQUIRED if name not in seen]
    if missing:
        raise RosterFileError(
            _l(
                "The first row must name the columns; missing: %(missing)s. Download the template "
                "to see the expected headers.",
                missing=", ".join(missing),
            )
        )
    return columns


def parse(data: bytes, ext: str) -> list[RawRow]:
    """Read the first sheet (XLSX) or the text (CSV, UTF-8 with or without BOM, ``,`` or ``;``).

    The first non-empty row names the columns (Indonesian or English); empty rows are skipped.
    Refuses files that are not what their extension says, lack a required column, hold more
    than ``ROSTER_MAX_ROWS`` rows, or would cost more to read than :func:`limits` allows.
    """
    sniff(data, ext)
    columns, rows, limit = None, [], max_rows()
    try:
        for number, cells in _table(data, ext, limit):
            if columns is None:
                columns = _columns(cells)
                continue
            if len(rows) >= limit:
                raise RosterFileError(
                    _l(
                        "The file has more than %(max)d rows: split it into smaller files.",
                        max=limit,
                    )
                )
            values = dict.fromkeys(FIELDS, "")
            nip_was_number = False
            for index, name in columns.items():
                cell = cells[index] if index < len(cells) else None
                values[name] = _text(cell)
                if name == "nip" and isinstance(cell, float) and abs(cell) >= 1e15:
                    nip_was_number = True
            rows.append(RawRow(number, values, nip_was_number))
    except SpreadsheetRefused as exc:
        raise RosterFileError(exc.message) from None
    except RosterFileError:
        raise
    except Exception:  # a damaged workbook or CSV fails in many ways; each means "cannot read"
        current_app.logger.info("roster file could not be read", exc_info=True)
        raise RosterFileError(NOT_A_SPREADSHEET) from None
    if columns is None or not rows:
        raise RosterFileError(_l("The file has no rows to import."))
    return rows
