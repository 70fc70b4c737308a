"""The privacy notice, consents and "Data saya" pages of the signed-in person.

The download of one's data is a POST (``privacy.export_my_data``): it writes an audit record, and
GET requests never write to the database.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from portal.access import PUBLIC, SIGNED_IN, allow, require
from portal.auth.models import Role
from portal.competency.assessments.queries import asn_for_user
from portal.db import db, utcnow
from portal.i18n import _
from portal.privacy import bp, export, queries, services
from portal.privacy import notice as notice_text
from portal.privacy.forms import ConsentForm, DataRequestForm, TokenForm
from portal.privacy.models import ConsentPurpose, DataRequest
from portal.refusals import attempt

EVERYONE = (Role.ADMIN, Role.UNIVERSITY, Role.MENTOR, Role.STUDENT, Role.ASN)


def _retention() -> list[tuple]:
    """The retention table (``PRIVACY_RETENTION``): record type, months (None: kept), counted
    from, and what happens after."""
    from portal.privacy import retention

    return [
        (t.title, retention.period_months(t.key), t.starts, t.outcome)
        for t in retention.RECORD_TYPES
    ]


@bp.route("")
@allow(PUBLIC)
def notice():
    return render_template(
        "privacy/notice.html",
        contact=current_app.config["PRIVACY_CONTACT_EMAIL"],
        version=current_app.config["PRIVACY_NOTICE_VERSION"],
        retention=_retention(),
        legal_bases=notice_text.LEGAL_BASES,
        hours=current_app.config["PRIVACY_REQUEST_HOURS"],
    )


@bp.route("/my-data")
@allow(SIGNED_IN)
def my_data():
    counts = [(section, n) for section, n in export.counts(current_user.id) if n]
    return render_template(
        "privacy/my_data.html",
        counts=counts,
        requests=queries.my_requests(current_user.id),
        token_form=TokenForm(formdata=None),
        now=utcnow(),
    )


@bp.route("/my-data/export.zip", methods=["POST"])
@allow(SIGNED_IN)
def export_my_data():
    form = TokenForm()
    if not form.validate_on_submit():
        flash(_("The download could not start. Please try again."), "danger")
        return redirect(url_for("privacy.my_data"))
    archive = export.write_archive(current_user.id)
    services.record_export(current_user, actor=current_user)
    db.session.commit()
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"data-saya-{utcnow():%Y%m%d}.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- consents -----------------------------------------------------------------------------------


def _consent_page(form=None, status=200):
    asn = asn_for_user(current_user.id)
    purposes = services.applicable_purposes(current_user)
    return render_template(
        "privacy/consents.html",
        states=queries.consents(current_user, purposes, asn),
        form=form or ConsentForm(formdata=None),
    ), status


@bp.route("/consents")
@allow(SIGNED_IN)
def consents():
    return _consent_page()


@bp.route("/consents", methods=["POST"])
@allow(SIGNED_IN)
def change_consent():
    form = ConsentForm()
    if not form.validate_on_submit():
        flash(_("Choose a purpose and whether you give or withdraw your consent."), "danger")
        return _consent_page(form, 400)
    purpose = ConsentPurpose(form.purpose.data)

    def change():
        if form.action.data == "give":
            services.give_consent(current_user, purpose, actor=current_user)
            return _("Your consent is recorded: %(purpose)s.", purpose=purpose.title)
        services.withdraw_consent(current_user, purpose, actor=current_user)
        return _("Your consent is withdrawn, effective now: %(purpose)s.", purpose=purpose.title)

    done = attempt(change)
    if not done:
        return _consent_page(form, 400)
    flash(done.value, "success")
    return redirect(url_for("privacy.consents"))


# --- the person's own requests ---------------------------------------------------------------------


@bp.route("/my-data/requests/new", methods=["GET", "POST"])
@allow(SIGNED_IN)
def new_request():
    form = DataRequestForm()
    if form.validate_on_submit():
        done = attempt(
            lambda: services.create_request(
                current_user,
                kind=form.kind.data,
                details=form.details.data,
                explanation=form.explanation.data,
            ),
            form=form,
            success=_(
                "Your request is recorded. It is handled within %(hours)d hours.",
                hours=current_app.config["PRIVACY_REQUEST_HOURS"],
            ),
        )
        if done:
            return redirect(url_for("privacy.my_request", data_request_id=done.value.id))
    status = 400 if form.errors else 200
    return render_template("privacy/request_form.html", form=form), status


@bp.route("/my-data/requests/<int:data_request_id>")
@allow(SIGNED_IN, own=EVERYONE)
def my_request(data_request_id: int):
    request: DataRequest | None = queries.data_request(data_request_id)
    require(request is not None and request.user_id == current_user.id, 404)
    return render_template("privacy/my_request.html", req=request, now=utcnow())
