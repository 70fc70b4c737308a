"""Property-based fuzzing of the roster upload: no file ever produces a 5xx (QUALITY.md G10,
pitfall (c)6).

The roster upload (multipart) gets random bytes under random names, and fuzzed CSV/XLSX rosters
whose preview, row-error workbook and confirmed import (fuzzed cells reach the database) are
all requested, as an administrator with a valid CSRF token.

PostgreSQL refuses NUL bytes and over-long VARCHARs that SQLite stores: run it on both.

Each example runs in a rolled-back savepoint over the world built once per module, with a fresh
signed-in client and reset rate limits: a request that changes state cannot spoil the next one
(tests/support/fuzz.py holds the hostile text and this isolation).
"""

from __future__ import annotations

import csv
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from tests.support import fuzz
from tests.support.fuzz import FUZZ, HOSTILE, WEIRD_CHAR, assert_not_5xx

rolled_back = fuzz.rolled_back
client_as = fuzz.client_as

_UPLOAD_TOKEN = re.compile(
    r'name="upload" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="upload" value="([^"]+)"|'
    r'id="upload" name="upload" type="hidden" value="([^"]+)"'
)
EXTENSIONS = ["csv", "xlsx", "CSV", "XLSX", "txt", "xls", "csv.exe", "", "."]
FILENAMES = st.one_of(
    st.tuples(st.text(WEIRD_CHAR, max_size=60), st.sampled_from(EXTENSIONS)).map(
        lambda p: f"{p[0]}.{p[1]}" if p[1] else p[0]
    ),
    st.sampled_from(
        [
            "../../etc/passwd.csv",
            "..\\..\\x.csv",
            "a\r\nb.csv",
            "CON.csv",
            "成绩单.xlsx",
            "x" * 300 + ".csv",
            ".csv",
            "roster.csv\x00.exe",
        ]
    ),
)
VALID_ROW = {
    "nip": "198609262015051001",
    "nama": "Pegawai Baru",
    "email": "pegawai.baru@example.com",
    "status": "PNS",
    "golongan": "III/a",
    "jabatan": "",
    "opd": None,  # the world's agency
    "nip_atasan": "",
}


def _roster_rows(data, w) -> list[list[str]]:
    header = list(VALID_ROW)
    if data.draw(st.integers(0, 7), label="fuzz the header (when 0)") == 0:
        header = [h if data.draw(st.booleans()) else data.draw(HOSTILE) for h in header]
    row = [w.agency.short_name if v is None else v for v in VALID_ROW.values()]
    fuzzed = data.draw(st.sets(st.sampled_from(range(len(row))), min_size=1), label="cells")
    for i in fuzzed:
        row[i] = data.draw(HOSTILE, label=f"cell {header[i]!r}")
    return [header, row]


def _csv_bytes(rows, encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(rows) -> bytes | None:
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = Workbook()
    try:
        for row in rows:
            book.active.append(row)
    except IllegalCharacterError:
        return None  # openpyxl cannot even write it; a real spreadsheet cannot hold it either
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _upload(c, token: str, content: bytes, filename: str):
    return c.post(
        "/admin/roster/",
        data={"roster": (io.BytesIO(content), filename), "csrf_token": token},
        content_type="multipart/form-data",
    )


@FUZZ
@given(content=st.binary(max_size=4096), filename=FILENAMES, prefix=st.sampled_from(
    [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"nip,nama,email,status,opd\n"]))  # fmt: skip
def test_roster_upload_of_random_bytes_and_names_never_fails(
    content, filename, prefix, world, client_as, rolled_back
):
    with rolled_back():
        r = _upload(*client_as("admin"), prefix + content, filename)
        assert_not_5xx(r, f"upload of {filename!r}")


@FUZZ
@given(data=st.data())
def test_fuzzed_roster_previews_and_imports_never_fail(data, world, client_as, rolled_back):
    """A roster whose cells are hostile text: the preview, the error workbook and the confirmed
    import (which writes the cells into the database) never answer with a 5xx."""
    with rolled_back():
        rows = _roster_rows(data, world)
        kind = data.draw(
            st.sampled_from(
                [
                    "csv-utf-8",
                    "csv-utf-8",
                    "csv-utf-8-sig",
                    "xlsx",
                    "xlsx",
                    "csv-utf-16",
                    "csv-latin-1",
                ]
            )
        )
        if kind == "xlsx":
            content = _xlsx_bytes(rows)
            if content is None:
                content = _csv_bytes(rows, "utf-8")
                kind = "csv-utf-8"
        else:
            content = _csv_bytes(rows, kind.removeprefix("csv-"))
        c, csrf = client_as("admin")
        r = _upload(c, csrf, content, "roster." + kind.split("-")[0])
        assert_not_5xx(r, f"upload of a {kind} roster")
        if r.status_code != 200:
            return
        match = _UPLOAD_TOKEN.search(r.get_data(as_text=True))
        if match is None:  # the form itself was refused
            return
        token = next(g for g in match.groups() if g)
        r = c.get("/admin/roster/errors.xlsx", query_string={"upload": token})
        assert_not_5xx(r, "the row-error workbook")
        r = c.post("/admin/roster/confirm", data={"upload": token, "csrf_token": csrf})
        assert_not_5xx(r, f"confirming a {kind} roster")
