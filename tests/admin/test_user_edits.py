"""Changing accounts: deactivation ends sessions, an admin cannot lock themselves out, role
changes are audited, and the edit form changes only what it shows."""

from __future__ import annotations

import html
import re

import pytest

from portal.auth import passwords
from portal.auth.models import Role
from tests.admin.support import en, events
from tests.support.factories import PASSWORD
from tests.support.pages import flashes, fresh

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def browser_form(response) -> dict:
    """What a browser would send for the page's main form (the one without an ``action``: it
    posts to the page itself) as it is shown."""
    body = response.get_data(as_text=True)
    form = re.search(r'<form method="post" novalidate>(.*?)</form>', body, re.S).group(1)
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'\bname="([^"]*)"', tag)
        if not name:
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        value = html.unescape(value.group(1)) if value else ""
        if 'type="checkbox"' in tag:
            if re.search(r"\bchecked\b", tag):
                data.setdefault(name.group(1), []).append(value)
        else:
            data[name.group(1)] = value
    for name, options in re.findall(
        r'<select[^>]*\bname="([^"]*)"[^>]*>(.*?)</select>', form, re.S
    ):
        chosen = re.findall(r"<option([^>]*)>", options)
        picked = next((o for o in chosen if re.search(r"\bselected\b", o)), chosen[0])
        data[name] = html.unescape(re.search(r'value="([^"]*)"', picked).group(1))
    return data


def test_deactivating_a_user_ends_their_sessions(client, db, app, admin, people, login_as):
    andi = people["andi"]
    victim = login_as(andi, app.test_client())
    assert victim.get("/dashboard").status_code == 200
    token_before = andi.session_token

    r = client.post(f"/admin/users/{andi.id}/deactivate", follow_redirects=True)

    assert "Andi Wijaya has been deactivated; their sessions have ended." in flashes(r)
    andi = fresh(db, andi)
    assert andi.is_active_flag is False and andi.session_token != token_before
    gone = victim.get("/dashboard")
    assert gone.status_code == 302 and "/login" in gone.headers["Location"]
    assert events(db, "account.deactivate", target_id=andi.id)[0].actor_id == admin.id

    signin = app.test_client()
    signin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    r = signin.post("/login", data={"email": andi.email, "password": PASSWORD})
    assert r.status_code == 200
    assert any("deactivated" in f for f in flashes(r))

    r = client.post(f"/admin/users/{andi.id}/reactivate", follow_redirects=True)
    assert "Andi Wijaya is active again." in flashes(r)
    assert (
        signin.post("/login", data={"email": andi.email, "password": PASSWORD}).status_code == 302
    )


def test_admin_cannot_deactivate_themselves(client, db, admin):
    r = client.post(f"/admin/users/{admin.id}/deactivate", follow_redirects=True)

    assert "You cannot deactivate your own account." in flashes(r)
    assert fresh(db, admin).is_active_flag is True
    assert client.get("/admin/users").status_code == 200  # still signed in


def test_admin_cannot_remove_their_own_admin_role(client, db, admin, opd):
    r = client.post(
        f"/admin/users/{admin.id}",
        data={
            "full_name": admin.full_name,
            "roles": ["asn"],
            "agency_id": str(opd.id),
            "university_id": "0",
            "admin_agency_id": "0",
        },
    )

    assert r.status_code == 200
    assert "You cannot remove your own administrator role." in flashes(r)
    assert fresh(db, admin).roles == {Role.ADMIN}


def test_role_change_is_saved_and_audited(client, db, admin, people, opd):
    andi = people["andi"]

    r = client.post(
        f"/admin/users/{andi.id}",
        data={
            "full_name": "Andi Wijaya",
            "roles": ["asn"],
            "agency_id": str(opd.id),
            "university_id": "0",
            "admin_agency_id": "0",
        },
    )

    assert r.status_code == 302
    assert fresh(db, andi).roles == {Role.ASN}
    [event] = events(db, "account.roles", target_id=andi.id)
    assert event.detail_dict == {"after": ["asn"], "before": ["asn", "mentor"]}


def test_edit_user_ignores_fields_that_are_not_on_the_form(client, db, admin, people, make, opd):
    andi = people["andi"]
    keep = {
        k: getattr(andi, k)
        for k in (
            "email",
            "password_hash",
            "status",
            "is_active_flag",
            "session_token",
            "locale",
            "nim",
            "verified_by_id",
            "rejection_reason",
            "last_login_at",
        )
    }

    r = client.post(
        f"/admin/users/{andi.id}",
        data={
            "full_name": "Andi Wijaya, S.T.",
            "roles": ["asn", "mentor"],
            "agency_id": str(opd.id),
            "university_id": "0",
            "admin_agency_id": "0",
            "email": "attacker@mail.example.com",
            "password_hash": passwords.hash_password("x" * 12),
            "status": "rejected",
            "is_active": "0",
            "is_active_flag": "0",
            "session_token": "chosen-by-attacker",
            "locale": "id",
            "nim": "123",
            "verified_by_id": str(admin.id),
            "rejection_reason": "x",
            "id": "1",
        },
    )

    assert r.status_code == 302
    andi = fresh(db, andi)
    assert andi.full_name == "Andi Wijaya, S.T."
    assert {k: getattr(andi, k) for k in keep} == keep


def test_edit_user_cannot_make_a_student_from_staff(client, db, admin, people):
    dedi = people["dedi"]

    r = client.post(
        f"/admin/users/{dedi.id}",
        data={
            "full_name": "Dedi Purba",
            "roles": ["student"],
            "university_id": str(people["uni"].id),
            "agency_id": "0",
            "admin_agency_id": "0",
        },
    )

    assert r.status_code == 200
    assert fresh(db, dedi).roles == {Role.UNIVERSITY}


@pytest.mark.parametrize("kind", ["university", "agency"])
def test_accounts_of_a_deactivated_institution_can_still_be_edited(client, db, admin, make, kind):
    """Deactivating an institution keeps its history; its people can still be renamed."""
    if kind == "university":
        place = make.university(name="Universitas Ditutup", short_name="UDT", is_active=False)
        person = en(make, Role.UNIVERSITY, university=place, full_name="Dosen Lama")
    else:
        place = make.agency(name="Dinas Dilebur", short_name="DDL", is_active=False)
        person = en(make, Role.ASN, agency=place, full_name="Pegawai Lama")

    data = browser_form(client.get(f"/admin/users/{person.id}"))
    data["full_name"] = "Nama Diperbaiki"
    r = client.post(f"/admin/users/{person.id}", data=data)

    assert r.status_code == 302, flashes(r) or r.status_code
    person = fresh(db, person)
    assert person.full_name == "Nama Diperbaiki"
    assert (person.university_id or person.agency_id) == place.id


def test_editing_through_the_form_as_shown_changes_only_the_name(client, db, admin, people):
    andi = people["andi"]
    data = browser_form(client.get(f"/admin/users/{andi.id}"))
    assert sorted(data["roles"]) == ["asn", "mentor"]
    data["full_name"] = "Andi Wijaya, S.T."

    r = client.post(f"/admin/users/{andi.id}", data=data, follow_redirects=True)

    assert "Saved." in flashes(r)
    andi = fresh(db, andi)
    assert andi.full_name == "Andi Wijaya, S.T."
    assert andi.roles == {Role.ASN, Role.MENTOR} and andi.agency_id == people["andi"].agency_id
