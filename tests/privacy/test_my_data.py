"""“Data saya”: what the portal holds about me, and the download of all of it."""

from __future__ import annotations

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.privacy import services
from tests.privacy.support import application_with_cv, people, rated_material, read_zip


def _export(client):
    response = client.post("/privacy/my-data/export.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    return read_zip(response.get_data())


def test_the_page_lists_what_is_held_with_counts(client, login_as, make):
    p = people(make)
    application_with_cv(make, p.student)
    rated_material(make, (p.student, False, "Cukup."))
    login_as(p.student)
    html = client.get("/privacy/my-data").get_data(as_text=True)
    assert "Internship applications" in html and "Feedback on course materials" in html
    assert "Download my data" in html
    assert "Training registrations" not in html  # nothing held there: not listed


def test_the_archive_holds_my_data_and_my_files_and_nothing_of_others(client, login_as, db, make):
    p = people(make)
    mine = application_with_cv(make, p.student)
    theirs = application_with_cv(make, p.other)
    rated_material(make, (p.student, True, "Komentar saya."), (p.other, False, "Komentar lain."))
    services.create_request(p.other, kind="deletion", details="Hapus CV lama saya.")
    login_as(p.student)
    data, files = _export(client)

    assert data["account"]["email"] == p.student.email
    assert data["account"]["roles"] == ["student"]
    assert data["account"]["nim"] == p.student.nim
    sections = data["sections"]
    [application] = sections["internship_applications"]["rows"]
    assert application["id"] == mine.id and application["motivation"]
    assert [r["comment"] for r in sections["material_ratings"]["rows"]] == ["Komentar saya."]
    assert [r["purpose"] for r in sections["consents"]["rows"]] == ["feedback_name"]
    # The CV I uploaded is in files/, byte for byte.
    [(name, body)] = files.items()
    assert name.startswith("files/") and name.endswith("cv.pdf")
    assert body.startswith(b"%PDF-")
    assert [f["id"] for f in data["files"]] == [mine.cv_file_id]

    raw = str(data)
    assert theirs.id not in [r["id"] for r in sections["internship_applications"]["rows"]]
    for secret in ("Komentar lain.", "Hapus CV lama", p.other.email, "Budi Lubis"):
        assert secret not in raw
    for secret in ("password_hash", "session_token", "argon2", p.student.session_token):
        assert secret not in raw and secret not in data["account"]
    [stored] = sections["uploaded_files"]["rows"]
    assert "key" not in stored and stored["original_name"] == "cv.pdf"


def test_the_archive_names_counterparts_only_by_name(client, login_as, db, make):
    p = people(make)
    request = services.create_request(p.student, kind="correction", details="Nama salah.")
    services.handle_request(request, actor=p.city_admin, outcome="done", response="Diperbaiki.")
    login_as(p.student)
    data, _files = _export(client)
    [row] = data["sections"]["data_requests"]["rows"]
    assert row["handled_by_name"] == "Admin Kota"
    assert p.city_admin.email not in str(data)


def test_the_download_is_audited_and_a_get_writes_nothing(client, login_as, db, make):
    p = people(make)
    login_as(p.student)

    def exports():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "privacy.export", AuditEvent.actor_id == p.student.id)
        )

    client.get("/privacy/my-data")
    assert client.get("/privacy/my-data/export.zip").status_code == 405
    assert exports() == 0
    _export(client)
    assert exports() == 1


def test_the_download_refuses_a_missing_csrf_token(client, login_as, make):
    p = people(make)
    login_as(p.student)
    response = client.post("/privacy/my-data/export.zip", csrf=False)
    assert response.status_code in (302, 400)
    assert response.mimetype != "application/zip"


def test_an_asn_export_holds_the_asn_record(client, login_as, make):
    p = people(make)
    login_as(p.asn_user)
    data, _files = _export(client)
    [profile] = data["sections"]["asn_profile"]["rows"]
    assert profile["nip"] == p.asn.nip
    assert data["account"]["agency"] == p.opd.name


def test_signing_in_is_needed(client):
    for response in (client.get("/privacy/my-data"), client.post("/privacy/my-data/export.zip")):
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_page_uses_a_fixed_number_of_queries(client, login_as, make, count_queries):
    p = people(make)
    login_as(p.student)
    application_with_cv(make, p.student)
    with count_queries() as small:
        assert client.get("/privacy/my-data").status_code == 200
    for _ in range(4):
        application_with_cv(make, p.student)
        services.create_request(p.student, kind="correction", details="Salah ketik.")
    with count_queries() as large:
        assert client.get("/privacy/my-data").status_code == 200
    assert large() == small() <= 12
