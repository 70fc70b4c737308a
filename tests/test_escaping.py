"""Text built from a user's value is escaped wherever a page shows it (QUALITY.md V1.2.1)."""

from __future__ import annotations

from markupsafe import escape

from portal.auth.models import Role
from portal.i18n import _l

PAYLOAD = "<script>alert(1)</script>"


def test_lazy_strings_are_escaped_by_jinja(app):
    with app.test_request_context("/?lang=en"):
        message = _l(
            "Another institution already uses this name or short name: %(name)s", name=PAYLOAD
        )
        assert "<script>" not in str(escape(message))
        rendered = app.jinja_env.from_string("{{ m }}").render(m=message)
        assert "&lt;script&gt;" in rendered and "<script>" not in rendered


def test_institution_name_in_a_refusal_is_escaped(client, login_as, make):
    make.university(name=PAYLOAD + " Universitas", short_name="XSS")
    login_as(make.user(Role.ADMIN, locale="en"))
    r = client.post(
        "/admin/universities/new", data={"name": PAYLOAD + " Universitas", "short_name": "NEW"}
    )
    html = r.get_data(as_text=True)
    assert "Another institution already uses" in html
    assert "<script>alert(1)</script>" not in html


def test_level_descriptor_in_the_self_assessment_is_escaped(client, login_as, make, db):
    opd = make.agency()
    comp = make.competency(agency=opd, name="Kompetensi " + PAYLOAD)
    comp.current_version.levels[0].description = PAYLOAD
    db.session.flush()
    position = make.position(agency=opd, competencies=[comp])
    asn = make.asn_profile(make.user(Role.ASN, agency=opd), position=position)
    login_as(asn.user)
    for url in ("/competency/self-assessment", "/competency/", "/competency/plan"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, url
        assert "&lt;script&gt;" in html, url
