"""Certificate pages: the public check page a QR code opens, and the PDF for its holder."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user

from portal.access import PUBLIC, allow, require
from portal.auth.models import Role
from portal.certificates import numbering, pdf
from portal.certificates.display import jp_text, masked_nip
from portal.certificates.models import Certificate
from portal.certificates.services import normalise_number
from portal.db import db
from portal.extensions import limiter
from portal.i18n import _

bp = Blueprint("certificates", __name__)


@bp.record_once
def _check_numbering(state) -> None:
    """A bad number pattern or signer NIP stops the start-up with a clear message, instead of
    failing when the first certificate is issued."""
    from portal import ConfigurationError

    with state.app.app_context(), force_locale("en"):  # start-up messages are in English
        try:
            numbering.check_config(state.app.config)
        except ValueError as error:
            raise ConfigurationError(str(error)) from None


def example_numbers() -> str:
    """Sample numbers in the formats in use (the official training format first)."""
    config = current_app.config
    samples = [
        numbering.example(config[key], prefix=config["CERTIFICATE_PREFIX"])
        for key in numbering.PATTERN_KEYS.values()
        if config.get(key)
    ]
    samples.append(f"{config['CERTIFICATE_PREFIX']}-2026-7KQ4-M9XD")
    return ", ".join(dict.fromkeys(samples))


def _verify_limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_LIMIT"]


def _not_found(response) -> bool:
    """Failed look-ups count against the limit, and so do look-ups of running numbers
    (``0012/STTPP/…``): those can be walked by counting up, random ones cannot."""
    return response.status_code == 404 or getattr(response, "walkable", False)


@bp.route("/verify")
@allow(PUBLIC)
def verify_form():
    """Anyone types the number printed on a certificate (for those who cannot scan its QR
    code); a number that can be one opens its check page. Nothing is looked up here."""
    typed = request.args.get("number", type=str)
    if typed is None:
        return render_template(
            "certificates/verify_form.html", typed="", error=None, examples=example_numbers()
        )
    wanted = normalise_number(typed)
    if wanted is not None:
        return redirect(url_for("certificates.verify", number=wanted))
    error = (
        _("Type the number printed on the certificate.")
        if not typed.strip()
        else _(
            "“%(number)s” is not a certificate number: it looks like %(example)s.",
            number=typed.strip()[:40],
            example=example_numbers(),
        )
    )
    page = render_template(
        "certificates/verify_form.html", typed=typed[:60], error=error, examples=example_numbers()
    )
    return page, 400


@bp.route("/verify/<path:number>")
@allow(PUBLIC)
@limiter.limit(_verify_limit, deduct_when=_not_found)
def verify(number):
    """Anyone checks a certificate: only the holder's name (with a masked NIP), the title, the
    training's type, JP and dates, the signer, the date and whether it is valid or revoked
    are shown. Unknown numbers give a "not found" page (404); guessing is
    slowed down by a limit on failed look-ups per address."""
    wanted = normalise_number(number)
    certificate = (
        db.session.scalar(sa.select(Certificate).where(Certificate.number == wanted))
        if wanted
        else None
    )
    if certificate is None:
        response = Response(
            render_template(
                "certificates/not_found.html", number=number[:40], examples=example_numbers()
            ),
            status=404,
        )
    else:
        response = Response(
            render_template(
                "certificates/verify.html",
                certificate=certificate,
                nip=masked_nip(certificate.holder_nip),
                jp_text=jp_text,
            )
        )
        response.walkable = certificate.serial is not None
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
        # an official number holds "/", which no file name may
        f'attachment; filename="sertifikat-{certificate.number.replace("/", "-")}.pdf"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
