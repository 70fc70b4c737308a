"""Inviting accounts: what an OPD admin may invite, where an account belongs, students (who
register themselves) and OPD admins invited by a city-wide admin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User
from tests.admin.support import count
from tests.support.pages import field_error, flashes, input_value, select_options

pytestmark = pytest.mark.usefixtures("english")  # pages in English (tests/conftest.py)


def _invite(client, **data):
    form = {
        "email": "baru@mail.example.com",
        "full_name": "Orang Baru",
        "roles": ["asn"],
        "university_id": "0",
        "agency_id": "0",
        "admin_agency_id": "0",
        "locale": "en",
    }
    form.update(data)
    return client.post("/admin/users/new", data=form, follow_redirects=True)


def test_opd_admin_invites_asn_of_their_opd(client, db, opd_admin, opd, outbox):
    r = _invite(client, roles=["asn", "mentor"], agency_id=str(opd.id), admin_agency_id=str(opd.id))

    assert "The invitation to baru@mail.example.com is on its way." in flashes(r)
    user = db.session.scalars(sa.select(User).where(User.email == "baru@mail.example.com")).one()
    assert user.roles == {Role.ASN, Role.MENTOR} and user.agency_id == opd.id
    assert user.admin_agency_id is None
    assert [m.recipient for m in outbox()] == ["baru@mail.example.com"]


def test_opd_admin_cannot_invite_university_staff(client, db, opd_admin, opd, people, outbox):
    form = client.get("/admin/users/new")
    assert set(select_options(form, "university_id")) == {"0"}  # no university to choose

    r = _invite(client, roles=["university"], agency_id=str(opd.id), admin_agency_id=str(opd.id))

    assert r.status_code == 200
    assert "As an OPD administrator you manage only the ASN and mentors of your OPD." in flashes(r)
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_opd_admin_cannot_pick_a_university_by_hand(client, db, opd_admin, opd, people, outbox):
    r = _invite(
        client,
        roles=["university"],
        university_id=str(people["uni"].id),
        admin_agency_id=str(opd.id),
    )

    assert r.status_code == 200 and field_error(r, "university_id")
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_opd_admin_cannot_invite_into_another_opd_or_an_admin(client, db, opd_admin, opd, people):
    r = _invite(client, agency_id=str(people["other_opd"].id), admin_agency_id=str(opd.id))
    assert r.status_code == 200 and field_error(r, "agency_id")

    r = _invite(client, roles=["admin"], agency_id=str(opd.id), admin_agency_id=str(opd.id))
    assert r.status_code == 200
    assert "As an OPD administrator you manage only the ASN and mentors of your OPD." in flashes(r)
    assert count(db, User, User.email == "baru@mail.example.com") == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"roles": ["university"]}, "University staff and students need a university."),
        ({"roles": ["asn"]}, "ASN and mentors need an OPD."),
        (
            {"roles": ["asn", "university"], "university_id": "uni", "agency_id": "opd"},
            "An account belongs either to a university or to an OPD, not both.",
        ),
        ({"roles": ["university"], "university_id": "uni", "admin_agency_id": "opd"}, None),
        (
            {"email": "FAJAR", "agency_id": "opd"},
            "An account with this e-mail address already exists.",
        ),
    ],
    ids=[
        "university-without-university",
        "asn-without-opd",
        "both",
        "scope-ignored-for-staff",
        "email-taken-other-case",
    ],
)
def test_invitation_placement_rules(client, db, admin, people, opd, outbox, change, message):
    values = {
        "uni": str(people["uni"].id),
        "opd": str(opd.id),
        "FAJAR": people["fajar"].email.upper(),
    }
    data = {k: values.get(v, v) if isinstance(v, str) else v for k, v in change.items()}

    r = _invite(client, **data)

    if message is None:  # accepted: the OPD scope of a non-admin is simply not stored
        user = db.session.scalars(
            sa.select(User).where(User.email == "baru@mail.example.com")
        ).one()
        assert user.admin_agency_id is None and user.roles == {Role.UNIVERSITY}
        return
    assert message in flashes(r)
    assert input_value(r, "full_name") == "Orang Baru"
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_students_cannot_be_invited(client, db, admin, people, outbox):
    """Students register themselves: the role is not offered, and forcing it is refused."""
    assert 'value="student"' not in client.get("/admin/users/new").get_data(as_text=True)

    r = _invite(client, roles=["student"], university_id=str(people["uni"].id))

    assert r.status_code == 200
    assert field_error(r, "roles")
    assert count(db, User, User.email == "baru@mail.example.com") == 0
    assert outbox() == []


def test_city_admin_invites_an_opd_admin(client, db, admin, opd):
    r = _invite(client, roles=["admin"], admin_agency_id=str(opd.id))

    assert "The invitation to baru@mail.example.com is on its way." in flashes(r)
    user = db.session.scalars(sa.select(User).where(User.email == "baru@mail.example.com")).one()
    assert user.is_admin and user.admin_agency_id == opd.id and not user.is_city_admin
