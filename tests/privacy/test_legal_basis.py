"""Issue 17 point 7, the registration notice: what the service needs rests on the internship
agreement (contract) and the city's public task (UU PDP Pasal 20(2) huruf b, e), consent is
asked only for what is optional, and what the person accepted is stored with the notice
version."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.privacy.models import ConsentPurpose, ConsentRecord, NoticeAcceptance
from tests.accounts.support import registration
from tests.support.pages import visible_text
from tests.support.worlds import module_world


def build_university(make) -> SimpleNamespace:
    """A university to register at."""
    uni = make.university()
    make.session.commit()
    return SimpleNamespace(university_id=uni.id)


world = module_world(build_university)


def _university(db, world):
    from portal.institutions.models import University

    return db.session.get(University, world.university_id)


def _user(db, email) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def test_the_registration_form_states_the_legal_basis_and_asks_consent_only_for_options(
    client, world
):
    page = visible_text(client.get("/register?lang=en"))
    assert "Performance of a contract (UU PDP Article 20(2)(b))" in page
    assert "public task (Article 20(2)(e))" in page
    assert "Your consent (UU PDP Article 20(2)(a))" in page
    # The service's own processing is not presented as consent any more.
    assert "I agree that my university and the City of Medan process my data" not in page
    assert "I have read the privacy notice." in page
    assert "Optional: show my name with the feedback" in page


def test_the_notice_names_the_legal_basis_of_each_purpose(client):
    page = visible_text(client.get("/privacy?lang=en"))
    assert "Performance of a contract (UU PDP Article 20(2)(b))" in page
    assert "Legal obligation and public task (UU PDP Article 20(2)(c) and (e))" in page
    assert "Your consent (UU PDP Article 20(2)(a))" in page


def test_registration_stores_the_notice_version_without_optional_consent(client, db, world, app):
    data = registration(_university(db, world), email="tanpa.opsi@student.example.com")
    assert client.post("/register", data=data).status_code == 200

    user = _user(db, "tanpa.opsi@student.example.com")
    [accepted] = db.session.scalars(
        sa.select(NoticeAcceptance).where(NoticeAcceptance.user_id == user.id)
    )
    assert accepted.notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert (accepted.context, accepted.optional_purposes) == ("registration", "")
    assert (
        db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.user_id == user.id)).all()
        == []
    )
    event = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.action == "account.register", AuditEvent.target_id == user.id
        )
    ).one()
    assert app.config["PRIVACY_NOTICE_VERSION"] in event.detail


def test_registration_stores_the_optional_consent_with_the_version(client, db, world, app):
    data = registration(
        _university(db, world), email="dengan.opsi@student.example.com", consent_feedback_name="y"
    )
    assert client.post("/register", data=data).status_code == 200

    user = _user(db, "dengan.opsi@student.example.com")
    accepted = db.session.scalars(
        sa.select(NoticeAcceptance).where(NoticeAcceptance.user_id == user.id)
    ).one()
    assert accepted.optional_purposes == "feedback_name"
    [consent] = db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.user_id == user.id))
    assert consent.purpose == ConsentPurpose.FEEDBACK_NAME
    assert consent.notice_version == accepted.notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert consent.withdrawn_at is None
