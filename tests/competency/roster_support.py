"""Fixtures and helpers shared by the ASN roster import tests (test_roster_*.py): files built
in CSV and XLSX (and files that are not spreadsheets), valid NIPs, row checks, counts of what was
written, an OPD with positions, an admin and uploads through the screens.

The ``english_messages`` fixture is autouse: every module that takes it from here compares
messages in English."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.competency import roster
from portal.competency.models import AsnProfile

HEADERS_ID = ["nip", "nama", "email", "status", "golongan", "jabatan", "opd", "nip_atasan"]
HEADERS_EN = [
    "NIP", "Full name", "E-mail", "Status", "Golongan", "Position", "Agency", "Supervisor NIP",
]  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def nip(n: int, *, marker: str = "01") -> str:
    """A valid PNS NIP (or, with marker 21, a PPPK number), unique per ``n``."""
    birth = date(1975, 1, 1) + timedelta(days=n)
    return f"{birth:%Y%m%d}{birth.year + 25}{marker}1{1 + n % 999:03d}"


def person(n: int, opd="RST", **over) -> list:
    values = {
        "nip": nip(n),
        "nama": f"Pegawai Impor {n}",
        "email": f"impor{n}@example.com",
        "status": "PNS",
        "golongan": "III/a",
        "jabatan": "Pranata Komputer",
        "opd": opd,
        "nip_atasan": "",
    }
    values.update(over)
    return [values[h] for h in HEADERS_ID]


def csv_bytes(rows, *, headers=HEADERS_ID, delimiter=",", bom=False) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(rows, *, headers=HEADERS_ID) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def check(data: bytes, ext="csv", actor=None):
    return roster.validate(roster.parse(data, ext), actor)


def messages(row) -> str:
    return " ".join(str(m) for m in [*row.errors, *row.warnings])


def counts(db):
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, AsnProfile, AuditEvent)
    )


@pytest.fixture(autouse=True)
def english_messages(db):
    """Messages are compared in English (outside requests; the admins below use English too)."""
    with force_locale("en"):
        yield


@pytest.fixture
def opd(make):
    agency = make.agency(name="Dinas Roster Uji", short_name="RST")
    make.position(agency=agency, name="Pranata Komputer")
    make.position(agency=agency, name="Analis Kebijakan")
    return agency


@pytest.fixture
def admin(make):
    return make.user(Role.ADMIN, locale="en")


@pytest.fixture
def admin_client(client, login_as, admin):
    return login_as(admin)


def upload(c, data: bytes, name="roster.csv", csrf_token=None):
    fields = {"roster": (io.BytesIO(data), name), "csrf_token": csrf_token or c.csrf_token()}
    return c.post("/admin/roster/", data=fields, content_type="multipart/form-data")


def token_of(response) -> str:
    html = response.get_data(as_text=True)
    marker = 'name="upload" type="hidden" value="'
    if marker not in html:
        marker = 'type="hidden" name="upload" value="'
    if marker in html:
        return html.split(marker, 1)[1].split('"', 1)[0]
    return html.split("/admin/roster/errors.xlsx?upload=", 1)[1].split('"', 1)[0]


def imports_folder(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "imports"
