"""Issue 17 point 7: restriction of processing (*penundaan/pembatasan*, UU PDP Pasal 11) and
objection (Pasal 10) are requests beside correction and deletion. A restriction in force flags
the person's data for the admins and takes them out of the hall of fame (optional processing);
lifting it ends that. An objection is closed as done or rejected."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from flask import current_app

from portal.auth.models import Role, User
from portal.privacy.models import DataRequest, RequestKind, RequestState, is_restricted
from portal.trainings.recognition import queries as recognition_queries
from portal.trainings.recognition import services as recognition_services
from tests.privacy.support import famous
from tests.support.pages import visible_text
from tests.support.worlds import module_world


def build_fame(make) -> SimpleNamespace:
    """A city admin and an ASN in the hall of fame (consent and an approved recognition)."""
    with current_app.test_request_context():
        admin = make.user(Role.ADMIN, locale="en", full_name="Admin Kota")
        asn_user = make.user(Role.ASN, agency=make.agency(), locale="en", full_name="Rina Siregar")
        asn = make.asn_profile(asn_user)
        recognition_services.give_consent(asn, actor=asn_user)
        famous(make, asn)
        make.session.commit()
    return SimpleNamespace(admin=admin.id, asn_user=asn_user.id, asn=asn.id)


world = module_world(build_fame)


def _fame(asn_id) -> bool:
    page = recognition_queries.hall_of_fame(agency_id=None, page=1, per_page=50)
    return asn_id in {row.asn.id for row in page.items}


def _file(client, db, world, kind) -> DataRequest:
    login = db.session.get(User, world.asn_user)
    response = client.post(
        "/privacy/my-data/requests/new",
        data={"kind": kind, "details": "Data penilaian saya.", "explanation": "Sampai Juni."},
    )
    assert response.status_code == 302, visible_text(response)
    return db.session.scalars(
        sa.select(DataRequest).where(DataRequest.user_id == login.id, DataRequest.kind == kind)
    ).one()


def test_the_request_form_offers_restriction_and_objection(client, db, world, login_as):
    login_as(db.session.get(User, world.asn_user))
    page = visible_text(client.get("/privacy/my-data/requests/new"))
    assert "Restrict the processing of my data for a while" in page
    assert "Object to how my data is processed" in page


def test_a_restriction_is_put_in_force_then_lifted(client, db, world, login_as):
    login_as(db.session.get(User, world.asn_user))
    request = _file(client, db, world, "restriction")
    assert request.state == RequestState.OPEN and _fame(world.asn)

    login_as(db.session.get(User, world.admin))
    url = f"/privacy/requests/{request.id}"
    assert "Restrict the processing now" in visible_text(client.get(url))
    # A deletion's outcome is not one of a restriction's.
    refused = client.post(f"{url}/handle", data={"outcome": "approved", "response": "x"})
    assert refused.status_code == 400
    response = client.post(
        f"{url}/handle", data={"outcome": "in_force", "response": "Dibatasi sampai Juni."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(DataRequest, request.id).state == RequestState.IN_FORCE
    assert is_restricted(world.asn_user) and not _fame(world.asn)
    page = visible_text(client.get(url))
    assert "The processing of this person's data is restricted" in page
    assert "Restriction in force" in visible_text(client.get("/privacy/requests"))

    response = client.post(f"{url}/handle", data={"outcome": "done", "response": "Dicabut."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(DataRequest, request.id).state == RequestState.DONE
    assert not is_restricted(world.asn_user) and _fame(world.asn)


def test_an_objection_is_filed_and_handled(client, db, world, login_as, outbox):
    login_as(db.session.get(User, world.asn_user))
    request = _file(client, db, world, "objection")
    assert request.kind == RequestKind.OBJECTION

    login_as(db.session.get(User, world.admin))
    url = f"/privacy/requests/{request.id}"
    response = client.post(
        f"{url}/handle", data={"outcome": "done", "response": "Pemrosesan dihentikan."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    request = db.session.get(DataRequest, request.id)
    assert request.state == RequestState.DONE and request.response == "Pemrosesan dihentikan."
    assert outbox(db.session.get(User, world.asn_user).email)
    # A deletion-only step is refused on an objection.
    again = client.post(f"{url}/handle", data={"outcome": "done", "response": "Lagi."})
    assert again.status_code == 409
