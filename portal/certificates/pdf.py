"""The certificate as a PDF (reportlab): A4 landscape, the portal's name, the holder, the title,
the dates, the number and a QR code (segno) that opens the public check page. A training
certificate (STTPP) also carries the holder's NIP, the training type, the JP and the signing
official (DOMAIN.md §2.5); an internship certificate carries the final grade (§5.3).

The QR code is drawn as vector squares, so it prints sharply at any size. Text uses the PDF's
built-in Helvetica and the page streams are left uncompressed: the file stays small and the
number and the check address can be found in it by a plain text search.
"""

from __future__ import annotations

import io

import segno
from flask_babel import format_date
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen import canvas

from portal.certificates.display import grade_text, jp_text, nip_display
from portal.certificates.models import Certificate, CertificateKind
from portal.certificates.services import verify_url
from portal.i18n import _

PAGE_W, PAGE_H = landscape(A4)
INK = HexColor("#1f2937")
ACCENT = HexColor("#0b5394")
QR_SIZE = 112  # points (about 4 cm)


def _centred(c: canvas.Canvas, text: str, y: float, font: str, size: float, *, width=600) -> float:
    """Draw ``text`` centred, wrapped to ``width``; returns the y below the last line."""
    for line in simpleSplit(text, font, size, width) or [""]:
        c.setFont(font, size)
        c.drawCentredString(PAGE_W / 2, y, line)
        y -= size * 1.3
    return y


def _qr(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    qr = segno.make(url, error="m", micro=False)
    rows = qr.matrix
    cell = size / len(rows)
    c.setFillColor(white)
    c.rect(x - 4, y - 4, size + 8, size + 8, stroke=0, fill=1)
    c.setFillColor(INK)
    for r, row in enumerate(rows):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x + col * cell, y + size - (r + 1) * cell, cell, cell, stroke=0, fill=1)


def _dates(certificate: Certificate) -> str | None:
    if certificate.starts_on and certificate.ends_on:
        return _(
            "%(start)s to %(end)s",
            start=format_date(certificate.starts_on, "long"),
            end=format_date(certificate.ends_on, "long"),
        )
    if certificate.ends_on:
        return format_date(certificate.ends_on, "long")
    return None


def _facts(certificate: Certificate) -> str | None:
    """``Training type: Pelatihan Teknis · 24 JP`` or ``Final grade: 86.40``."""
    facts = []
    kind = certificate.training_type  # as SIASN names it, copied when issued
    if kind:
        facts.append(_("Training type: %(type)s", type=kind))
    if certificate.jp is not None:
        facts.append(_("%(jp)s JP", jp=jp_text(certificate.jp)))
    grade = grade_text(certificate)
    if grade:
        facts.append(_("Final grade: %(grade)s", grade=grade))
    return " · ".join(facts) or None


def _signature(c: canvas.Canvas, certificate: Certificate) -> None:
    """The signing official's block (place and date, position, name, NIP), between the number
    and the QR code."""
    if not certificate.signer_name:
        return
    x, width = 520, 230
    c.setFillColor(INK)
    y = 176
    c.setFont("Helvetica", 11)
    c.drawCentredString(x, y, _("Medan, %(date)s", date=format_date(certificate.issued_on, "long")))
    for line in simpleSplit(certificate.signer_position or "", "Helvetica", 11, width)[:2]:
        y -= 13
        c.drawCentredString(x, y, line)
    c.setFont("Helvetica-Bold", 11)
    name = simpleSplit(certificate.signer_name, "Helvetica-Bold", 11, width)[0]
    c.drawCentredString(x, 98, name)
    half = c.stringWidth(name, "Helvetica-Bold", 11) / 2
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(x - half, 96, x + half, 96)
    if certificate.signer_nip:
        c.setFont("Helvetica", 10)
        c.drawCentredString(x, 84, _("NIP %(nip)s", nip=nip_display(certificate.signer_nip)))


def _footer(c: canvas.Canvas, certificate: Certificate, url: str) -> None:
    """The date of issue, the number, the check address and the QR code."""
    c.setFont("Helvetica", 11)
    c.drawString(60, 96, _("Issued on %(date)s", date=format_date(certificate.issued_on, "long")))
    c.setFont("Helvetica-Bold", 12)
    c.drawString(60, 76, _("Certificate number: %(number)s", number=certificate.number))
    c.setFont("Helvetica", 8)
    c.drawString(60, 56, _("Check that this certificate is genuine by scanning the QR code or at:"))
    c.drawString(60, 45, url)
    c.linkURL(url, (60, 42, 60 + c.stringWidth(url, "Helvetica", 8), 52), relative=0)

    qr_x, qr_y = PAGE_W - 60 - QR_SIZE, 50
    _qr(c, url, qr_x, qr_y, QR_SIZE)
    c.linkURL(url, (qr_x, qr_y, qr_x + QR_SIZE, qr_y + QR_SIZE), relative=0)


def render(certificate: Certificate) -> bytes:
    """The PDF of ``certificate`` in the language of the current request."""
    buffer = io.BytesIO()
    url = verify_url(certificate.number)
    c = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H), pageCompression=0)
    c.setTitle(f"{certificate.kind.title} {certificate.number}")
    c.setAuthor(_("Sinergi · Pemerintah Kota Medan"))
    c.setSubject(url)
    c.setCreator("Sinergi")

    c.setStrokeColor(ACCENT)
    c.setLineWidth(3)
    c.rect(24, 24, PAGE_W - 48, PAGE_H - 48)
    c.setLineWidth(0.8)
    c.rect(32, 32, PAGE_W - 64, PAGE_H - 64)

    c.setFillColor(ACCENT)
    _centred(c, _("Sinergi · Pemerintah Kota Medan"), PAGE_H - 78, "Helvetica-Bold", 13)
    _centred(c, str(certificate.kind.title).upper(), PAGE_H - 135, "Helvetica-Bold", 26, width=700)
    c.setFillColor(INK)
    y = _centred(c, _("This certifies that"), PAGE_H - 185, "Helvetica", 13)
    y = _centred(c, certificate.holder_name, y - 14, "Helvetica-Bold", 24, width=640)
    if certificate.holder_nip:
        y = _centred(
            c, _("NIP %(nip)s", nip=nip_display(certificate.holder_nip)), y, "Helvetica", 12
        )
    done = {
        CertificateKind.INTERNSHIP: _("has completed the internship"),
        CertificateKind.RECOGNITION: _(
            "is recognised for verified progress in competency development"
        ),
    }.get(certificate.kind, _("has completed the training"))
    y = _centred(c, done, y - 6, "Helvetica", 13)
    y = _centred(c, certificate.title, y - 8, "Helvetica-Bold", 16)
    facts = _facts(certificate)
    if facts:
        y = _centred(c, facts, y - 4, "Helvetica", 13, width=680)
    dates = _dates(certificate)
    if dates:
        _centred(c, dates, y - 2, "Helvetica", 13)
    _signature(c, certificate)

    _footer(c, certificate, url)

    if not certificate.is_valid:
        c.saveState()
        c.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.35))
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(20)
        c.setFont("Helvetica-Bold", 80)
        c.drawCentredString(0, -20, _("REVOKED"))
        c.restoreState()

    c.showPage()
    c.save()
    return buffer.getvalue()
