"""Certificate pages: the public check page a QR code opens, and the PDF for its holder."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import PUBLIC, allow, require
from portal.auth.models import Role
from portal.certificates import pdf
from portal.certificates.models import Certificate
from portal.certificates.services import normalise_number
from portal.db import db
from portal.extensions import limiter
from portal.i18n import _

bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_LIMIT"]


def _not_found(response) -> bool:
    return response.status_code == 404


@bp.route("/verify")
@allow(PUBLIC)
def verify_form():
    """Anyone types the number printed on a certificate (for those who cannot scan its QR
    code); a number that can be one opens its check page. Nothing is looked up here."""
    typed = request.args.get("number", type=str)
    if typed is None:
        return render_template("certificates/verify_form.html", typed="", error=None)
    wanted = normalise_number(typed)
    if wanted is not None:
        return redirect(url_for("certificates.verify", number=wanted))
    error = (
        _("Type the number printed on the certificate.")
        if not typed.strip()
        else _(
            "“%(number)s” is not a certificate number: it looks like SNG-2026-7KQ4-M9XD.",
            number=typed.strip()[:40],
        )
    )
    return render_template("certificates/verify_form.html", typed=typed[:60], error=error), 400


@bp.route("/verify/<number>")
@allow(PUBLIC)
@limiter.limit(_verify_limit, deduct_when=_not_found)
def verify(number):
    """Anyone checks a certificate: only the holder's name, the title, the date and whether it
    is valid or revoked are shown. Unknown numbers give a "not found" page (404); guessing is
    slowed down by a limit on failed look-ups per address."""
    wanted = normalise_number(number)
    certificate = (
        db.session.scalar(sa.select(Certificate).where(Certificate.number == wanted))
        if wanted
        else None
    )
    if certificate is None:
        response = Response(
            render_template("certificates/not_found.html", number=number[:40]), status=404
        )
    else:
        response = Response(render_template("certificates/verify.html", certificate=certificate))
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/<int:certificate_id>.pdf")
@allow(Role.STUDENT, Role.ASN, Role.ADMIN, own=(Role.STUDENT, Role.ASN))
def download(certificate_id):
    """The holder (and the admins of the issuing OPD, or city-wide) download the PDF."""
    certificate = db.session.get(Certificate, certificate_id)
    require(certificate is not None and certificate.can_download(current_user), 404)
    response = Response(pdf.render(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="sertifikat-{certificate.number}.pdf"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
