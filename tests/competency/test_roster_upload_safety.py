"""ASN roster import screens against bad or hostile uploads: files that are not spreadsheets,
values shown escaped, size limits, odd form values, and forged, tampered, foreign or expired
upload keys."""

from __future__ import annotations

import io

import pytest

from portal.auth.models import Role
from portal.competency.roster.views import sign_upload, stash_upload
from tests.competency import roster_support
from tests.competency.roster_support import (
    HTML,
    PNG,
    counts,
    csv_bytes,
    imports_folder,
    person,
    token_of,
    upload,
    zip_bytes,
)

# The shared fixtures (roster_support.py).
admin = roster_support.admin
admin_client = roster_support.admin_client
english_messages = roster_support.english_messages
opd = roster_support.opd


NOT_A_WORKBOOK = "not an Excel workbook (.xlsx) or a CSV file"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [(PNG, "roster.xlsx", NOT_A_WORKBOOK), (PNG, "roster.csv", NOT_A_WORKBOOK),
     (zip_bytes(), "roster.xlsx", NOT_A_WORKBOOK), (zip_bytes(), "roster.csv", NOT_A_WORKBOOK),
     (HTML, "roster.csv", "web page"), (HTML, "roster.xlsx", NOT_A_WORKBOOK),
     (b"nip,nama\n", "roster.txt", "Upload an .xlsx or a .csv file"),
     (b"", "roster.csv", "The file is empty")],
)  # fmt: skip
def test_files_that_are_not_spreadsheets_are_refused_with_a_message(
    app, admin_client, data, name, expected, db
):
    before = counts(db)
    existing = set(imports_folder(app).iterdir()) if imports_folder(app).exists() else set()
    r = upload(admin_client, data, name)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "invalid-feedback" in html and expected in html
    assert counts(db) == before
    now = set(imports_folder(app).iterdir()) if imports_folder(app).exists() else set()
    assert now == existing, "a refused file must not be stored"


def test_file_values_are_shown_escaped(admin_client, opd):
    # also inside messages: flask-babel's LazyString has __html__, so Jinja would trust it
    r = upload(admin_client, csv_bytes([person(1, nama="<i>n</i>", opd="<b>x", status="<u>s")]))
    html = r.get_data(as_text=True)
    assert "<i>n" not in html and "<b>x" not in html and "<u>s" not in html
    assert "&lt;i&gt;n" in html and "“&lt;b&gt;x”" in html and "“&lt;u&gt;s”" in html


def test_upload_larger_than_the_limit_is_refused(app, admin_client, opd, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_MAX_BYTES", 100)
    r = upload(admin_client, csv_bytes([person(n) for n in range(5)]))
    assert "larger than" in r.get_data(as_text=True)


def test_request_over_max_content_length_is_413(app, admin_client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    r = upload(admin_client, b"x" * 5000)
    assert r.status_code == 413


@pytest.mark.parametrize(
    "data",
    [{"roster": "just text"}, {"roster": ""}, {"roster": (io.BytesIO(b"nip\x00"), "a\r\n.csv")},
     {"roster": (io.BytesIO(b"x"), "")}, {"roster": (io.BytesIO(b"x"), "../../.csv")}],
)  # fmt: skip
def test_odd_upload_values_give_a_message_not_an_error(admin_client, data):
    r = admin_client.post("/admin/roster/", data=data, content_type="multipart/form-data")
    assert r.status_code == 200
    assert "invalid-feedback" in r.get_data(as_text=True)


def test_missing_file_keeps_the_form(admin_client):
    r = admin_client.post("/admin/roster/", data={}, content_type="multipart/form-data")
    assert r.status_code == 200
    assert "Choose a file." in r.get_data(as_text=True)


@pytest.mark.parametrize(
    "token",
    ["", "forged", "x" * 600, "eyJrIjoiYWJjIn0.aaaa.bbbb"],
    ids=["empty", "word", "long", "fake"],
)
def test_forged_upload_keys_are_refused(admin_client, token):
    assert admin_client.post("/admin/roster/confirm", data={"upload": token}).status_code == 400
    r = admin_client.get("/admin/roster/errors.xlsx", query_string={"upload": token})
    assert r.status_code == 400


def test_tampered_and_foreign_upload_keys_are_refused(app, admin_client, opd, make, db):
    token = token_of(upload(admin_client, csv_bytes([person(1)])))
    # a character of the signature changed, not its last (whose low bits are padding)
    tampered = token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]
    other_admin = make.user(Role.ADMIN)
    with app.test_request_context():
        traversal = sign_upload("../../../etc/passwd", other_admin.id)
        foreign = sign_upload(stash_upload(csv_bytes([person(2)]), "csv"), other_admin.id)
    before = counts(db)
    assert admin_client.post("/admin/roster/confirm", data={"upload": tampered}).status_code == 400
    assert admin_client.post("/admin/roster/confirm", data={"upload": traversal}).status_code == 400
    assert admin_client.post("/admin/roster/confirm", data={"upload": foreign}).status_code == 404
    assert counts(db) == before


def test_expired_upload_key_sends_back_to_the_upload(app, admin_client, opd, monkeypatch, db):
    token = token_of(upload(admin_client, csv_bytes([person(1)])))
    monkeypatch.setitem(app.config, "ROSTER_UPLOAD_MAX_AGE", -1)
    before = counts(db)
    r = admin_client.post("/admin/roster/confirm", data={"upload": token})
    assert r.status_code == 302 and r.headers["Location"].endswith("/admin/roster/")
    assert counts(db) == before
