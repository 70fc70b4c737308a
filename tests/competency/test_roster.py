"""ASN roster import: reading CSV/XLSX, every row check, preview, confirm, downloads, CLI."""

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
from portal.competency.import_views import sign_upload, stash_upload
from portal.competency.models import AsnProfile, AsnStatus
from portal.competency.roster_cli import import_asn
from portal.errors import DomainError

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
        "nip": nip(n), "nama": f"Pegawai Impor {n}", "email": f"impor{n}@example.com",
        "status": "PNS", "golongan": "III/a", "jabatan": "Pranata Komputer", "opd": opd,
        "nip_atasan": "",
    }  # fmt: skip
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
def english(db):
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


# --- reading ----------------------------------------------------------------------------------------


def test_csv_with_semicolons_and_bom_is_read(opd):
    data = csv_bytes([person(1), person(2, status="CPNS")], delimiter=";", bom=True)
    raw = roster.parse(data, "csv")
    assert [r.number for r in raw] == [2, 3]
    assert raw[0].values["nip"] == nip(1)
    assert raw[0].values["full_name"] == "Pegawai Impor 1"
    assert raw[1].values["status"] == "CPNS"
    assert raw[0].values["agency"] == "RST"


def test_csv_with_commas_and_english_headers_is_read(opd):
    rows = check(csv_bytes([person(1)], headers=HEADERS_EN))
    assert rows[0].ok, messages(rows[0])
    assert rows[0].email == "impor1@example.com"


def test_xlsx_is_read_with_nip_as_text(opd):
    rows = check(xlsx_bytes([person(1), person(2, nip=nip(2)[:8] + " " + nip(2)[8:])]), "xlsx")
    assert [r.ok for r in rows] == [True, True], [messages(r) for r in rows]
    assert rows[1].nip == nip(2)


@pytest.mark.parametrize("as_number", [int, float])
def test_xlsx_nip_that_lost_digits_as_a_number_is_an_error(opd, as_number):
    # a spreadsheet keeps 15 significant digits: an 18-digit NIP typed as a number is damaged
    (row,) = check(xlsx_bytes([person(1, nip=as_number(nip(1)))]), "xlsx")
    assert "format the NIP column as text" in messages(row)


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(opd):
    data = xlsx_bytes([person(1), [None] * 8, person(2)])
    assert [r.number for r in roster.parse(data, "xlsx")] == [2, 4]


def test_missing_required_columns_are_named(opd):
    data = csv_bytes([["x", "y"]], headers=["nip", "nama"])
    with pytest.raises(roster.RosterFileError) as exc:
        roster.parse(data, "csv")
    assert "email, status, opd" in str(exc.value.message)


def test_a_file_with_only_headers_is_refused(opd):
    with pytest.raises(roster.RosterFileError):
        roster.parse(csv_bytes([]), "csv")


def test_too_many_rows_are_refused(app, opd, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_MAX_ROWS", 3)
    with pytest.raises(roster.RosterFileError) as exc:
        roster.parse(csv_bytes([person(n) for n in range(4)]), "csv")
    assert "more than 3 rows" in str(exc.value.message)


@pytest.mark.parametrize(
    ("data", "ext"),
    [(PNG, "xlsx"), (PNG, "csv"), (HTML, "xlsx"), (HTML, "csv"), (b"", "csv"),
     (zip_bytes(), "xlsx"), (zip_bytes(), "csv"), (b"PK\x03\x04garbage", "xlsx"),
     ("nip;nama\n".encode("utf-16"), "csv"), (b"nip,nama", "txt")],
    ids=["png-xlsx", "png-csv", "html-xlsx", "html-csv", "empty", "zip-xlsx", "zip-csv",
         "broken-zip", "utf16-csv", "txt"],
)  # fmt: skip
def test_files_that_are_not_spreadsheets_are_refused(data, ext):
    with pytest.raises(roster.RosterFileError):
        roster.parse(data, ext)


# --- row checks -------------------------------------------------------------------------------------


def test_a_valid_row_is_ok_and_new(opd):
    (row,) = check(csv_bytes([person(1)]))
    assert row.ok and not row.warnings, messages(row)
    assert row.action == "create"
    assert row.agency_id == opd.id and row.position_id is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1986092620150510", "18 digits"), ("", "NIP is missing"),
     ("198613262015051001", "not a real date"), ("198609262015131001", "not a month"),
     ("198609262015053001", "gender"), ("198609262015051000", "serial")],
)  # fmt: skip
def test_malformed_nip_is_an_error(opd, value, expected):
    (row,) = check(csv_bytes([person(1, nip=value)]))
    assert not row.ok
    assert expected in messages(row)


def test_nip_with_spaces_is_accepted_and_stored_without(opd):
    spaced = f"{nip(1)[:8]} {nip(1)[8:14]} {nip(1)[14]} {nip(1)[15:]}"
    (row,) = check(csv_bytes([person(1, nip=spaced)]))
    assert row.ok and row.nip == nip(1)


def test_implausible_nip_is_only_a_warning(opd):
    (row,) = check(csv_bytes([person(1, nip="198609262060051001")]))
    assert row.ok
    assert "appointed at the age" in messages(row)


def test_pppk_number_with_pns_status_is_a_warning(opd):
    (row,) = check(csv_bytes([person(1, nip=nip(1, marker="21"))]))
    assert row.ok
    assert "looks like a PPPK number" in messages(row)


def test_duplicate_nip_and_email_in_the_file_are_errors_on_both_rows(opd):
    rows = check(
        csv_bytes([person(1), person(2, nip=nip(1)), person(3, email="impor1@example.com")])
    )
    assert "appears more than once in the file (rows 2, 3)" in messages(rows[0])
    assert "(rows 2, 4)" in messages(rows[0])
    assert not any(r.ok for r in rows)


def test_nip_of_another_persons_record_is_an_error(opd, make):
    make.asn_profile(nip=nip(1))
    (row,) = check(csv_bytes([person(1)]))
    assert "already has this NIP" in messages(row)


def test_existing_record_with_same_nip_and_email_is_an_update(opd, make):
    user = make.user(Role.ASN, agency=opd, email="impor1@example.com")
    profile = make.asn_profile(user, nip=nip(1))
    (row,) = check(csv_bytes([person(1, nama="Nama Baru")]))
    assert row.ok, messages(row)
    assert row.action == "update" and row.profile_id == profile.id


def test_email_of_a_record_with_another_nip_is_an_error(opd, make):
    user = make.user(Role.ASN, agency=opd, email="impor1@example.com")
    make.asn_profile(user, nip=nip(9))
    (row,) = check(csv_bytes([person(1)]))
    assert "another NIP" in messages(row)


def test_email_of_a_student_account_is_an_error(opd, make):
    make.user(Role.STUDENT, email="impor1@example.com")
    (row,) = check(csv_bytes([person(1)]))
    assert "university account" in messages(row)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [({"email": "not-an-address"}, "not a valid e-mail"),
     ({"email": ""}, "e-mail address is missing"),
     ({"nama": ""}, "name is missing"),
     ({"nama": "x" * 121}, "longer than 120"),
     ({"status": "honorer"}, "Unknown status"),
     ({"status": ""}, "Unknown status"),
     ({"golongan": "Z/q"}, "is not a golongan"),
     ({"status": "PPPK", "golongan": "III/a"}, "A PPPK has a golongan from I to XVII"),
     ({"golongan": "IX"}, "A PNS or CPNS has a golongan/ruang"),
     ({"opd": "Dinas Entah"}, "Unknown OPD"),
     ({"opd": ""}, "OPD is missing"),
     ({"jabatan": "Jabatan Entah"}, "has no position named"),
     ({"nip_atasan": "123"}, "not a NIP of 18 digits"),
     ({"nip_atasan": nip(1)}, "own supervisor"),
     ({"nip_atasan": nip(500)}, "No ASN has the supervisor's NIP")],
)  # fmt: skip
def test_row_errors(opd, changes, expected):
    (row,) = check(csv_bytes([person(1, **changes)]))
    assert not row.ok
    assert expected in messages(row)


@pytest.mark.parametrize(
    ("status", "golongan", "stored"),
    [("pns", "iii/b", "III/b"), ("CPNS", "II a", "II/a"), ("PPPK", "ix", "IX"),
     ("PPPK Paruh Waktu", "", None), ("pppk-paruh-waktu", "V", "V")],
)  # fmt: skip
def test_status_and_golongan_are_normalised(opd, status, golongan, stored):
    (row,) = check(csv_bytes([person(1, status=status, golongan=golongan)]))
    assert row.ok, messages(row)
    assert row.golongan == stored


def test_opd_by_full_name_and_position_case_insensitive(opd):
    (row,) = check(csv_bytes([person(1, opd="dinas roster uji", jabatan="pranata komputer")]))
    assert row.ok and row.agency_id == opd.id


def test_inactive_opd_and_position_are_errors(opd, make):
    make.position(agency=opd, name="Jabatan Lama", is_active=False)
    closed = make.agency(short_name="TUTUP", is_active=False)
    rows = check(csv_bytes([person(1, jabatan="Jabatan Lama"), person(2, opd="TUTUP")]))
    assert "no longer used" in messages(rows[0])
    assert f"{closed.short_name} is deactivated" in messages(rows[1])


def test_position_of_another_opd_is_an_error(opd, make):
    make.position(agency=make.agency(), name="Jabatan Lain")
    (row,) = check(csv_bytes([person(1, jabatan="Jabatan Lain")]))
    assert "has no position named" in messages(row)


def test_supervisor_in_the_file_or_in_the_portal_is_accepted(opd, make):
    boss = make.asn_profile(nip=nip(100))
    rows = check(
        csv_bytes([person(1), person(2, nip_atasan=nip(1)), person(3, nip_atasan=boss.nip)])
    )
    assert all(r.ok for r in rows), [messages(r) for r in rows]


def test_a_loop_of_supervisors_is_an_error(opd):
    rows = check(csv_bytes([person(1, nip_atasan=nip(2)), person(2, nip_atasan=nip(1))]))
    assert all("loops back" in messages(r) for r in rows)


# --- writing ----------------------------------------------------------------------------------------


def test_apply_creates_accounts_and_records_without_password_or_email(opd, admin, db, outbox):
    rows = check(
        csv_bytes([person(1), person(2, nip_atasan=nip(1), status="PPPK", golongan="IX",
                                     nip=nip(2, marker="21"))])
    )  # fmt: skip
    assert all(r.ok for r in rows), [messages(r) for r in rows]
    result = roster.apply(rows, admin)
    assert result == {"rows": 2, "created": 2, "updated": 0}
    profiles = {
        p.nip: p
        for p in db.session.scalars(sa.select(AsnProfile).where(AsnProfile.agency_id == opd.id))
    }
    first, second = profiles[nip(1)], profiles[nip(2, marker="21")]
    assert second.supervisor_id == first.id and first.supervisor_id is None
    assert second.status == AsnStatus.PPPK and second.golongan == "IX"
    user = db.session.get(User, first.user_id)
    assert user.roles == {Role.ASN} and user.agency_id == opd.id
    assert user.password_hash is None and user.full_name == "Pegawai Impor 1"
    assert outbox() == []
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "asn.import")).one()
    assert event.actor_id == admin.id
    assert event.detail_dict == {"rows": 2, "created": 2, "updated": 0}


def test_apply_updates_records_and_gives_existing_accounts_the_asn_role(opd, make, db):
    user = make.user(Role.ASN, agency=make.agency(), email="impor1@example.com")
    profile = make.asn_profile(user, nip=nip(1), golongan="II/a")
    mentor = make.user(Role.MENTOR, agency=opd, email="impor2@example.com")
    token_before = mentor.session_token
    boss = make.asn_profile(nip=nip(100))
    rows = check(csv_bytes([person(1, nama="Nama Baru", nip_atasan=boss.nip), person(2)]))
    assert all(r.ok for r in rows), [messages(r) for r in rows]
    assert roster.apply(rows) == {"rows": 2, "created": 1, "updated": 1}
    db.session.expire_all()
    assert profile.golongan == "III/a" and profile.agency_id == opd.id
    assert profile.supervisor_id == boss.id
    assert user.full_name == "Nama Baru" and user.agency_id == opd.id
    assert mentor.roles == {Role.ASN, Role.MENTOR}
    assert mentor.session_token != token_before


def test_apply_refuses_rows_with_errors_and_writes_nothing(opd, db):
    rows = check(csv_bytes([person(1), person(2, nip="123")]))
    before = counts(db)
    with pytest.raises(DomainError):
        roster.apply(rows)
    assert counts(db) == before


# --- screens ----------------------------------------------------------------------------------------


def test_upload_page_and_template(admin_client):
    assert admin_client.get("/admin/roster/").status_code == 200
    r = admin_client.get("/admin/roster/template.xlsx")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    workbook = openpyxl.load_workbook(io.BytesIO(r.data))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS_ID
    assert sheet["A3"].number_format == "@"  # NIP typed into the template stays text
    assert len(workbook.worksheets) == 2
    (example,) = roster.parse(r.data, "xlsx")
    assert example.number == 2 and example.values["nip"] == "198609262015051001"


def test_non_admins_cannot_import(client, login_as, make):
    login_as(make.user(Role.ASN))
    assert client.get("/admin/roster/").status_code == 403
    assert upload(client, csv_bytes([person(1)])).status_code == 403


def test_preview_writes_nothing_and_confirm_imports_all(app, admin_client, opd, db):
    before = counts(db)
    folder = imports_folder(app)
    existing = set(folder.iterdir()) if folder.exists() else set()
    r = upload(admin_client, csv_bytes([person(1), person(2, nip_atasan=nip(1))]), "../../x.csv")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Pegawai Impor 2" in html and "Confirm" in html
    assert counts(db) == before
    (stored,) = set(folder.iterdir()) - existing  # a random name of the server's, in the folder
    assert stored.suffix == ".csv" and len(stored.stem) == 32 and int(stored.stem, 16) >= 0

    r = admin_client.post("/admin/roster/confirm", data={"upload": token_of(r)})
    assert r.status_code == 302
    assert counts(db) == (before[0] + 2, before[1] + 2, before[2] + 1)
    assert "2 new ASN records" in admin_client.get(r.headers["Location"]).get_data(as_text=True)
    assert not stored.exists()


def test_confirm_updates_records_and_existing_accounts(admin_client, opd, make, db):
    user = make.user(Role.ASN, agency=opd, email="impor1@example.com")
    profile = make.asn_profile(user, nip=nip(1), golongan="II/a")
    mentor = make.user(Role.MENTOR, agency=opd, email="impor2@example.com")
    r = upload(admin_client, csv_bytes([person(1, golongan="III/c"), person(2, nip_atasan=nip(1))]))
    html = r.get_data(as_text=True)
    assert 'ASN records updated</dt><dd class="col-sm-8">1<' in html
    assert 'New ASN records</dt><dd class="col-sm-8">1<' in html
    assert (
        admin_client.post("/admin/roster/confirm", data={"upload": token_of(r)}).status_code == 302
    )
    db.session.expire_all()
    assert profile.golongan == "III/c"
    created = db.session.scalars(sa.select(AsnProfile).where(AsnProfile.user_id == mentor.id)).one()
    assert created.supervisor_id == profile.id
    assert Role.ASN in mentor.roles


def test_the_same_upload_cannot_be_confirmed_twice(admin_client, opd, db):
    token = token_of(upload(admin_client, csv_bytes([person(1)])))
    assert admin_client.post("/admin/roster/confirm", data={"upload": token}).status_code == 302
    before = counts(db)
    r = admin_client.post("/admin/roster/confirm", data={"upload": token}, follow_redirects=True)
    assert "expired or was already imported" in r.get_data(as_text=True)
    assert counts(db) == before


def test_a_file_with_a_bad_row_cannot_be_confirmed_then_the_fixed_file_imports(
    admin_client, opd, db
):
    before = counts(db)
    r = upload(admin_client, xlsx_bytes([person(1), person(2, opd="Dinas Entah")]), "r.xlsx")
    html = r.get_data(as_text=True)
    assert "Unknown OPD" in html and "Download the row errors" in html
    assert 'action="/admin/roster/confirm"' not in html
    r = admin_client.post("/admin/roster/confirm", data={"upload": token_of(r)})
    assert r.status_code == 200
    assert "nothing was imported" in r.get_data(as_text=True)
    assert counts(db) == before

    r = upload(admin_client, xlsx_bytes([person(1), person(2)]), "r.xlsx")
    r = admin_client.post("/admin/roster/confirm", data={"upload": token_of(r)})
    assert r.status_code == 302
    assert counts(db)[1] == before[1] + 2


def test_row_errors_download_lists_the_bad_rows(admin_client, opd):
    r = upload(admin_client, csv_bytes([person(1), person(2, nip="12345"), person(3)]))
    r = admin_client.get("/admin/roster/errors.xlsx", query_string={"upload": token_of(r)})
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2
    assert values[1][0] == 3 and values[1][1] == "12345"
    assert "18 digits" in values[1][-2]
    # the report has the template's headers, so the fixed report can be uploaded again
    assert list(values[0][1:9]) == HEADERS_ID


def test_formula_like_cells_stay_text_in_the_errors_download(admin_client, opd):
    r = upload(admin_client, csv_bytes([person(1, nama="=HYPERLINK(1)", opd="x")]))
    r = admin_client.get("/admin/roster/errors.xlsx", query_string={"upload": token_of(r)})
    cell = openpyxl.load_workbook(io.BytesIO(r.data)).worksheets[0]["C2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


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
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
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


def test_opd_admin_imports_only_their_own_opd(client, login_as, make, opd, db):
    other = make.agency(short_name="LAIN")
    make.position(agency=other, name="Pranata Komputer")
    login_as(make.user(Role.ADMIN, admin_agency=opd, locale="en"))
    r = upload(client, csv_bytes([person(1), person(2, opd="LAIN")]))
    html = r.get_data(as_text=True)
    assert "only the ASN of your OPD" in html
    before = counts(db)
    assert client.post("/admin/roster/confirm", data={"upload": token_of(r)}).status_code == 200
    assert counts(db) == before

    stranger = make.asn_profile(make.user(Role.ASN, agency=other, email="impor3@example.com"),
                                nip=nip(3))  # fmt: skip
    r = upload(client, csv_bytes([person(1), person(3)]))
    assert "only a city-wide administrator can move them" in r.get_data(as_text=True)
    assert stranger.agency_id == other.id

    r = upload(client, csv_bytes([person(1)]))
    assert client.post("/admin/roster/confirm", data={"upload": token_of(r)}).status_code == 302
    assert db.session.scalar(sa.select(AsnProfile.agency_id).where(AsnProfile.nip == nip(1))) == (
        opd.id
    )


def test_city_admin_imports_any_opd(admin_client, make, opd, db):
    other = make.agency(short_name="LAIN")
    r = upload(admin_client, csv_bytes([person(1), person(2, opd="LAIN", jabatan="")]))
    assert (
        admin_client.post("/admin/roster/confirm", data={"upload": token_of(r)}).status_code == 302
    )
    assert db.session.scalar(sa.select(AsnProfile.agency_id).where(AsnProfile.nip == nip(2))) == (
        other.id
    )


def test_preview_query_count_does_not_grow_with_rows(admin_client, opd, count_queries):
    def queries_for(n):
        data = csv_bytes([person(i, nip_atasan=nip(0) if i else "") for i in range(n)])
        token = admin_client.csrf_token()
        with count_queries() as counted:
            r = upload(admin_client, data, csrf_token=token)
        assert r.status_code == 200 and "Confirm" in r.get_data(as_text=True)
        return counted()

    assert queries_for(5) == queries_for(60) <= 8  # QUALITY.md P4


def test_preview_shows_at_most_the_cap_with_problem_rows_first(admin_client, opd, monkeypatch):
    from portal.competency import import_views

    monkeypatch.setattr(import_views, "PREVIEW_ROWS", 3)
    rows = [person(i) for i in range(6)] + [person(7, nip="1")]
    html = upload(admin_client, csv_bytes(rows)).get_data(as_text=True)
    assert "Showing 3 of 7 rows" in html
    assert "18 digits" in html


# --- command line -----------------------------------------------------------------------------------


def test_cli_dry_run_writes_nothing_then_real_import(app, opd, db, tmp_path, admin):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes([person(1), person(2, nip_atasan=nip(1))]))
    runner = app.test_cli_runner()
    before = counts(db)
    result = runner.invoke(import_asn, [str(path), "--dry-run", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "2 rows: 2 valid" in result.output and "Dry run" in result.output
    assert counts(db) == before

    result = runner.invoke(import_asn, [str(path), "--actor-email", admin.email, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "2 new ASN records" in result.output
    assert counts(db) == (before[0] + 2, before[1] + 2, before[2] + 1)


def test_cli_with_row_errors_exits_non_zero_and_writes_nothing(app, opd, db, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes([person(1), person(2, opd="Dinas Entah")], delimiter=";"))
    before = counts(db)
    result = app.test_cli_runner().invoke(import_asn, [str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "row 3:" in result.output and "Unknown OPD" in result.output
    assert counts(db) == before


def test_cli_refuses_unreadable_files_and_unknown_actors(app, opd, db, tmp_path, make):
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(PNG)
    result = app.test_cli_runner().invoke(import_asn, [str(bad), "--lang", "en"])
    assert result.exit_code == 1 and "not an Excel workbook" in result.output
    good = tmp_path / "roster.csv"
    good.write_bytes(csv_bytes([person(1)]))
    asn = make.user(Role.ASN)
    result = app.test_cli_runner().invoke(import_asn, [str(good), "--actor-email", asn.email])
    assert result.exit_code == 1 and "no administrator" in result.output
