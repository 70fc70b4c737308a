"""The privacy notice and the consent ledger (UU PDP Pasal 21-24)."""

from __future__ import annotations

import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.curricula.feedback.models import MaterialRating
from portal.privacy import retention
from portal.privacy.models import ConsentPurpose, ConsentRecord
from portal.trainings.recognition import queries as recognition_queries
from portal.trainings.recognition import services as recognition_services
from tests.privacy.support import famous, people, rated_material

HOF, FEEDBACK = ConsentPurpose.HALL_OF_FAME.value, ConsentPurpose.FEEDBACK_NAME.value


def _records(db, user, purpose):
    return list(
        db.session.scalars(
            sa.select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id, ConsentRecord.purpose == purpose)
            .order_by(ConsentRecord.id)
        )
    )


def _actions(db, user):
    return list(
        db.session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.actor_id == user.id, AuditEvent.action.like("privacy.%"))
            .order_by(AuditEvent.id)
        )
    )


def _famous_names():
    page = recognition_queries.hall_of_fame(agency_id=None, page=1, per_page=50)
    return {row.asn.user.full_name for row in page.items}


def test_notice_is_public_in_english_and_indonesian(client, app):
    english = client.get("/privacy?lang=en")
    assert english.status_code == 200
    text = english.get_data(as_text=True)
    assert '<html lang="en"' in text and "Privacy notice" in text
    assert app.config["PRIVACY_CONTACT_EMAIL"] in text
    assert "3×24" in text and "Pemerintah Kota Medan" in text
    assert app.config["PRIVACY_NOTICE_VERSION"] in text
    # The retention table follows the defaults of retention.RECORD_TYPES (months; None = kept).
    months = retention.period_months("applications_closed")
    assert "Internship applications never accepted" in text and f"{months} months" in text
    indonesian = client.get("/privacy?lang=id")
    assert indonesian.status_code == 200
    assert '<html lang="id"' in indonesian.get_data(as_text=True)


def test_notice_is_linked_from_the_footer_and_the_registration_form(client):
    html = client.get("/register").get_data(as_text=True)
    # Once in the footer, once in the notice box's help text.
    assert html.count('href="/privacy"') >= 2


def test_giving_and_withdrawing_the_feedback_name_consent(client, login_as, db, make, app):
    p = people(make)
    material = rated_material(make, (p.student, False, "Jelas sekali."), (p.other, True, "Bagus."))
    make.rating(rated_material(make), p.student, show_name=False)
    login_as(p.student)
    page = client.get("/privacy/consents")
    assert page.status_code == 200 and "Showing my name" in page.get_data(as_text=True)
    assert (
        client.post("/privacy/consents", data={"purpose": FEEDBACK, "action": "give"}).status_code
        == 302
    )
    [record] = _records(db, p.student, FEEDBACK)
    assert record.withdrawn_at is None
    assert record.notice_version == app.config["PRIVACY_NOTICE_VERSION"]
    assert app.config["PRIVACY_NOTICE_VERSION"] in client.get("/privacy/consents").get_data(
        as_text=True
    )
    # The learner then ticks "show my name" on two ratings.
    db.session.execute(
        sa.update(MaterialRating)
        .where(MaterialRating.user_id == p.student.id)
        .values(show_name=True)
    )
    client.post("/privacy/consents", data={"purpose": FEEDBACK, "action": "withdraw"})
    [record] = _records(db, p.student, FEEDBACK)
    db.session.refresh(record)
    assert record.withdrawn_at is not None
    shown = dict(
        db.session.execute(
            sa.select(MaterialRating.user_id, MaterialRating.show_name).where(
                MaterialRating.material_id == material.id
            )
        ).all()
    )
    assert shown == {p.student.id: False, p.other.id: True}  # only the learner's own
    assert not db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MaterialRating)
        .where(MaterialRating.user_id == p.student.id, MaterialRating.show_name.is_(True))
    )
    assert _actions(db, p.student) == ["privacy.consent_give", "privacy.consent_withdraw"]
    # Giving it again opens a new row: the ledger keeps both.
    client.post("/privacy/consents", data={"purpose": FEEDBACK, "action": "give"})
    assert [r.withdrawn_at is None for r in _records(db, p.student, FEEDBACK)] == [False, True]


def test_ticking_show_my_name_on_a_rating_records_the_consent(db, make):
    p = people(make)
    rated_material(make, (p.student, True, "Mantap."), (p.other, False, None))
    [record] = _records(db, p.student, FEEDBACK)
    assert record.withdrawn_at is None
    assert _records(db, p.other, FEEDBACK) == []


def test_hall_of_fame_consent_on_the_privacy_page(client, login_as, db, make):
    p = people(make)
    famous(make, p.asn)
    login_as(p.asn_user)
    assert "Appearing in the hall of fame" in client.get("/privacy/consents").get_data(as_text=True)
    client.post("/privacy/consents", data={"purpose": HOF, "action": "give"})
    assert "Rina Siregar" in _famous_names()
    assert recognition_services.current_consent(p.asn) is not None
    client.post("/privacy/consents", data={"purpose": HOF, "action": "withdraw"})
    assert "Rina Siregar" not in _famous_names()  # at once
    [record] = _records(db, p.asn_user, HOF)
    db.session.refresh(record)
    assert record.withdrawn_at is not None
    actions = _actions(db, p.asn_user)
    assert actions == ["privacy.consent_give", "privacy.consent_withdraw"]


def test_hall_of_fame_consent_given_in_trainings_is_in_the_ledger(client, login_as, db, make):
    p = people(make)
    recognition_services.give_consent(p.asn, actor=p.asn_user)
    [record] = _records(db, p.asn_user, HOF)
    assert record.withdrawn_at is None
    login_as(p.asn_user)
    html = client.get("/privacy/consents").get_data(as_text=True)
    assert "Consent given" in html and record.notice_version in html
    recognition_services.withdraw_consent(p.asn, actor=p.asn_user)
    db.session.flush()
    db.session.refresh(record)
    assert record.withdrawn_at is not None


def test_a_student_has_no_hall_of_fame_and_cannot_give_it(client, login_as, db, make):
    p = people(make)
    login_as(p.student)
    assert "hall of fame" not in client.get("/privacy/consents").get_data(as_text=True)
    response = client.post("/privacy/consents", data={"purpose": HOF, "action": "give"})
    assert response.status_code == 400
    assert "not linked to an ASN record" in response.get_data(as_text=True)
    assert _records(db, p.student, HOF) == []


def test_bad_consent_input_re_renders_with_a_message(client, login_as, db, make):
    p = people(make)
    login_as(p.student)
    response = client.post("/privacy/consents", data={"purpose": "marketing", "action": "give"})
    assert response.status_code == 400
    assert "Choose a purpose" in response.get_data(as_text=True)
    assert _actions(db, p.student) == []


def test_consent_needs_a_signed_in_user(client):
    response = client.get("/privacy/consents")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_consent_page_uses_a_fixed_number_of_queries(client, login_as, make, count_queries):
    p = people(make)
    login_as(p.asn_user)
    rated_material(make, (p.asn_user, True, None))
    with count_queries() as small:
        assert client.get("/privacy/consents").status_code == 200
    for _ in range(3):
        recognition_services.give_consent(p.asn, actor=p.asn_user)
        recognition_services.withdraw_consent(p.asn, actor=p.asn_user)
        rated_material(make, (p.asn_user, True, None))
    with count_queries() as large:
        assert client.get("/privacy/consents").status_code == 200
    assert large() == small() <= 12
