"""Reading a roster file into raw rows: CSV (UTF-8, , or ;) and XLSX, checked by content."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
from flask import current_app

from portal.competency.models import AsnStatus
from portal.errors import DomainError
from portal.forms import clean_line
from portal.i18n import _l

EXTENSIONS = ("xlsx", "csv")
FIELDS = ("nip", "full_name", "email", "status", "golongan", "position", "agency", "supervisor_nip")
REQUIRED = ("nip", "full_name", "email", "status", "agency")
#: The headers of the template (and of the error report, so a fixed report can be re-imported).
TEMPLATE_HEADERS = dict(zip(FIELDS, ("nip", "nama", "email", "status", "golongan", "jabatan",
                                     "opd", "nip_atasan"), strict=True))  # fmt: skip
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
    "pns": AsnStatus.PNS, "cpns": AsnStatus.CPNS, "pppk": AsnStatus.PPPK,
    "pppk_paruh_waktu": AsnStatus.PPPK_PARUH_WAKTU, "paruh_waktu": AsnStatus.PPPK_PARUH_WAKTU,
    "pppk_pw": AsnStatus.PPPK_PARUH_WAKTU, "pppk_part_time": AsnStatus.PPPK_PARUH_WAKTU,
}  # fmt: skip
MAX_COLUMNS = 40
TEMPLATE_TEXT_ROWS = 2000  # rows of the template whose NIP cells are formatted as text
MAX_CELL = 300
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024  # a zip bomb stops here, before openpyxl inflates it
XLSX_MAGIC = b"PK\x03\x04"
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


# --- reading ----------------------------------------------------------------------------------------

NOT_A_SPREADSHEET = _l("This file is not an Excel workbook (.xlsx) or a CSV file that can be read.")


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


def _csv_table(data: bytes):
    text = _csv_text(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    yield from enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)


def _xlsx_table(data: bytes, limit: int) -> list:
    """The first sheet's rows, read eagerly (at most ``limit`` non-empty ones)."""
    if not data.startswith(XLSX_MAGIC):
        raise RosterFileError(NOT_A_SPREADSHEET)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise RosterFileError(NOT_A_SPREADSHEET) from None
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise RosterFileError(NOT_A_SPREADSHEET)
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise RosterFileError(_l("This workbook is too large once unpacked."))
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, cells in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
            ):
                if any(c is not None and c != "" for c in cells):
                    rows.append((number, cells))
                    if len(rows) > limit:
                        break
        finally:
            workbook.close()
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return clean_line(str(value))[:MAX_CELL]


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
                _l("Two columns hold the same thing: “%(a)s” and “%(b)s”.",
                   a=seen[name], b=_text(cell))
            )  # fmt: skip
        seen[name] = _text(cell)
        columns[index] = name
    missing = [TEMPLATE_HEADERS[name] for name in REQUIRED if name not in seen]
    if missing:
        raise RosterFileError(
            _l("The first row must name the columns; missing: %(missing)s. Download the template "
               "to see the expected headers.", missing=", ".join(missing))
        )  # fmt: skip
    return columns


def parse(data: bytes, ext: str) -> list[RawRow]:
    """Read the first sheet (XLSX) or the text (CSV, UTF-8 with or without BOM, ``,`` or ``;``).

    The first non-empty row names the columns (Indonesian or English); empty rows are skipped.
    Refuses files that are not what their extension says, lack a required column, or hold more
    than ``ROSTER_MAX_ROWS`` rows.
    """
    sniff(data, ext)
    columns, rows, limit = None, [], max_rows()
    try:
        table = _xlsx_table(data, limit + 1) if ext == "xlsx" else _csv_table(data)
        for number, cells in table:
            if not any(_text(c) for c in cells):
                continue
            if columns is None:
                columns = _columns(cells)
                continue
            if len(rows) >= limit:
                raise RosterFileError(
                    _l("The file has more than %(max)d rows: split it into smaller files.",
                       max=limit)
                )  # fmt: skip
            values = dict.fromkeys(FIELDS, "")
            nip_was_number = False
            for index, name in columns.items():
                cell = cells[index] if index < len(cells) else None
                values[name] = _text(cell)
                if name == "nip" and isinstance(cell, float) and abs(cell) >= 1e15:
                    nip_was_number = True
            rows.append(RawRow(number, values, nip_was_number))
    except RosterFileError:
        raise
    except Exception:  # a damaged workbook or CSV fails in many ways; each means "cannot read"
        current_app.logger.info("roster file could not be read", exc_info=True)
        raise RosterFileError(NOT_A_SPREADSHEET) from None
    if columns is None or not rows:
        raise RosterFileError(_l("The file has no rows to import."))
    return rows
