"""uploads.py: names never reach the disk, content must match the kind, limits hold (G11)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound

from portal import uploads
from portal.errors import DomainError

PDF = b"%PDF-1.7\n%uji\n"
NAMES = [
    "../../etc/passwd.pdf",
    "..",
    "成绩单.pdf",
    "CON.pdf",
    "a\r\nb.pdf",
    "x" * 300 + ".pdf",
    "/abs/path.pdf",
    "C:\\Windows\\evil.pdf",
    "\x00.pdf",
    "laporan.PDF",
]


def _store(data: bytes, name: str, **kw):
    return uploads.store(FileStorage(io.BytesIO(data), filename=name), allowed=("pdf",), **kw)


@pytest.mark.parametrize("name", NAMES)
def test_odd_names_are_metadata_only(app, db, name):
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    if not uploads.clean_name(name).lower().endswith(".pdf"):  # e.g. "..", "\x00.pdf" -> "pdf"
        with pytest.raises(DomainError):
            _store(PDF, name)
        return
    stored = _store(PDF, name)
    path = uploads._path_for(stored.key).resolve()
    assert root in path.parents and path.read_bytes() == PDF
    assert path.name == stored.key and stored.key.isalnum()
    assert "\n" not in stored.original_name and "/" not in stored.original_name
    assert len(stored.original_name) <= 150
    uploads.delete(stored)
    assert not path.exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<?php system($_GET['c']); ?>", "shell.php.pdf"),
        (b"<html><script>alert(1)</script></html>", "page.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "image.pdf"),
        (b"PK\x03\x04 not a pdf", "archive.pdf"),
        (PDF, "report.svg"),
        (PDF, "report.html"),
        (PDF, "noextension"),
        (b"", "empty.pdf"),
    ],
)
def test_spoofed_or_disallowed_files_are_refused_and_leave_nothing(app, db, data, name):
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    before = {p for p in root.rglob("*") if p.is_file()}
    with pytest.raises(DomainError):
        _store(data, name)
    assert {p for p in root.rglob("*") if p.is_file()} == before


def test_size_limit(app, db):
    with pytest.raises(DomainError):
        _store(PDF + b"x" * 2048, "big.pdf", max_bytes=1024)
    assert _store(PDF, "small.pdf", max_bytes=1024).size == len(PDF)


def test_download_is_an_attachment_with_a_safe_header(app, db):
    stored = _store(PDF, 'Laporan "akhir"; 成绩.pdf')
    with app.test_request_context():
        response = uploads.send(stored)
        response.direct_passthrough = False
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment")
        assert "filename*=UTF-8''" in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"
        response.close()


def test_a_file_missing_on_disk_is_a_404_not_a_server_error(app, db, caplog):
    stored = _store(PDF, "hilang.pdf")
    uploads._path_for(stored.key).unlink()
    with app.test_request_context(), pytest.raises(NotFound):
        uploads.send(stored)
    assert "missing on disk" in caplog.text
