"""Every uploaded file goes through here (CONVENTIONS.md §10, QUALITY.md G11).

A file is accepted only when its extension *and* its content agree with an allowed kind; it is
stored under ``UPLOAD_FOLDER`` with a random name (never the user's), and a ``StoredFile`` row
keeps the cleaned original name, type, size and sha256. Downloads are always attachments.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import abort, current_app, send_file
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow
from portal.errors import DomainError
from portal.i18n import _l

log = logging.getLogger("portal.uploads")


def _zip_holding(folder: str) -> Callable[[Path], bool]:
    """An Office Open XML check: a readable zip whose parts include ``folder`` (word/, ppt/, xl/)."""

    def check(path: Path) -> bool:
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


def _is_mp4(head: bytes) -> bool:
    """ISO base media: a box size, then ``ftyp`` at offset 4."""
    return len(head) >= 12 and head[4:8] == b"ftyp"


def _is_webp(head: bytes) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


@dataclass(frozen=True)
class Kind:
    extension: str
    mimetype: str
    magic: tuple[bytes, ...] = ()
    head_check: Callable[[bytes], bool] | None = None  # when the signature is not a prefix
    file_check: Callable[[Path], bool] | None = None  # a deeper look at the whole stored file

    def matches_head(self, head: bytes) -> bool:
        if self.head_check is not None:
            return self.head_check(head)
        return head.startswith(self.magic)


#: The kinds a feature may allow, recognised by their first bytes.
KINDS = {
    "pdf": Kind("pdf", "application/pdf", (b"%PDF-",)),
    "png": Kind("png", "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Kind("jpg", "image/jpeg", (b"\xff\xd8\xff",)),
    "gif": Kind("gif", "image/gif", (b"GIF87a", b"GIF89a")),
    "webp": Kind("webp", "image/webp", head_check=_is_webp),
    "mp4": Kind("mp4", "video/mp4", head_check=_is_mp4),
    "xlsx": Kind(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
        file_check=_zip_holding("xl/"),
    ),
    "docx": Kind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
        file_check=_zip_holding("word/"),
    ),
    "pptx": Kind(
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        (b"PK\x03\x04",),
        file_check=_zip_holding("ppt/"),
    ),
}
_ALIASES = {"jpeg": "jpg"}
_CHUNK = 1024 * 1024


class StoredFile(db.Model):
    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(64), unique=True)  # the name on disk
    original_name: Mapped[str] = mapped_column(sa.String(255))
    mimetype: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def clean_name(name: str | None) -> str:
    """The user's file name as metadata only: no path, no control characters, at most 150."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[-150:] or "file"


def root() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path_for(key: str) -> Path:
    if not key.isalnum():
        raise ValueError("bad storage key")
    return root() / key[:2] / key


def store(upload, *, allowed: tuple[str, ...], actor=None, max_bytes: int | None = None):
    """Check and keep an uploaded ``FileStorage``; returns the flushed ``StoredFile``.

    Refuses (DomainError, translated) an empty file, a file over ``max_bytes``, an extension
    outside ``allowed``, and content that does not start like the claimed kind.
    """
    name = clean_name(getattr(upload, "filename", None))
    ext = (
        _ALIASES.get(name.rsplit(".", 1)[-1].lower(), name.rsplit(".", 1)[-1].lower())
        if "." in name
        else ""
    )
    if ext not in allowed or ext not in KINDS:
        raise DomainError(
            _l(
                "This kind of file is not accepted here. Allowed: %(kinds)s.",
                kinds=", ".join(k.upper() for k in allowed),
            )
        )
    kind = KINDS[ext]
    limit = max_bytes or current_app.config["MAX_CONTENT_LENGTH"]
    key = secrets.token_hex(16)
    target = _path_for(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    stream = upload.stream
    try:
        with open(target, "xb") as out:
            while chunk := stream.read(_CHUNK):
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                size += len(chunk)
                if size > limit:
                    raise DomainError(_l("The file is larger than %(size)s.", size=_size(limit)))
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise DomainError(_l("The file is empty."))
        if not kind.matches_head(head) or (kind.file_check and not kind.file_check(target)):
            raise DomainError(
                _l("The content of this file is not a %(kind)s file.", kind=ext.upper())
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    stored = StoredFile(
        key=key,
        original_name=name,
        mimetype=kind.mimetype,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by_id=getattr(actor, "id", None),
    )
    db.session.add(stored)
    try:
        db.session.flush()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return stored


def _size(n: int) -> str:
    """A byte count for people: "25 MB", "500 KB"."""
    return f"{n // 2**20} MB" if n >= 2**20 else f"{max(n // 2**10, 1)} KB"


def discard(stored: StoredFile) -> None:
    """Remove the file on disk of a row whose transaction is being rolled back."""
    _path_for(stored.key).unlink(missing_ok=True)


def delete(stored: StoredFile) -> None:
    """Remove the row (flush) and the file on disk."""
    path = _path_for(stored.key)
    db.session.delete(stored)
    db.session.flush()
    path.unlink(missing_ok=True)


def send(stored: StoredFile):
    """Send the file as an attachment with its own type (never rendered inline); a file whose
    record exists but which is missing on disk is a logged 404, not a server error."""
    path = _path_for(stored.key)
    if not path.is_file():
        log.error("stored file %s is missing on disk", stored.key)
        abort(404)
    response = send_file(
        os.fspath(path),
        mimetype=stored.mimetype,
        as_attachment=True,
        download_name=stored.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
