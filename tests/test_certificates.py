"""Certificates: unique random numbers, idempotent issuing, a real PDF whose QR code points to
the public check page on BASE_URL, the check page (only name, title, date and validity), 404 for
unknown numbers, revocation, and who may download the PDF."""

from __future__ import annotations

import re
from datetime import date

import pytest
import segno
import sqlalchemy as sa

from portal.auth.models import Role
from portal.certificates import services
from portal.certificates.models import Certificate
from portal.certificates.pdf import render
from portal.errors import DomainError
from tests.support.pages import visible_text

BASE = "https://sinergi.pemkomedan.go.id"
NUMBER = re.compile(r"^SNG-\d{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$")


@pytest.fixture
def portal_base(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", BASE + "/")
    return BASE


@pytest.fixture
def holder(make):
    uni = make.university(name="Universitas Rahasia Internal", short_name="URI")
    return make.user(
        Role.STUDENT,
        university=uni,
        full_name="Dinda Aulia Putri",
        email="dinda.private@example.com",
        nim="211402901",
        study_programme="S1 Prodi Internal",
    )


def _issue(holder, source_id=1, **kw):
    return services.issue_certificate(
        kind=kw.pop("kind", "internship"),
        subject=holder,
        title=kw.pop("title", "Pengembangan Aplikasi — Dinas Komunikasi dan Informatika"),
        source_type=kw.pop("source_type", "internship_placement"),
        source_id=source_id,
        starts_on=date(2026, 2, 2),
        ends_on=date(2026, 6, 26),
        issued_on=date(2026, 6, 30),
        **kw,
    )


def test_numbers_are_unique_readable_and_random(app, db, holder):
    certs = [_issue(holder, source_id=i) for i in range(1, 41)]
    numbers = [c.number for c in certs]
    assert len(set(numbers)) == 40
    assert all(NUMBER.match(n) and n.startswith("SNG-2026-") for n in numbers)
    assert numbers != sorted(numbers)  # not a counter anyone can walk


def test_a_taken_number_is_drawn_again(app, db, holder, monkeypatch):
    first = _issue(holder, source_id=1)
    drawn = iter([first.number, first.number, "SNG-2026-AAAA-BBBB"])
    monkeypatch.setattr(services, "new_number", lambda year: next(drawn))
    second = _issue(holder, source_id=2)
    assert second.number == "SNG-2026-AAAA-BBBB" and first.number != second.number


def test_issuing_is_idempotent_per_source(app, db, holder, make):
    first = _issue(holder, source_id=7)
    again = _issue(holder, source_id=7, title="Judul lain")
    assert again.id == first.id and again.title == first.title
    training = _issue(holder, source_id=7, kind="training", source_type="training")
    assert training.id != first.id
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 2
    with pytest.raises(DomainError):
        _issue(holder, source_id=8, kind="diploma")
    with pytest.raises(DomainError):
        _issue(holder, source_id=9, title="  ")


def test_the_pdf_is_real_and_its_qr_opens_the_check_page(
    app, client, login_as, db, holder, portal_base, monkeypatch
):
    cert = _issue(holder)
    seen = []
    real_make = segno.make
    monkeypatch.setattr(
        segno, "make", lambda content, **kw: seen.append(content) or real_make(content, **kw)
    )
    login_as(holder)
    r = client.get(f"/certificates/{cert.id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment;")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.data.startswith(b"%PDF") and r.data.rstrip().endswith(b"%%EOF")
    url = f"{portal_base}/certificates/verify/{cert.number}"
    assert seen == [url]
    # Rendered for a request that came in under another host name: still BASE_URL.
    with app.test_request_context("/", base_url="http://evil.example"):
        pdf = render(cert)
    assert seen == [url, url]
    assert cert.number.encode() in pdf and url.encode() in pdf
    assert b"evil.example" not in pdf and b"Dinda Aulia Putri" in pdf


def test_the_check_page_shows_only_what_it_should(client, db, holder):
    cert = _issue(holder)
    r = client.get(f"/certificates/verify/{cert.number}?lang=en")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and r.headers["X-Robots-Tag"].startswith("noindex")
    for shown in ("Dinda Aulia Putri", "Pengembangan Aplikasi", "30 June 2026", "Valid"):
        assert shown in html, shown
    for hidden in (
        "211402901",
        "dinda.private@example.com",
        "Universitas Rahasia Internal",
        "URI",
        "S1 Prodi Internal",
        "internship_placement",
    ):
        assert hidden not in html, hidden
    # Typed from paper: lower case, O for 0, I or L for 1, spaces.
    typed = cert.number.lower().replace("0", "o").replace("1", "l")
    assert client.get(f"/certificates/verify/{typed}").status_code == 200


@pytest.mark.parametrize("number", ["SNG-2026-ZZZZ-ZZZZ", "nope", "SNG-2026", "x" * 300,
                                    "SNG-2026-AAAA-BBBB-CCCC", "%00", "<script>"])  # fmt: skip
def test_unknown_numbers_get_a_not_found_page(client, db, holder, number):
    _issue(holder)
    r = client.get(f"/certificates/verify/{number}?lang=en")
    html = r.get_data(as_text=True)
    assert r.status_code == 404 and "Certificate not found" in html
    assert "<script>" not in html and "Dinda" not in html


def test_revoked_certificates_say_so(client, db, holder, login_as):
    cert = _issue(holder)
    with pytest.raises(DomainError):
        services.revoke_certificate(cert, reason=" ", actor=None)
    services.revoke_certificate(cert, reason="Data magang tidak benar", actor=None)
    with pytest.raises(DomainError, match="already"):
        services.revoke_certificate(cert, reason="lagi", actor=None)
    html = client.get(f"/certificates/verify/{cert.number}?lang=en").get_data(as_text=True)
    assert "Revoked" in html and "revoked" in html and "Valid</span>" not in html
    assert "Data magang tidak benar" not in html  # the reason is internal
    login_as(holder)  # an Indonesian reader: the PDF is in the holder's language
    assert b"DICABUT" in client.get(f"/certificates/{cert.id}.pdf").data


def test_who_downloads_the_pdf(client, login_as, db, make, holder):
    agency = make.agency()
    cert = _issue(holder, agency_id=agency.id)
    url = f"/certificates/{cert.id}.pdf"
    allowed = [holder, make.user(Role.ADMIN, admin_agency=agency), make.user(Role.ADMIN)]
    refused = [
        make.user(Role.STUDENT),
        make.user(Role.ADMIN, admin_agency=make.agency()),
        make.user(Role.ASN),
    ]
    for user in allowed:
        login_as(user)
        assert client.get(url).status_code == 200, user
    for user in refused:
        login_as(user)
        assert client.get(url).status_code == 404, user
    login_as(make.user(Role.MENTOR))
    assert client.get(url).status_code == 403
    login_as(holder)
    assert client.get("/certificates/999999.pdf").status_code == 404


def test_failed_look_ups_are_rate_limited(app, client, db, holder, monkeypatch):
    cert = _issue(holder)
    monkeypatch.setitem(app.config, "CERTIFICATE_VERIFY_LIMIT", "3 per minute")
    for _ in range(5):  # a genuine number does not use up the allowance
        assert client.get(f"/certificates/verify/{cert.number}").status_code == 200
    for _ in range(3):
        assert client.get("/certificates/verify/SNG-2026-ZZZZ-ZZZZ").status_code == 404
    assert client.get("/certificates/verify/SNG-2026-ZZZZ-ZZZY").status_code == 429


def test_a_number_can_be_typed_on_the_check_page(client, db, holder):
    """Issue 17, point 6: the public check page has a form to type a number, not only the QR
    link; what was typed stays in the field with a clear message when it cannot be a number."""
    cert = _issue(holder)
    db.session.commit()
    page = client.get("/certificates/verify?lang=en")
    assert page.status_code == 200
    text = visible_text(page)
    assert "Check a certificate" in text and "Certificate number" in text
    typed = f" {cert.number.lower()} "
    r = client.get("/certificates/verify", query_string={"number": typed})
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/certificates/verify/{cert.number}")
    assert client.get(r.headers["Location"]).status_code == 200

    empty = client.get("/certificates/verify?number=&lang=en")
    assert empty.status_code == 400
    assert "Type the number printed on the certificate." in visible_text(empty)
    wrong = client.get("/certificates/verify", query_string={"number": "ABC<b>", "lang": "en"})
    assert wrong.status_code == 400
    html = wrong.get_data(as_text=True)
    assert "“ABC&lt;b&gt;” is not a certificate number" in html
    assert 'value="ABC&lt;b&gt;"' in html and 'aria-invalid="true"' in html


def test_the_not_found_page_offers_the_form_again(client, db, holder):
    r = client.get("/certificates/verify/SNG-2026-ZZZZ-ZZZZ?lang=en")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert 'name="number"' in html and 'value="SNG-2026-ZZZZ-ZZZZ"' in html


def test_every_page_links_to_the_check_page(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/certificates/verify">Check a certificate</a>' in html
