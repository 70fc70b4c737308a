"""The XLSX downloads: the row errors and the empty template."""

from __future__ import annotations

import io

import openpyxl

from portal.competency.roster.reading import (
    FIELDS,
    TEMPLATE_HEADERS,
    TEMPLATE_TEXT_ROWS,
    RosterRow,
)
from portal.i18n import _

# --- workbooks for download -------------------------------------------------------------------------


def _sheet_row(sheet, values) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text stays text: a cell starting with "=" is not a formula


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def errors_workbook(rows: list[RosterRow]) -> bytes:
    """The rows with errors: row number, the row's values and the messages. The value columns
    carry the template's headers, so the corrected file can be uploaded again as it is."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Errors")[:31]
    _sheet_row(sheet, [_("Row"), *TEMPLATE_HEADERS.values(), _("Errors"), _("Warnings")])
    for row in rows:
        if row.errors:
            _sheet_row(
                sheet,
                [
                    row.number,
                    *(row.values.get(name, "") for name in FIELDS),
                    " ".join(str(m) for m in row.errors),
                    " ".join(str(m) for m in row.warnings),
                ],
            )
    return _save(workbook)


def template_workbook() -> bytes:
    """An empty roster with the expected headers, one fictional example row and instructions."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ASN"
    _sheet_row(sheet, TEMPLATE_HEADERS.values())
    _sheet_row(
        sheet,
        [
            "198609262015051001",
            "Contoh Nama Pegawai",
            "contoh.pegawai@example.com",
            "PNS",
            "III/a",
            "Pranata Komputer",
            "Diskominfo",
            "",
        ],
    )
    for column in ("A", "H"):  # NIP columns as text: an 18-digit number would lose digits
        for number in range(2, TEMPLATE_TEXT_ROWS + 2):
            sheet[f"{column}{number}"].number_format = "@"
        sheet.column_dimensions[column].width = 22
    notes = workbook.create_sheet(_("Instructions")[:31])
    _sheet_row(notes, [_("Column"), _("Required"), _("What to write")])
    yes, no = _("yes"), _("no")
    for header, required, text in (
        ("nip", yes, _("18 digits, as text (spaces between the groups are allowed).")),
        ("nama", yes, _("Full name, at most 120 characters.")),
        ("email", yes, _("E-mail address; an existing account with it is updated.")),
        ("status", yes, _("PNS, CPNS, PPPK or PPPK paruh waktu.")),
        ("golongan", no, _("PNS/CPNS: I/a … IV/e; PPPK: I … XVII.")),
        ("jabatan", no, _("The name of a position of the OPD, as in the portal.")),
        ("opd", yes, _("The short name or the full name of the OPD, as in the portal.")),
        ("nip_atasan", no, _("The supervisor's NIP: in this file or already in the portal.")),
    ):
        _sheet_row(notes, [header, required, text])
    _sheet_row(notes, [])
    _sheet_row(notes, [_("Replace the example row with your data. Empty cells clear the field.")])
    return _save(workbook)
