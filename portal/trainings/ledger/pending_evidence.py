"""The evidence file an ASN chose on the record form, kept between the JP preview (or the form
shown again with an error) and the save: a browser never fills a file input again, so without
this the file chosen before "Show the JP first" was lost.

The file waits under a random, server-made name in ``UPLOAD_FOLDER/pending-evidence``; the form
carries a signed token (bound to the ASN, expiring after ``LEDGER_PENDING_EVIDENCE_MAX_AGE``
seconds, a day by default) naming it. Saving the record stores it through ``uploads.store``
(every content check) and removes the waiting copy; copies older than the token's lifetime
(forms never sent) are swept whenever a new one is kept.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import FileStorage

from portal import uploads
from portal.errors import DomainError
from portal.i18n import _l

_KEY = re.compile(r"^[0-9a-f]{32}$")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PendingEvidence:
    token: str
    key: str
    name: str  # the ASN's file name (cleaned), shown beside the file input

    @property
    def path(self) -> Path:
        return _folder() / self.key


def _folder() -> Path:
    return Path(uploads.root()) / "pending-evidence"


def _max_age() -> int:
    return int(current_app.config.get("LEDGER_PENDING_EVIDENCE_MAX_AGE", 24 * 3600))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="portal.ledger-pending-evidence"
    )


def _sweep(folder: Path) -> None:
    limit = time.time() - _max_age()
    for entry in os.scandir(folder):
        try:
            if _KEY.match(entry.name) and entry.stat().st_mtime < limit:
                Path(entry.path).unlink(missing_ok=True)
        except OSError:  # removed meanwhile by a parallel request
            continue


def keep(upload, *, user_id: int, allowed: tuple[str, ...]) -> PendingEvidence:
    """Keep the chosen file until the record is saved. Refuses (DomainError, the message of
    ``uploads.store``) a kind outside ``allowed`` and an empty file; the content itself is
    checked when the record is saved."""
    name = uploads.clean_name(getattr(upload, "filename", None))
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    ext = {"jpeg": "jpg"}.get(ext, ext)
    if ext not in allowed:
        raise DomainError(
            _l(
                "This kind of file is not accepted here. Allowed: %(kinds)s.",
                kinds=", ".join(k.upper() for k in allowed),
            )
        )
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    key = secrets.token_hex(16)
    stream = upload.stream
    if hasattr(stream, "seek"):
        stream.seek(0)
    size = 0
    with open(folder / key, "xb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            out.write(chunk)
    if size == 0:
        (folder / key).unlink(missing_ok=True)
        raise DomainError(_l("The file is empty."))
    token = _serializer().dumps({"k": key, "n": name, "u": user_id})
    return PendingEvidence(token=token, key=key, name=name)


def find(token: str | None, *, user_id: int) -> PendingEvidence | None:
    """The kept file a form's token names, or None when there is none, it expired, the token
    is not the portal's or belongs to someone else, or the file is gone."""
    if not token or len(token) > 500:
        return None
    try:
        payload = _serializer().loads(token, max_age=_max_age())
    except BadSignature:  # SignatureExpired included
        return None
    if not isinstance(payload, dict) or payload.get("u") != user_id:
        return None
    key, name = str(payload.get("k", "")), str(payload.get("n", ""))
    if not _KEY.match(key):
        return None
    found = PendingEvidence(token=token, key=key, name=uploads.clean_name(name))
    return found if found.path.is_file() else None


@contextmanager
def opened(pending: PendingEvidence) -> Iterator[FileStorage | None]:
    """The kept file as an upload (``uploads.store`` reads it like a file just sent), or None
    when it is gone meanwhile (saved by a parallel request of the same form)."""
    try:
        stream = open(pending.path, "rb")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        yield None
        return
    with stream:
        yield FileStorage(stream=stream, filename=pending.name)


def forget(pending: PendingEvidence | None) -> None:
    """Remove the kept file (saved with the record, or replaced by another)."""
    if pending is not None:
        pending.path.unlink(missing_ok=True)
