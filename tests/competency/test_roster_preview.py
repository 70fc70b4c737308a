"""ASN roster import screens: the upload page and template, the preview that writes nothing,
confirming, the row-errors download, OPD and city-wide admins, and the preview's query count and
row cap."""

from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency import roster
from portal.competency.models import AsnProfile
from tests.competency import roster_support
from tests.competency.roster_support import (
    HEADERS_ID,
    counts,
    csv_bytes,
    imports_folder,
    nip,
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
    # the import's result: what happened to its people's invitations (none sent yet)
    assert r.headers["Location"].startswith("/admin/roster/imports/")
    result = admin_client.get(r.headers["Location"]).get_data(as_text=True)
    assert "2 new ASN records" in result and "Invite the 2 people of this import" in result
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

    stranger = make.asn_profile(
        make.user(Role.ASN, agency=other, email="impor3@example.com"), nip=nip(3)
    )
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
    from portal.competency.roster import views as import_views

    monkeypatch.setattr(import_views, "PREVIEW_ROWS", 3)
    rows = [person(i) for i in range(6)] + [person(7, nip="1")]
    html = upload(admin_client, csv_bytes(rows)).get_data(as_text=True)
    assert "Showing 3 of 7 rows" in html
    assert "18 digits" in html
