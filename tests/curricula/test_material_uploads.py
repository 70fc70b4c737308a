"""Material uploads through the pages (QUALITY.md G11): odd names stay metadata, spoofed types and
oversize files are refused with a message and leave nothing on disk, downloads are attachments."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal import uploads
from portal.curricula.models import CurriculumState, Material, MaterialVersion
from tests.curricula.materials_support import (
    EXE,
    GIF,
    JPG,
    MP4,
    PDF,
    PNG,
    WEBP,
    docx,
    file_post,
    material_world,
    plain_zip,
    pptx,
    xlsx,
)
from tests.support.pages import flashes, input_value, text

NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\win.ini.pdf",
    "/abs/path.pdf",
    "C:\\Windows\\System32\\evil.pdf",
    "laporan\x00.pdf",
    "a\r\nContent-Type: text/html\r\n.pdf",
    "x" * 400 + ".pdf",
    "成绩单 Materi Ü.pdf",
    ".pdf",
    "x.pdf.exe",
    "x.exe.pdf",
    "~/.ssh/id_rsa.pdf",
    "CON.pdf",
    "%2e%2e%2fetc%2fshadow.pdf",
]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def _add(client, module, data: bytes, name: str, title="Materi unggahan", lang="id"):
    return client.post(
        f"/curricula/modules/{module.id}/materials/new?lang={lang}",
        data=file_post(data, name, kind="file", title=title),
    )


def _material(db, title):
    return db.session.scalar(sa.select(Material).where(Material.title == title))


def _add_through_service(module, author, name):
    """Names a browser cannot send raw (CR, LF, NUL) go straight to the service the view calls."""
    from werkzeug.datastructures import FileStorage

    from portal.curricula.materials import queries as material_queries
    from portal.curricula.materials import services as material_services
    from portal.errors import DomainError

    loaded = material_queries.module(module.id)
    try:
        material_services.add_material(
            loaded,
            "file",
            "Materi unggahan",
            actor=author,
            upload=FileStorage(io.BytesIO(PDF), filename=name),
        )
    except DomainError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("name", NAMES)
def test_odd_names_are_stored_under_a_random_key_inside_the_upload_folder(
    app, client, login_as, make, db, name
):
    w = material_world(make, state=CurriculumState.DRAFT)
    login_as(w.author)
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    outside_before = _files(root.parent) - _files(root)
    before = _files(root)
    if {"\r", "\n", "\x00"} & set(name):
        with app.test_request_context("/?lang=en"):
            refusal = _add_through_service(w.module, w.author, name)
    else:
        response = _add(client, w.module, PDF, name, lang="en")
        assert response.status_code in (302, 400)
        refusal = None if response.status_code == 302 else text(response)
    outside_after = {p for p in _files(root.parent) - _files(root) if "sqlite" not in p.name}
    assert outside_after <= outside_before  # nothing written beside the upload folder
    assert not Path("etc/passwd.pdf").exists() and not (root.parent / "etc").exists()
    material = _material(db, "Materi unggahan")
    if material is None:  # no usable extension left once the name is cleaned: refused
        assert "This kind of file is not accepted here" in refusal
        assert _files(root) == before
        return
    version = db.session.scalars(
        sa.select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    stored = db.session.get(uploads.StoredFile, version.file_id)
    path = uploads._path_for(stored.key).resolve()
    assert root in path.parents and path.read_bytes() == PDF
    assert _files(root) - before == {path}
    assert stored.key.isalnum() and len(stored.key) == 32 and path.name == stored.key
    assert not {"/", "\\", "\x00", "\r", "\n"} & set(stored.original_name)
    assert len(stored.original_name) <= 150 and stored.original_name.lower().endswith(".pdf")
    download = client.get(f"/curricula/material-versions/{version.id}/download")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()


SPOOFED = [
    (b"<html><body><script>alert(1)</script></body></html>", "page.pdf"),
    (PNG, "image.pdf"),
    (plain_zip(), "notes.docx"),
    (docx(), "slides.pptx"),
    (b"just some text, not a video\n" * 4, "video.mp4"),
    (EXE, "photo.jpg"),
    (pptx(), "sheet.xlsx"),
    (PDF, "report.svg"),
    (PDF, "report.html"),
    (b"", "empty.pdf"),
]


@pytest.mark.parametrize(("data", "name"), SPOOFED, ids=[n for _d, n in SPOOFED])
def test_spoofed_types_are_refused_with_a_message_and_leave_nothing(
    app, client, login_as, make, db, data, name
):
    w = material_world(make, state=CurriculumState.DRAFT)
    login_as(w.author, client)
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    before = _files(root)
    response = client.post(
        f"/curricula/modules/{w.module.id}/materials/new?lang=en",
        data=file_post(data, name, kind="file", title="Judul yang diketik"),
    )
    assert response.status_code == 400
    page = text(response)
    assert any(m in page for m in ("is not a", "not accepted", "is empty")), page[-2000:]
    assert input_value(response, "title") == "Judul yang diketik"  # what was typed is kept
    assert _files(root) == before
    assert _material(db, "Judul yang diketik") is None


def test_oversize_file_is_refused_with_a_message_and_the_form_kept(
    app, client, login_as, make, db, monkeypatch
):
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 1024)
    w = material_world(make, state=CurriculumState.DRAFT)
    login_as(w.author)
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    before = _files(root)
    response = client.post(
        f"/curricula/modules/{w.module.id}/materials/new?lang=en",
        data=file_post(PDF + b"0" * 4096, "besar.pdf", kind="file", title="Materi besar"),
    )
    assert response.status_code == 400
    assert "larger than" in text(response)
    assert input_value(response, "title") == "Materi besar"
    assert _files(root) == before and _material(db, "Materi besar") is None
    # The same file under the limit is accepted.
    monkeypatch.setitem(app.config, "MATERIAL_MAX_BYTES", 64 * 1024)
    ok = _add(client, w.module, PDF + b"0" * 4096, "besar.pdf", title="Materi besar")
    assert ok.status_code == 302 and _material(db, "Materi besar") is not None


def test_a_request_beyond_max_content_length_is_413(app, client, login_as, make, monkeypatch):
    w = material_world(make, state=CurriculumState.DRAFT)
    login_as(w.author)
    token = client.csrf_token()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = client.post(
        f"/curricula/modules/{w.module.id}/materials/new",
        data=file_post(PDF + b"0" * 8192, "huge.pdf", kind="file", title="x", csrf_token=token),
    )
    assert response.status_code == 413


REAL = [
    (PDF, "materi.pdf", "application/pdf"),
    (docx(), "modul.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (pptx(), "slide.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (xlsx(), "data.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (MP4, "video.mp4", "video/mp4"),
    (PNG, "gambar.png", "image/png"),
    (JPG, "foto.jpeg", "image/jpeg"),
    (GIF, "animasi.gif", "image/gif"),
    (WEBP, "gambar.webp", "image/webp"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "name", "mimetype"), REAL, ids=[n for _d, n, _m in REAL])
def test_real_files_are_accepted_and_downloaded_as_attachments(
    client, login_as, make, db, data, name, mimetype
):
    w = material_world(make, state=CurriculumState.DRAFT)
    login_as(w.author)
    response = _add(client, w.module, data, name, title=f"Materi {name}")
    assert response.status_code == 302, flashes(response) or text(response)[-1500:]
    material = _material(db, f"Materi {name}")
    version = db.session.scalars(
        sa.select(MaterialVersion).where(MaterialVersion.material_id == material.id)
    ).one()
    download = client.get(f"/curricula/material-versions/{version.id}/download")
    assert download.status_code == 200 and download.data == data
    assert download.mimetype == mimetype
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()


def test_a_refused_revision_keeps_the_note_and_stores_nothing(app, client, login_as, make, db):
    w = material_world(make)
    material = make.material(w.module, kind="file")
    login_as(w.author)
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    before = _files(root)
    response = client.post(
        f"/curricula/materials/{material.id}/revise?lang=en",
        data=file_post(b"<html>not a pdf</html>", "perbaikan.pdf", change_note="Perbaikan bab 2"),
    )
    assert response.status_code == 400
    assert "is not a PDF file" in text(response)
    assert input_value(response, "change_note") == "Perbaikan bab 2"
    assert _files(root) == before
    db.session.expire_all()
    assert db.session.get(Material, material.id).version_count == 1


def test_a_failed_step_after_storing_removes_the_file(app, client, login_as, make, db, monkeypatch):
    """A step that fails once the file is on disk (here: the audit record) takes the file along."""
    from portal.curricula.materials import services as material_services

    w = material_world(make, state=CurriculumState.DRAFT)
    login_as(w.author)
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    before = _files(root)
    stored = []
    real_store = uploads.store

    def spy_store(*args, **kwargs):
        stored.append(real_store(*args, **kwargs))
        return stored[-1]

    def broken_record(*args, **kwargs):
        raise material_services.DomainError(material_services._l("Broken on purpose."))

    monkeypatch.setattr(material_services.uploads, "store", spy_store)
    monkeypatch.setattr(material_services.audit, "record", broken_record)
    response = _add(client, w.module, PDF, "materi.pdf", title="Materi gagal")
    assert response.status_code == 400 and "Broken on purpose." in flashes(response)
    assert len(stored) == 1  # the file did reach the disk, then went again
    assert _files(root) == before
    assert _material(db, "Materi gagal") is None
