"""The account page and the language: name and language saved, bad values refused, fields not
on the form ignored; pages in Indonesian by default or in the chosen language, and e-mails in
the recipient's language (these tests check Indonesian on purpose)."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.auth.models import Role
from tests.accounts.support import en, registration
from tests.support.pages import field_error, flashes, fresh, text

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def test_profile_saves_name_and_language(client, db, make, login_as):
    user = make.user(Role.ASN, full_name="Yusuf Ginting")  # Indonesian, the default
    login_as(user)

    r = client.post(
        "/account",
        data={"full_name": "Yusuf Ginting, A.Md.", "locale": "en"},
        follow_redirects=True,
    )

    assert r.status_code == 200
    assert "Your profile has been saved." in flashes(r)
    user = fresh(db, user)
    assert (user.full_name, user.locale) == ("Yusuf Ginting, A.Md.", "en")
    page = text(client.get("/dashboard", headers={"Accept-Language": "id"}))
    assert "Sign out" in page and "Yusuf Ginting, A.Md." in page


def test_profile_refuses_an_unknown_language_and_an_empty_name(client, db, make, login_as):
    user = en(make, Role.ASN, full_name="Yusuf Ginting")
    login_as(user)

    r = client.post("/account", data={"full_name": " ", "locale": "fr"})

    assert r.status_code == 200
    assert field_error(r, "full_name") == "This field is required."
    assert field_error(r, "locale")
    user = fresh(db, user)
    assert (user.full_name, user.locale) == ("Yusuf Ginting", "en")


def test_profile_ignores_fields_that_are_not_on_the_form(client, db, make, login_as):
    uni = make.university()
    user = en(make, Role.STUDENT, university=uni, full_name="Dinda Aulia Putri")
    login_as(user)
    before = {
        k: getattr(user, k)
        for k in (
            "email",
            "password_hash",
            "status",
            "is_active_flag",
            "session_token",
            "university_id",
            "nim",
            "admin_agency_id",
            "rejection_reason",
            "verified_by_id",
        )
    }

    r = client.post(
        "/account",
        data={
            "full_name": "Dinda A. Putri",
            "locale": "en",
            "email": "attacker@example.com",
            "password_hash": "x",
            "status": "rejected",
            "is_active": "0",
            "is_active_flag": "",
            "session_token": "chosen-by-attacker",
            "university_id": str(make.university().id),
            "nim": "000",
            "roles": "admin",
            "admin_agency_id": "1",
            "rejection_reason": "x",
            "verified_by_id": "1",
        },
    )

    assert r.status_code == 302
    user = fresh(db, user)
    assert user.full_name == "Dinda A. Putri"
    assert {k: getattr(user, k) for k in before} == before
    assert user.roles == {Role.STUDENT}


@pytest.fixture
def compiled_catalogues(app, tmp_path_factory, monkeypatch):
    """The committed .po catalogues compiled (as ``make translations`` does) into a temporary
    folder, so the language tests do not depend on a build step having run."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = Path(__file__).resolve().parents[2] / "translations"
    target = tmp_path_factory.mktemp("translations")
    for po in source.glob("*/LC_MESSAGES/messages.po"):
        out = target / po.relative_to(source).with_suffix(".mo")
        out.parent.mkdir(parents=True)
        with po.open("rb") as f:
            catalogue = read_po(f)
        with out.open("wb") as f:
            write_mo(f, catalogue)
    babel_cfg = app.extensions["babel"]
    domain = babel_cfg.instance.domain_instance
    monkeypatch.setattr(babel_cfg, "translation_directories", [str(target)])
    domain.cache.clear()
    yield
    domain.cache.clear()


def test_pages_are_indonesian_by_default(client, make, login_as, compiled_catalogues):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    anonymous = text(client.get("/login"))
    assert 'lang="id"' in anonymous
    assert "Masuk" in anonymous

    login_as(make.user(Role.ASN))  # locale "id" (the default)
    page = text(client.get("/dashboard"))
    assert "Keluar" in page and "Sign out" not in page


def test_english_choice_renders_pages_in_english(client, make, login_as, compiled_catalogues):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE", None)
    user = make.user(Role.ASN)
    login_as(user)

    client.post("/account", data={"full_name": user.full_name, "locale": "en"})

    page = text(client.get("/dashboard", headers={"Accept-Language": "id"}))
    assert 'lang="en"' in page
    assert "Sign out" in page and "Keluar" not in page


def test_emails_are_written_in_the_recipients_language(
    client, db, make, outbox, compiled_catalogues
):
    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parents[2] / "translations/id/LC_MESSAGES/messages.po"
    with po.open("rb") as f:
        indonesian = read_po(f)["A student waits for verification"].string
    uni = make.university()
    staff_id = make.user(Role.UNIVERSITY, university=uni)  # Indonesian (the default)
    staff_en = en(make, Role.UNIVERSITY, university=uni)

    client.post("/register", data=registration(uni))  # the student's own pages are English

    assert indonesian and indonesian != "A student waits for verification"
    assert outbox(staff_id.email)[0].subject == indonesian
    assert outbox(staff_en.email)[0].subject == "A student waits for verification"
