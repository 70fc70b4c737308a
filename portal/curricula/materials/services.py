"""Writes on course materials: add, revise (a new immutable version), delete.

Every content check happens before anything is stored; a file already stored for a step that then
fails is removed from disk again (``uploads.discard``), so a refused or rolled-back step leaves no
orphan file. Services never commit (CONVENTIONS.md §2).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app

from portal import audit, uploads
from portal.curricula.models import Material, MaterialKind, MaterialVersion, Module
from portal.curricula.proposals import workflow
from portal.db import db
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.markup import MAX_SOURCE

#: File kinds a course material may be (checked by extension and content in ``uploads``).
ALLOWED_FILES = ("pdf", "docx", "pptx", "xlsx", "png", "jpg", "gif", "webp", "mp4")
URL_MAX = 500
TITLE_MAX = 200
NOTE_MAX = 500
_URL_SCHEMES = ("http", "https")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


class ContentError(FieldError):
    """A refused content (file, link or text), beside the form field it belongs to."""

    status = 400


def max_bytes() -> int:
    return current_app.config.get("MATERIAL_MAX_BYTES", 25 * 2**20)


def check_url(url: str | None) -> str:
    """The link, if it is a plain web address (http or https with a host); refuses
    ``javascript:``, ``data:``, relative and protocol-relative addresses and anything with spaces
    or control characters in it."""
    url = (url or "").strip()
    if not url:
        raise ContentError("url", _l("Enter the web address of the link."))
    if len(url) > URL_MAX:
        raise ContentError("url", _l("At most %(max)d characters.", max=URL_MAX))
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in _URL_SCHEMES
        or not parts.hostname
        or _SPACE_OR_CONTROL.search(url)
    ):
        raise ContentError(
            "url", _l("A link must be a web address that starts with http:// or https://.")
        )
    return url


def _check_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise ContentError("body", _l("Write the text of the material."))
    if len(body) > MAX_SOURCE:
        raise ContentError("body", _l("At most %(max)d characters.", max=MAX_SOURCE))
    return body


def _has_file(upload) -> bool:
    return upload is not None and bool(getattr(upload, "filename", None))


def _check_content(kind: MaterialKind, *, upload, url, body) -> dict:
    """Validate what a version will hold (nothing stored yet)."""
    if kind == MaterialKind.FILE:
        if not _has_file(upload):
            raise ContentError("file", _l("Choose a file to upload."))
        return {}
    if kind == MaterialKind.LINK:
        return {"url": check_url(url)}
    return {"body": _check_body(body)}


def _store_version(
    material: Material,
    number: int,
    content: dict,
    *,
    upload,
    actor,
    change_note: str | None,
    stored: list,
) -> MaterialVersion:
    """Store the file (if any; appended to ``stored``) and add version ``number``."""
    file = None
    if material.kind == MaterialKind.FILE:
        try:
            file = uploads.store(upload, allowed=ALLOWED_FILES, max_bytes=max_bytes(), actor=actor)
        except DomainError as exc:
            raise ContentError("file", exc.message) from exc
        stored.append(file)
    version = MaterialVersion(
        material_id=material.id,
        number=number,
        file_id=file.id if file else None,
        url=content.get("url"),
        body=content.get("body"),
        change_note=change_note,
        created_by_id=getattr(actor, "id", None),
    )
    version.file = file
    version.material = material
    db.session.add(version)
    db.session.flush()
    return version


@contextmanager
def _files_go_on_failure():
    """Files stored inside the block are removed from disk again if the block fails."""
    stored: list = []
    try:
        yield stored
    except BaseException:
        for file in stored:
            uploads.discard(file)
        raise


def add_material(
    module: Module, kind, title: str, *, actor, upload=None, url=None, body=None
) -> MaterialVersion:
    """Add a material to ``module`` with its first version; returns that version.

    Refused unless ``actor`` may edit the proposal (an author, while it is a draft or sent back),
    and when the content does not fit the kind (no file, a link that is not http(s), empty text).
    ``module.curriculum`` must have its ``authors`` loaded.
    """
    curriculum = module.curriculum
    if not workflow.can_edit(curriculum, actor):
        raise DomainError(
            _l(
                "Materials can be added only by the authors, while the proposal is a draft or "
                "sent back for changes."
            )
        )
    try:
        kind = MaterialKind(kind)
    except ValueError:
        raise ContentError("kind", _l("Choose a file, a link or a text.")) from None
    title = (title or "").strip()
    if not title or len(title) > TITLE_MAX:
        raise ContentError("title", _l("Give the material a title (at most 200 characters)."))
    content = _check_content(kind, upload=upload, url=url, body=body)
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(Material.position), 0)).where(
            Material.module_id == module.id
        )
    )
    with _files_go_on_failure() as stored:
        material = Material(
            module_id=module.id, position=position + 1, title=title, kind=kind, version_count=1
        )
        db.session.add(material)
        db.session.flush()
        version = _store_version(
            material, 1, content, upload=upload, actor=actor, change_note=None, stored=stored
        )
        audit.record(
            actor,
            "material.save",
            material,
            curriculum_id=curriculum.id,
            version=1,
            kind=kind.value,
        )
    return version


def revise_material(
    material: Material, *, actor, change_note: str, upload=None, url=None, body=None
) -> MaterialVersion:
    """Add a new version (number = previous count + 1); older versions stay as they were.

    Allowed to the authors in any state but archived (``workflow.can_revise_material``): fixing a
    published material is how a reported problem gets closed. Needs a change note. Two revisions
    at the same moment cannot get the same number: the count moves with one conditional UPDATE.
    ``material.module.curriculum`` must have its ``authors`` loaded.
    """
    curriculum = material.module.curriculum
    if not workflow.can_revise_material(curriculum, actor):
        raise DomainError(
            _l(
                "Only the authors can upload a new version, and not once the curriculum is "
                "archived."
            )
        )
    note = (change_note or "").strip()
    if not note or len(note) > NOTE_MAX:
        raise ContentError(
            "change_note", _l("Say what changed in this version (at most 500 characters).")
        )
    content = _check_content(material.kind, upload=upload, url=url, body=body)
    seen = material.version_count
    moved = db.session.execute(
        sa.update(Material)
        .where(Material.id == material.id, Material.version_count == seen)
        .values(version_count=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        raise DomainError(
            _l(
                "Someone else uploaded a version of this material at the same time. Reload the "
                "page and try again."
            )
        )
    db.session.expire(material, ["version_count"])
    with _files_go_on_failure() as stored:
        version = _store_version(
            material, seen + 1, content, upload=upload, actor=actor, change_note=note, stored=stored
        )
        audit.record(
            actor,
            "material.save",
            material,
            curriculum_id=curriculum.id,
            version=seen + 1,
        )
    return version


def delete_material(material: Material, *, actor) -> list[str]:
    """Remove a material with all its versions, ratings and flags (only while editable).

    Returns the storage keys of its files: the caller removes them from disk with
    :func:`remove_files` once the commit has gone through (rows first, then the files, so a
    failed commit never leaves a row without its file).
    """
    curriculum = material.module.curriculum
    if not workflow.can_edit(curriculum, actor):
        raise DomainError(
            _l(
                "Materials can be removed only by the authors, while the proposal is a draft or "
                "sent back for changes."
            )
        )
    file_ids = list(
        db.session.scalars(
            sa.select(MaterialVersion.file_id).where(
                MaterialVersion.material_id == material.id, MaterialVersion.file_id.is_not(None)
            )
        )
    )
    keys = (
        list(
            db.session.scalars(
                sa.select(uploads.StoredFile.key).where(uploads.StoredFile.id.in_(file_ids))
            )
        )
        if file_ids
        else []
    )
    audit.record(
        actor,
        "material.delete",
        material,
        curriculum_id=curriculum.id,
        versions=material.version_count,
    )
    # The database cascades to versions, ratings and flags; then the file rows can go.
    db.session.execute(sa.delete(Material).where(Material.id == material.id))
    if file_ids:
        db.session.execute(sa.delete(uploads.StoredFile).where(uploads.StoredFile.id.in_(file_ids)))
    return keys


def remove_files(keys: list[str]) -> None:
    """Remove stored files from disk by key (after the commit that deleted their rows)."""
    for key in keys:
        uploads.discard(uploads.StoredFile(key=key))
