"""Roster import (XLSX/CSV): upload, preview every row's validation, confirm, all or nothing.

The upload is stored under ``<UPLOAD_FOLDER>/imports/<random hex>.<ext>`` (never the user's file
name) and named in later requests by a key signed for the uploading admin, so it cannot be
forged, swapped for another file, or used by someone else. Confirming reads and checks the stored
file again: the database may have changed since the preview.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import time
from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import HiddenField

from portal.access import allow
from portal.auth import invitations
from portal.auth import queries as account_queries
from portal.auth import services as account_services
from portal.auth.forms import ConfirmForm
from portal.auth.models import Role
from portal.competency import roster
from portal.competency import roster_bp as bp
from portal.competency.roster import queries as roster_queries
from portal.forms import BaseForm
from portal.i18n import _, _l
from portal.refusals import attempt

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 200  # the preview table shows at most this many rows (those with problems first)
_KEY = re.compile(r"^[0-9a-f]{32}\.(xlsx|csv)$")


class RosterUploadForm(BaseForm):
    roster = FileField(
        _l("Roster file (.xlsx or .csv)"),
        validators=[FileRequired(message=_l("Choose a file."))],
        description=_l(
            "One row per ASN, with the column headers of the template in the first row. "
            "Nothing is saved until you confirm the preview."
        ),
    )


class RosterConfirmForm(BaseForm):
    upload = HiddenField()


# --- the stored upload ------------------------------------------------------------------------------


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / "imports"


def _max_age() -> int:
    return int(current_app.config.get("ROSTER_UPLOAD_MAX_AGE", 2 * 3600))


def _max_bytes() -> int:
    return int(current_app.config.get("ROSTER_MAX_BYTES", 10 * 1024 * 1024))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.roster-upload")


def _sweep(folder: Path) -> None:
    """Delete uploads older than the key's lifetime: previews that were never confirmed."""
    limit = time.time() - _max_age()
    for entry in os.scandir(folder):
        try:
            if _KEY.match(entry.name) and entry.stat().st_mtime < limit:
                Path(entry.path).unlink(missing_ok=True)
        except OSError:  # removed meanwhile by a parallel request
            continue


def stash_upload(data: bytes, ext: str) -> str:
    """Store the bytes under a random, server-made name and return that key (``<hex>.<ext>``)."""
    if ext not in roster.EXTENSIONS:
        raise ValueError(ext)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    key = f"{secrets.token_hex(16)}.{ext}"
    with open(folder / key, "xb") as out:
        out.write(data)
    return key


def sign_upload(key: str, user_id: int) -> str:
    """The key as the admin's forms and links carry it: signed, bound to that admin, expiring."""
    return _serializer().dumps({"k": key, "u": user_id})


def _signed_key(token: str) -> str | None:
    """The stored upload's key from a signed token; None if it expired. Aborts 400 on anything
    forged or malformed, 404 if the token belongs to another admin."""
    if not token or len(token) > 500:
        abort(400)
    try:
        payload = _serializer().loads(token, max_age=_max_age())
    except SignatureExpired:
        return None
    except BadSignature:
        abort(400)
    if not isinstance(payload, dict) or not _KEY.match(str(payload.get("k", ""))):
        abort(400)
    if payload.get("u") != current_user.id:
        abort(404)
    return payload["k"]


def _stored_rows(token: str):
    """Read and check the stored upload again; None (with a message) if it is gone or expired."""
    key = _signed_key(token)
    path = _folder() / key if key else None
    if path is None or not path.is_file():
        flash(
            _("This upload has expired or was already imported. Upload the file again."), "warning"
        )
        return None, None
    try:
        raw = roster.parse(path.read_bytes(), key.rsplit(".", 1)[1])
    except roster.RosterFileError as exc:
        flash(str(exc.message), "danger")
        return None, None
    return key, roster.validate(raw, current_user)


def _discard(key: str) -> None:
    (_folder() / key).unlink(missing_ok=True)


def _extension(filename: str | None) -> str | None:
    name = (filename or "").strip().lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    return ext if ext in roster.EXTENSIONS else None


# --- pages ------------------------------------------------------------------------------------------


def _preview(rows, token: str, *, status: int = 200):
    counts = roster.summary(rows)
    problems = [r for r in rows if not r.ok or r.warnings]
    shown = problems[:PREVIEW_ROWS]
    shown += [r for r in rows if r.ok and not r.warnings][: PREVIEW_ROWS - len(shown)]
    shown.sort(key=lambda r: r.number)
    return render_template(
        "competency/roster/preview.html",
        counts=counts,
        rows=shown,
        token=token,
        form=RosterConfirmForm(upload=token),
    ), status


@bp.route("/", methods=["GET", "POST"])
@allow(Role.ADMIN)
def upload():
    form = RosterUploadForm()
    if form.validate_on_submit():
        file = form.roster.data
        ext = _extension(file.filename)
        data = file.stream.read(_max_bytes() + 1)
        try:
            if ext is None:
                raise roster.RosterFileError(_l("Upload an .xlsx or a .csv file."))
            if len(data) > _max_bytes():
                raise roster.RosterFileError(
                    _l("The file is larger than %(mb)d MB.", mb=_max_bytes() // (1024 * 1024))
                )
            raw = roster.parse(data, ext)
        except roster.RosterFileError as exc:
            form.roster.errors.append(str(exc.message))  # a LazyString would render as markup
        else:
            rows = roster.validate(raw, current_user)
            return _preview(rows, sign_upload(stash_upload(data, ext), current_user.id))
    return render_template("competency/roster/upload.html", form=form)


@bp.route("/confirm", methods=["POST"])
@allow(Role.ADMIN)
def confirm():
    form = RosterConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    key, rows = _stored_rows(form.upload.data or "")
    if rows is None:
        return redirect(url_for("roster.upload"))
    if not all(row.ok for row in rows):
        flash(
            _("Some rows have errors: nothing was imported. Fix them and upload again."), "danger"
        )
        return _preview(rows, form.upload.data)
    done = attempt(lambda: roster.apply(rows, current_user))
    if not done:
        return redirect(url_for("roster.upload"))
    _discard(key)
    flash(
        _(
            "Roster imported: %(created)d new ASN records, %(updated)d updated.",
            created=done.value["created"],
            updated=done.value["updated"],
        ),
        "success",
    )
    return redirect(url_for("roster.import_result", import_id=done.value["import_id"]))


def _import_or_404(import_id: int):
    done = roster_queries.roster_import(import_id, current_user)
    if done is None:
        abort(404)
    return done


@bp.route("/imports/<int:import_id>")
@allow(Role.ADMIN)
def import_result(import_id):
    """What an import did and what happened to its people's invitations (nothing is sent by
    the import itself), with the step that invites them together."""
    done = _import_or_404(import_id)
    ids = roster_queries.people_ids(done, current_user)
    return render_template(
        "competency/roster/result.html",
        done=done,
        states=invitations.state_counts(ids),
        counts=invitations.counts(ids),
        people=roster_queries.people(ids),
        shown=roster_queries.SHOWN_PEOPLE,
        describe=invitations.describe,
        badge=invitations.badge,
        form=ConfirmForm(),
    )


@bp.route("/imports/<int:import_id>/invitations", methods=["POST"])
@allow(Role.ADMIN)
def invite_import(import_id):
    """Queue the invitations of the import's people never invited or whose sending failed."""
    done = _import_or_404(import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = roster_queries.people_ids(done, current_user)
    before = invitations.counts(ids)
    people = account_queries.invitable(ids, limit=account_services.BULK_INVITATION_LIMIT)
    sent = attempt(
        lambda: account_services.send_invitations(people, actor=current_user, source="import")
    )
    if sent:
        flash(invitations.bulk_outcome(sent.value, before), "success")
    return redirect(url_for("roster.import_result", import_id=done.id))


@bp.route("/errors.xlsx")
@allow(Role.ADMIN)
def errors():
    _key, rows = _stored_rows(request.args.get("upload", ""))
    if rows is None:
        return redirect(url_for("roster.upload"))
    return send_file(
        io.BytesIO(roster.errors_workbook(rows)),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name="roster-errors.xlsx",
    )


@bp.route("/template.xlsx")
@allow(Role.ADMIN)
def template():
    return send_file(
        io.BytesIO(roster.template_workbook()),
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name="roster-template.xlsx",
    )
