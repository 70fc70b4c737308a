"""ASN roster import against files built to cost work rather than bytes (issue 15, point 2): a
small XLSX that unpacks into millions of empty rows or cells, a row far below the others, shared
strings or styles by the hundred thousand, a declared dimension of the whole sheet, a damaged or
foreign zip, and a CSV of empty lines. Each is refused with a message, through the upload, and
refusing it costs less CPU than reading a normal 2,000-row roster (a ratio measured in the same
process: the suite never compares with absolute seconds). Files at the limits are still read.

The hostile files (hostile_workbooks.py) are built in memory, once per module."""

from __future__ import annotations

import io
import time
import zipfile

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.competency import roster
from portal.competency.roster.reading import limits
from tests.competency import roster_support
from tests.competency.hostile_workbooks import HOSTILE, person_cells, sheet, with_sheet
from tests.competency.roster_support import (
    counts,
    csv_bytes,
    imports_folder,
    person,
    token_of,
    upload,
    xlsx_bytes,
)

# The shared fixtures (roster_support.py).
admin = roster_support.admin
admin_client = roster_support.admin_client
english_messages = roster_support.english_messages
opd = roster_support.opd

#: Refusing a hostile file may cost at most this share of reading a normal 2,000-row roster.
CPU_SHARE = 0.5


@pytest.fixture(scope="module")
def hostile():
    """Every hostile file, built once for the module."""
    return {name: build() for name, (build, _file, _message) in HOSTILE.items()}


def attempt(data: bytes, ext: str) -> str | None:
    """Read a roster file: the refusal's message, or None if it was read."""
    try:
        roster.parse(data, ext)
    except roster.RosterFileError as exc:
        return str(exc.message)
    return None


def refused(data: bytes, ext: str) -> str:
    said = attempt(data, ext)
    assert said is not None, "the file was read"
    return said


def cpu_seconds(data: bytes, ext: str) -> tuple[float, str | None]:
    """The least CPU time of two readings (the least disturbed one), and what the reading said."""
    spent = []
    for _ in range(2):
        start = time.process_time()
        said = attempt(data, ext)
        spent.append(time.process_time() - start)
    return min(spent), said


def post_file(c, data: bytes, name: str):
    """As ``roster_support.upload``, with the multipart body built in memory: werkzeug's test
    client spools a body over 500 KB to a temporary file it never closes (a ResourceWarning)."""
    boundary, body = encode_multipart(
        {"roster": FileStorage(io.BytesIO(data), filename=name), "csrf_token": c.csrf_token()}
    )
    return c.post(
        "/admin/roster/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        csrf=False,
    )


@pytest.fixture(scope="module")
def normal_roster_cpu(app):
    """CPU seconds to read a normal roster of 2,000 rows, the yardstick of the refusals."""
    data = xlsx_bytes([person(n) for n in range(2000)])
    with app.app_context():
        assert len(roster.parse(data, "xlsx")) == 2000
        spent, said = cpu_seconds(data, "xlsx")
    assert said is None
    return spent


# --- the hostile files ----------------------------------------------------------------------------


def test_the_hostile_files_fit_under_the_upload_limit(app, hostile):
    for name, data in hostile.items():
        assert len(data) <= app.config["ROSTER_MAX_BYTES"], name
    assert len(hostile["sixty_megabytes_of_empty_rows"]) < 200 * 1024
    unpacked = zipfile.ZipFile(io.BytesIO(hostile["sixty_megabytes_of_empty_rows"]))
    assert sum(m.file_size for m in unpacked.infolist()) > 60_000_000


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_with_a_message_through_the_upload(
    app, admin_client, db, hostile, name
):
    _build, file_name, expected = HOSTILE[name]
    before = counts(db)
    existing = set(imports_folder(app).iterdir()) if imports_folder(app).exists() else set()
    r = post_file(admin_client, hostile[name], file_name)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "invalid-feedback" in html and expected in html
    assert counts(db) == before
    now = set(imports_folder(app).iterdir()) if imports_folder(app).exists() else set()
    assert now == existing, "a refused file must not be stored"


@pytest.mark.parametrize("name", HOSTILE)
def test_refusing_a_hostile_file_costs_less_than_reading_a_normal_roster(
    hostile, normal_roster_cpu, name
):
    _build, file_name, expected = HOSTILE[name]
    spent, said = cpu_seconds(hostile[name], file_name.rsplit(".", 1)[1])
    assert spent <= CPU_SHARE * normal_roster_cpu, (
        f"reading {name} took {spent:.3f} s of CPU, 2,000 rows {normal_roster_cpu:.3f} s"
    )
    assert expected in (said or "")


# --- what is still read ---------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", [b"A1:XFD1048576", b"A1:A1"])
def test_a_wrong_declared_dimension_neither_costs_nor_drops_rows(opd, dimension):
    rows = b"".join(b'<row r="%d">%s</row>' % (n, person_cells(n)) for n in (2, 3))
    raw = roster.parse(with_sheet(sheet(rows, dimension=dimension)), "xlsx")
    assert [r.number for r in raw] == [2, 3]


def test_empty_rows_up_to_the_limit_are_read_one_more_is_refused(app, opd, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_MAX_ROWS", 10)
    bounds = limits()
    assert bounds.rows == 10 + 1 + 4000
    data_rows = b"".join(b'<row r="%d">%s</row>' % (n, person_cells(n)) for n in range(2, 12))
    at_the_limit = data_rows + b'<row r="%d"/>' % bounds.rows
    assert len(roster.parse(with_sheet(sheet(at_the_limit)), "xlsx")) == 10
    one_more = data_rows + b'<row r="%d"/>' % (bounds.rows + 1)
    assert "more than 4011 rows" in refused(with_sheet(sheet(one_more)), "xlsx")
    lines = [person(n) for n in range(10)] + [[]] * (bounds.rows - 11)
    assert len(roster.parse(csv_bytes(lines), "csv")) == 10
    assert "more than 4011 lines" in refused(csv_bytes([*lines, []]), "csv")


def test_the_filled_template_at_the_row_limit_is_read(admin_client, app, opd, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_MAX_ROWS", 50)
    workbook = openpyxl.load_workbook(
        io.BytesIO(admin_client.get("/admin/roster/template.xlsx").data)
    )
    sheet_ = workbook.worksheets[0]
    for n in range(50):
        for column, value in enumerate(person(n), start=1):
            sheet_.cell(row=n + 2, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    assert len(roster.parse(out.getvalue(), "xlsx")) == 50


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_a_roster_at_the_row_limit_is_imported_one_more_row_is_refused(
    app, admin_client, opd, db, monkeypatch, ext
):
    monkeypatch.setitem(app.config, "ROSTER_MAX_ROWS", 25)
    build = xlsx_bytes if ext == "xlsx" else csv_bytes
    before = counts(db)
    r = upload(admin_client, build([person(n) for n in range(26)]), f"roster.{ext}")
    assert "more than 25 rows" in r.get_data(as_text=True)
    assert counts(db) == before
    token = token_of(upload(admin_client, build([person(n) for n in range(25)]), f"roster.{ext}"))
    r = admin_client.post("/admin/roster/confirm", data={"upload": token}, follow_redirects=True)
    assert "Roster imported: 25 new ASN records, 0 updated." in r.get_data(as_text=True)
