"""A name that ends with a degree ends the greeting's sentence: "Welcome, Dr. Rina Siregar,
M.Pd." shows one full stop, not "M.Pd.." (issue 18, part 2, point 10e)."""

from __future__ import annotations

import types

import pytest
from markupsafe import Markup

from portal.auth import passwords
from portal.auth.models import Role
from portal.util.names import single_stop
from tests.accounts.support import sign_in
from tests.support.factories import PASSWORD
from tests.support.pages import flashes, visible_text
from tests.support.worlds import module_world

DEGREE = "Dr. Rina Siregar, M.Pd."


def build_people(make):
    """A lecturer whose name ends with a degree (signed in), one invited, one without a degree."""
    people = types.SimpleNamespace()
    people.lecturer = make.user(
        Role.UNIVERSITY, full_name=DEGREE, locale="id", email="rina.siregar@mail.example.com"
    )
    people.invited = make.user(
        Role.ASN,
        full_name="Putri Harahap, S.Sos.",
        locale="en",
        password=None,
        email="putri.harahap@mail.example.com",
    )
    people.plain = make.user(
        Role.ASN, full_name="Budi Nasution", locale="en", email="budi.nasution@mail.example.com"
    )
    return people


people = module_world(build_people)


@pytest.mark.parametrize(
    ("sentence", "name", "expected"),
    [
        ("Welcome, Dr. Rina Siregar, M.Pd..", DEGREE, "Welcome, Dr. Rina Siregar, M.Pd."),
        ("Selamat datang, Putri, S.Sos..", "Putri, S.Sos.", "Selamat datang, Putri, S.Sos."),
        ("Welcome, Budi Nasution.", "Budi Nasution", "Welcome, Budi Nasution."),
        ("Hello M.Pd., choose.", "M.Pd.", "Hello M.Pd., choose."),
        ("Welcome to Sinergi, A, M.Pd.. Choose", "A, M.Pd.", "Welcome to Sinergi, A, M.Pd. Choose"),
        ("Wait...", "", "Wait..."),
    ],
)
def test_single_stop(sentence, name, expected):
    assert single_stop(sentence, name) == expected


def test_single_stop_keeps_markup_and_compares_the_name_escaped():
    name = "Siti & Rina, M.Pd."
    sentence = Markup("Welcome, %s. Choose a password.") % name
    result = single_stop(sentence, name)
    assert isinstance(result, Markup)
    assert result == Markup("Welcome, Siti &amp; Rina, M.Pd. Choose a password.")


def test_the_welcome_after_signing_in_has_one_full_stop(client, people):
    response = sign_in(client, people.lecturer.email, PASSWORD)
    assert response.status_code == 302
    page = client.get("/dashboard")
    assert f"Selamat datang, {DEGREE}" in flashes(page)
    assert not any(".." in message for message in flashes(page))


def test_a_name_without_a_stop_keeps_the_sentences_stop(client, people):
    sign_in(client, people.plain.email, PASSWORD)
    assert "Welcome, Budi Nasution." in flashes(client.get("/dashboard"))


def test_the_invitation_page_greets_with_one_full_stop(client, people):
    token = passwords.make_token(people.invited, "invite")
    page = visible_text(client.get(f"/invitation/{token}", headers={"Accept-Language": "en"}))
    assert "Welcome to Sinergi, Putri Harahap, S.Sos. Choose a password" in page
    assert "S.Sos.." not in page
