"""A SIASN-ready export of verified ledger records (DOMAIN.md §2.5, BKN "riwayat kursus").

Columns carry SIASN's own field names so a later sync (or a BKPSDM operator typing into SIASN)
maps them one to one. ``jenisKursusId``/``jenisDiklatId`` are BKN reference codes the portal
does not hold; the portal's form key and its title are given instead. Dates are dd-mm-yyyy
text, the format the SIASN API uses.
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy.orm import joinedload

from portal.competency.models import AsnProfile
from portal.db import db
from portal.exports import _safe
from portal.trainings.ledger.models import EntryState, LedgerEntry

SIASN_COLUMNS = (
    "nipBaru",
    "nama",
    "jenisKursus",
    "jenisKursusNama",
    "namaKursus",
    "institusiPenyelenggara",
    "jumlahJam",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "noSertipikat",
)


def _date(value) -> str:
    return value.strftime("%d-%m-%Y")


def _hours(jp: float):
    return int(jp) if float(jp).is_integer() else round(float(jp), 1)


def siasn_rows(year: int | None = None, *, agency_id: int | None = None) -> list[tuple]:
    """One row per *verified* ledger entry (optionally of one year and one OPD), in
    ``SIASN_COLUMNS`` order, by NIP then date. One query."""
    stmt = (
        sa.select(LedgerEntry)
        .join(AsnProfile, AsnProfile.id == LedgerEntry.asn_id)
        .where(LedgerEntry.state == EntryState.VERIFIED)
        .options(joinedload(LedgerEntry.asn).joinedload(AsnProfile.user))
        .order_by(AsnProfile.nip, LedgerEntry.started_on, LedgerEntry.id)
    )
    if year is not None:
        stmt = stmt.where(LedgerEntry.year == year)
    if agency_id is not None:
        stmt = stmt.where(AsnProfile.agency_id == agency_id)
    entries = db.session.scalars(stmt).unique()
    # SIASN is Indonesian whatever the reader's language (and a CLI export has no request).
    with force_locale("id"):
        return [
            (
                e.asn.nip,
                e.asn.user.full_name,
                e.form,
                str(e.form_title),
                e.title,
                e.organiser,
                _hours(e.jp),
                e.ended_on.year,
                _date(e.started_on),
                _date(e.ended_on),
                e.certificate_number or "",
            )
            for e in entries
        ]


def siasn_workbook(rows: list[tuple]) -> bytes:
    """The XLSX file: one sheet "riwayat_kursus", SIASN headers, formula-safe text cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="riwayat_kursus")
    sheet.append(list(SIASN_COLUMNS))
    for row in rows:
        sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
