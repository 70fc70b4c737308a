"""ASN roster import: read a CSV or XLSX roster, check every row, then write it all or nothing.

``parse(data, ext)`` turns a file into raw rows (a file that cannot be read raises
:class:`RosterFileError`); ``validate(raw_rows, actor)`` gives every row its errors (refuse) and
warnings (accept, but show); ``apply(rows, actor)`` creates or updates the accounts and ASN records
of valid rows, flushes and audits, and never commits. The reads are bulk loads in a fixed number
of queries, so checking 2,000 rows costs the same handful of queries as checking 5.

A row is the whole record: empty golongan, position or supervisor cells clear those fields.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import openpyxl
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.orm import aliased, joinedload, selectinload

from portal import audit
from portal.auth.models import Role, User, UserRole
from portal.competency.models import PNS_GOLONGAN, PPPK_GOLONGAN, AsnProfile, AsnStatus, Position
from portal.competency.nip import NIP_LENGTH, check_nip, normalise_nip
from portal.db import db
from portal.errors import DomainError
from portal.forms import clean_line
from portal.i18n import _, _l
from portal.institutions.models import Agency

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


def _header_key(text: str) -> str:
    return _SEPARATOR.sub("_", text.strip().lower()).strip("_")


def _columns(cells) -> dict[int, str]:
    columns, seen = {}, {}
    for index, cell in enumerate(cells):
        name = _HEADER_FIELD.get(_header_key(_text(cell)))
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


# --- checking ---------------------------------------------------------------------------------------


@dataclass
class _Known:
    """What the database already holds, loaded once for the whole file."""

    agencies: dict[str, tuple]  # casefolded short name or name -> (id, short_name, is_active)
    positions: dict[tuple[int, str], tuple]  # (agency_id, casefolded name) -> (id, is_active)
    profiles: dict[str, tuple]  # nip -> (id, user_id, agency_id, supervisor nip, e-mail)
    profile_users: set[int]
    users: dict[str, tuple]  # e-mail -> (id, agency_id, roles)

    @classmethod
    def load(cls, emails: set[str]) -> _Known:
        rows = db.session.execute(
            sa.select(Agency.id, Agency.name, Agency.short_name, Agency.is_active)
        ).all()
        agencies = {name.casefold(): (id_, short, active) for id_, name, short, active in rows}
        # a short name wins over another OPD's full name
        agencies.update({short.casefold(): (i, short, a) for i, _n, short, a in rows})
        positions = {}
        for id_, agency_id, name, active in db.session.execute(
            sa.select(Position.id, Position.agency_id, Position.name, Position.is_active)
            .order_by(Position.id)
        ):  # fmt: skip
            positions.setdefault((agency_id, name.casefold()), (id_, active))
        boss = aliased(AsnProfile)
        profiles = {
            nip: (id_, user_id, agency_id, boss_nip, email)
            for id_, nip, user_id, agency_id, boss_nip, email in db.session.execute(
                sa.select(AsnProfile.id, AsnProfile.nip, AsnProfile.user_id,
                          AsnProfile.agency_id, boss.nip, User.email)
                .join(User, User.id == AsnProfile.user_id)
                .outerjoin(boss, boss.id == AsnProfile.supervisor_id)
            )
        }  # fmt: skip
        roles, users = defaultdict(set), {}
        if emails:
            for id_, email, agency_id, role in db.session.execute(
                sa.select(User.id, User.email, User.agency_id, UserRole.role)
                .outerjoin(UserRole, UserRole.user_id == User.id)
                .where(User.email.in_(emails))
            ):  # fmt: skip
                if role is not None:
                    roles[id_].add(role)
                users[email] = (id_, agency_id, roles[id_])
        return cls(agencies, positions, profiles, {p[1] for p in profiles.values()}, users)


_RUANG = re.compile(r"^([IV]+)[\s/\-.\\]*([A-Ea-e])$")


def _golongan(raw: str) -> str:
    """``iii/a``, ``III a``, ``III-A`` → ``III/a``; PPPK ``ix`` → ``IX``."""
    text = raw.strip().upper()
    match = _RUANG.match(text)
    return f"{match[1]}/{match[2].lower()}" if match else re.sub(r"\s+", "", text)


def _check_person(row: RosterRow, raw: RawRow) -> None:
    v = raw.values
    nip_kind = None
    if raw.nip_was_number:
        row.errors.append(
            _l("The NIP was stored as a number and lost its last digits: format the NIP column "
               "as text and type the NIP again.")
        )  # fmt: skip
    elif not v["nip"]:
        row.errors.append(_l("The NIP is missing."))
    else:
        check = check_nip(v["nip"])
        row.nip, nip_kind = check.nip, check.kind
        row.errors.extend(check.errors)
        row.warnings.extend(check.warnings)
    row.full_name = v["full_name"]
    if not row.full_name:
        row.errors.append(_l("The name is missing."))
    elif len(row.full_name) > 120:
        row.errors.append(_l("The name is longer than %(max)d characters.", max=120))
    row.email = v["email"].lower()
    if not row.email:
        row.errors.append(_l("The e-mail address is missing."))
    else:
        try:
            validate_email(row.email, check_deliverability=False)
        except EmailNotValidError:
            row.errors.append(_l("“%(value)s” is not a valid e-mail address.", value=v["email"]))
    row.status = STATUS_ALIASES.get(_header_key(v["status"]))
    if row.status is None:
        row.errors.append(
            _l("Unknown status “%(value)s”: use PNS, CPNS, PPPK or PPPK paruh waktu.",
               value=v["status"])
        )  # fmt: skip
    if v["golongan"]:
        row.golongan = _golongan(v["golongan"])
        if row.golongan not in PNS_GOLONGAN and row.golongan not in PPPK_GOLONGAN:
            row.errors.append(
                _l("“%(value)s” is not a golongan: write for example III/a (PNS) or IX (PPPK).",
                   value=v["golongan"])
            )  # fmt: skip
        elif row.status is not None and row.status.is_pppk and row.golongan not in PPPK_GOLONGAN:
            row.errors.append(_l("A PPPK has a golongan from I to XVII, not a PNS golongan/ruang."))
        elif row.status is not None and not row.status.is_pppk and row.golongan in PPPK_GOLONGAN:
            row.errors.append(
                _l("A PNS or CPNS has a golongan/ruang such as III/a, not a PPPK golongan.")
            )
    if nip_kind and row.status is not None and not row.errors:
        nip_pppk = nip_kind == "pppk"
        if nip_pppk != row.status.is_pppk:
            row.warnings.append(
                _l("The NIP looks like a PPPK number but the status is %(status)s.",
                   status=row.status.title)
                if nip_pppk
                else _l("The NIP looks like a PNS number but the status is %(status)s.",
                        status=row.status.title)
            )  # fmt: skip


def _check_place(row: RosterRow, raw: RawRow, known: _Known, scope: int | None) -> None:
    v = raw.values
    agency = known.agencies.get(v["agency"].casefold()) if v["agency"] else None
    if not v["agency"]:
        row.errors.append(_l("The OPD is missing."))
    elif agency is None:
        row.errors.append(
            _l("Unknown OPD “%(value)s”: write the short name or the full name of an OPD of the "
               "portal.", value=v["agency"])
        )  # fmt: skip
    elif not agency[2]:
        row.errors.append(_l("The OPD %(name)s is deactivated.", name=agency[1]))
    elif scope is not None and agency[0] != scope:
        row.errors.append(_l("As an OPD administrator you may import only the ASN of your OPD."))
    else:
        row.agency_id = agency[0]
    if v["position"] and agency is not None:
        position = known.positions.get((agency[0], v["position"].casefold()))
        if position is None:
            row.errors.append(
                _l("The OPD %(opd)s has no position named “%(value)s”.",
                   opd=agency[1], value=v["position"])
            )  # fmt: skip
        elif not position[1]:
            row.errors.append(
                _l("The position “%(value)s” is no longer used.", value=v["position"])
            )
        else:
            row.position_id = position[0]


def _check_existing(row: RosterRow, known: _Known, scope: int | None) -> None:
    """A NIP already in the portal is updated only with the same e-mail address (the same
    person); an e-mail address of an account without a record gets the record."""
    profile = known.profiles.get(row.nip)
    user_id, agency_id, roles = known.users.get(row.email, (None, None, frozenset()))
    if profile is not None and profile[4] != row.email:
        row.errors.append(
            _l("Another person's ASN record already has this NIP (with another e-mail address).")
        )
    elif profile is not None and scope is not None and profile[2] != scope:
        row.errors.append(
            _l("This ASN belongs to another OPD: only a city-wide administrator can move them.")
        )
    elif profile is None and user_id in known.profile_users:
        row.errors.append(_l("This e-mail address belongs to an ASN record with another NIP."))
    elif roles & {Role.STUDENT, Role.UNIVERSITY}:
        row.errors.append(_l("This e-mail address belongs to a university account."))
    elif (
        user_id is not None
        and scope is not None
        and (roles - {Role.ASN, Role.MENTOR} or agency_id != scope)
    ):
        row.errors.append(_l("This e-mail address belongs to an account you do not manage."))
    else:
        row.user_id = user_id
        row.profile_id = profile[0] if profile is not None else None


def _check_supervisors(rows: list[RosterRow], raws: list[RawRow], known: _Known) -> None:
    in_file = {row.nip: row for row in rows if row.nip}
    boss_of = {nip: p[3] for nip, p in known.profiles.items()}
    for row, raw in zip(rows, raws, strict=True):
        text = raw.values["supervisor_nip"]
        if not text:
            if row.nip:
                boss_of[row.nip] = None
            continue
        nip = normalise_nip(text)
        if len(nip) != NIP_LENGTH or not nip.isdigit():
            row.errors.append(_l("The supervisor's NIP is not a NIP of 18 digits."))
        elif nip == row.nip:
            row.errors.append(_l("A person cannot be their own supervisor."))
        elif nip not in in_file and nip not in known.profiles:
            row.errors.append(
                _l("No ASN has the supervisor's NIP %(nip)s, in the file or in the portal.",
                   nip=nip)
            )  # fmt: skip
        else:
            row.supervisor_nip = nip
        if row.nip:
            boss_of[row.nip] = row.supervisor_nip
    for row in rows:
        if not row.nip:
            continue
        seen, nip = {row.nip}, row.supervisor_nip
        while nip is not None and nip not in seen:
            seen.add(nip)
            nip = boss_of.get(nip)
        if nip is not None and nip == row.nip:
            row.errors.append(_l("The line of supervision in the file loops back to this person."))


def _check_duplicates(rows: list[RosterRow]) -> None:
    nips, emails = defaultdict(list), defaultdict(list)
    for row in rows:
        if row.nip:
            nips[row.nip].append(row.number)
        if row.email:
            emails[row.email].append(row.number)
    for row in rows:
        same = nips.get(row.nip, ())
        if len(same) > 1:
            row.errors.append(
                _l("The NIP appears more than once in the file (rows %(rows)s).",
                   rows=", ".join(map(str, same)))
            )  # fmt: skip
        same = emails.get(row.email, ())
        if len(same) > 1:
            row.errors.append(
                _l("The e-mail address appears more than once in the file (rows %(rows)s).",
                   rows=", ".join(map(str, same)))
            )  # fmt: skip


def validate(raw_rows: list[RawRow], actor=None, *, progress=None) -> list[RosterRow]:
    """Check every row; ``actor`` None (the command line) or a city admin may import any OPD,
    an OPD admin only its own (other rows are errors). ``progress(n)`` is called per row."""
    scope = getattr(actor, "admin_agency_id", None)
    known = _Known.load({r.values["email"].lower() for r in raw_rows if r.values["email"]})
    rows = []
    for raw in raw_rows:
        row = RosterRow(raw.number, raw.values)
        _check_person(row, raw)
        _check_place(row, raw, known, scope)
        if row.nip and row.email:
            _check_existing(row, known, scope)
        rows.append(row)
        if progress:
            progress(1)
    _check_duplicates(rows)
    _check_supervisors(rows, raw_rows, known)
    return rows


def summary(rows: list[RosterRow]) -> dict[str, int]:
    """Counts for the preview and the command line."""
    good = [r for r in rows if r.ok]
    return {
        "rows": len(rows),
        "valid": len(good),
        "errors": len(rows) - len(good),
        "warnings": sum(1 for r in rows if r.warnings),
        "new": sum(1 for r in good if r.action == "create"),
        "updates": sum(1 for r in good if r.action == "update"),
    }


# --- writing ----------------------------------------------------------------------------------------


def _chunks(ids: list[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def apply(rows: list[RosterRow], actor=None, *, progress=None) -> dict[str, int]:
    """Create or update the account (role ASN, the row's OPD, no password, no invitation sent)
    and the ASN record of every row, flush, and record one ``asn.import`` event. Never commits.

    Refuses (``DomainError``) an empty roster or one with any row in error: nothing is written.
    """
    if not rows:
        raise DomainError(_l("The file has no rows to import."))
    if any(row.errors for row in rows):
        raise DomainError(
            _l("Some rows have errors: nothing was imported. Fix them and upload again.")
        )
    try:
        counts = _write(rows, progress)
    except sa.exc.IntegrityError:  # somebody saved the same NIP or e-mail meanwhile
        raise DomainError(
            _l("The data changed while the roster was imported: nothing was imported. Try again.")
        ) from None
    audit.record(actor, "asn.import", **counts)
    return counts


def _write(rows: list[RosterRow], progress) -> dict[str, int]:
    profile_ids = [r.profile_id for r in rows if r.profile_id]
    user_ids = [r.user_id for r in rows if r.user_id and not r.profile_id]
    profiles, users = {}, {}
    for chunk in _chunks(profile_ids):
        for p in db.session.scalars(
            sa.select(AsnProfile).where(AsnProfile.id.in_(chunk))
            .options(joinedload(AsnProfile.user).selectinload(User.role_rows))
        ).unique():  # fmt: skip
            profiles[p.id] = p
    for chunk in _chunks(user_ids):
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_(chunk)).options(selectinload(User.role_rows))
        ):
            users[u.id] = u
    people = {}
    for row in rows:
        if row.profile_id:
            user = profiles[row.profile_id].user
        elif row.user_id:
            user = users[row.user_id]
            if Role.ASN not in user.roles:
                user.set_roles(user.roles | {Role.ASN})
                user.rotate_session_token()  # a role change ends the sessions (QUALITY.md G7)
        else:
            user = User(email=row.email, full_name=row.full_name, password_hash=None)
            user.set_roles([Role.ASN])
            db.session.add(user)
        user.full_name, user.agency_id = row.full_name, row.agency_id
        people[row.number] = user
    db.session.flush()
    created, by_row = 0, {}
    for row in rows:
        profile = profiles.get(row.profile_id) if row.profile_id else None
        if profile is None:
            profile = AsnProfile(user_id=people[row.number].id, nip=row.nip)
            db.session.add(profile)
            created += 1
        profile.status, profile.golongan = row.status, row.golongan
        profile.agency_id, profile.position_id = row.agency_id, row.position_id
        by_row[row.number] = profile
        if progress:
            progress(1)
    db.session.flush()
    bosses = {r.supervisor_nip for r in rows if r.supervisor_nip}
    boss_ids = {}
    for chunk in _chunks(sorted(bosses)):
        boss_ids.update(
            (nip, id_)
            for nip, id_ in db.session.execute(
                sa.select(AsnProfile.nip, AsnProfile.id).where(AsnProfile.nip.in_(chunk))
            )
        )
    for row in rows:
        profile = by_row[row.number]
        profile.supervisor_id = boss_ids[row.supervisor_nip] if row.supervisor_nip else None
    db.session.flush()
    return {"rows": len(rows), "created": created, "updated": len(rows) - created}


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
            _sheet_row(sheet, [
                row.number, *(row.values.get(name, "") for name in FIELDS),
                " ".join(str(m) for m in row.errors), " ".join(str(m) for m in row.warnings),
            ])  # fmt: skip
    return _save(workbook)


def template_workbook() -> bytes:
    """An empty roster with the expected headers, one fictional example row and instructions."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ASN"
    _sheet_row(sheet, TEMPLATE_HEADERS.values())
    _sheet_row(sheet, ["198609262015051001", "Contoh Nama Pegawai", "contoh.pegawai@example.com",
                       "PNS", "III/a", "Pranata Komputer", "Diskominfo", ""])  # fmt: skip
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
