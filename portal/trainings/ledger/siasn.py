"""A SIASN-ready export (DOMAIN.md §2.5): the verified JP ledger records as BKN "riwayat kursus"
rows, and the formal awards decided by SK as "riwayat penghargaan" rows, one sheet each.

Columns carry SIASN's own field names, in the order of DOMAIN.md §2.5, so a later sync (or a
BKPSDM operator typing into SIASN) maps them one to one:

* riwayat kursus: ``id, idPns, nipBaru, nipLama, jenisDiklatId, jenisKursusId, jenisKursusNama,
  jenisKursusSertifikat, namaKursus, institusiPenyelenggara, jumlahJam, noSertipikat,
  tahunKursus, tanggalKursus, tanggalSelesaiKursus, path`` then ``latihanStrukturalNama``. The
  last one belongs to SIASN's "riwayat diklat struktural" record (PKN, PKA, PKP), not to the
  kursus record, so it comes after the kursus fields: an import mapping by name reads it, one
  reading the kursus fields by position is not disturbed.
* riwayat penghargaan: the same identity (``id, idPns, nipBaru, nipLama``) then ``hargaNama,
  tahun, skNomor, skDate, path``.

``id`` (SIASN's record id) and ``idPns`` (SIASN's person id) are SIASN's to give: empty for a
new record. ``path`` (the document in SIASN's store) is empty too: the proof is uploaded there.
The type codes come from :mod:`portal.curricula.training_types`: a portal training's from
its curriculum's type, an external record's from its form of development. Dates are dd-mm-yyyy
text, the format the SIASN API uses.
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import Workbook
from sqlalchemy.orm import joinedload

from portal.competency.models import AsnProfile
from portal.curricula.models import Curriculum
from portal.curricula.training_types import training_type
from portal.db import db
from portal.exports import _safe
from portal.trainings.ledger.models import EntryState, LedgerEntry, LedgerSource
from portal.trainings.models import Registration, TrainingBatch

IDENTITY = ("id", "idPns", "nipBaru", "nipLama")

#: riwayat kursus, in SIASN's order (DOMAIN.md §2.5), then the structural training's name.
SIASN_COLUMNS = (
    *IDENTITY,
    "jenisDiklatId",
    "jenisKursusId",
    "jenisKursusNama",
    "jenisKursusSertifikat",
    "namaKursus",
    "institusiPenyelenggara",
    "jumlahJam",
    "noSertipikat",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "path",
    "latihanStrukturalNama",
)

#: riwayat penghargaan, in SIASN's order (DOMAIN.md §2.5).
AWARD_COLUMNS = (*IDENTITY, "hargaNama", "tahun", "skNomor", "skDate", "path")

KURSUS_SHEET, AWARD_SHEET = "riwayat_kursus", "riwayat_penghargaan"


def siasn_date(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _hours(jp: float):
    return int(jp) if float(jp).is_integer() else round(float(jp), 1)


def identity(asn: AsnProfile) -> tuple:
    """The four identity columns of a SIASN row (``id`` and ``idPns`` are SIASN's own)."""
    return ("", "", asn.nip, asn.nip_lama or "")


def siasn_rows(year: int | None = None, *, agency_id: int | None = None) -> list[tuple]:
    """One row per *verified* ledger entry (optionally of one year and one OPD), in
    ``SIASN_COLUMNS`` order, by NIP then date. One query: a portal training's curriculum type
    comes along through its registration and batch."""
    stmt = (
        sa.select(LedgerEntry, Curriculum.training_type)
        .join(AsnProfile, AsnProfile.id == LedgerEntry.asn_id)
        .outerjoin(
            Registration,
            sa.and_(
                LedgerEntry.source == LedgerSource.TRAINING,
                Registration.id == LedgerEntry.registration_id,
            ),
        )
        .outerjoin(TrainingBatch, TrainingBatch.id == Registration.batch_id)
        .outerjoin(Curriculum, Curriculum.id == TrainingBatch.curriculum_id)
        .where(LedgerEntry.state == EntryState.VERIFIED)
        .options(joinedload(LedgerEntry.asn))
        .order_by(AsnProfile.nip, LedgerEntry.started_on, LedgerEntry.id)
    )
    if year is not None:
        stmt = stmt.where(LedgerEntry.year == year)
    if agency_id is not None:
        stmt = stmt.where(AsnProfile.agency_id == agency_id)
    rows = []
    for entry, curriculum_type in db.session.execute(stmt).unique():
        kind = training_type(
            curriculum_type if entry.source == LedgerSource.TRAINING else entry.form
        )
        rows.append(
            (
                *identity(entry.asn),
                kind.diklat_id,
                kind.kursus_id,
                kind.name,
                kind.certificate,
                entry.title,
                entry.organiser,
                _hours(entry.jp),
                entry.certificate_number or "",
                entry.ended_on.year,
                siasn_date(entry.started_on),
                siasn_date(entry.ended_on),
                "",  # path: the proof is uploaded to SIASN's own store
                kind.structural or "",
            )
        )
    return rows


def siasn_workbook(rows: list[tuple], awards: list[tuple] = ()) -> bytes:
    """The XLSX file: the sheet "riwayat_kursus" (``rows``), then "riwayat_penghargaan"
    (``awards``), SIASN headers, formula-safe text cells."""
    workbook = Workbook(write_only=True)
    for title, columns, values in (
        (KURSUS_SHEET, SIASN_COLUMNS, rows),
        (AWARD_SHEET, AWARD_COLUMNS, awards),
    ):
        sheet = workbook.create_sheet(title=title)
        sheet.append(list(columns))
        for row in values:
            sheet.append([_safe(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
