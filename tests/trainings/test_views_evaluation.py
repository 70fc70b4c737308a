"""The evaluation pages through the client: the question list, the L1 survey (once, scale
checked), the L1 results (facilitator-scoped, anonymity threshold, CSV, fixed query count), the
RTL (edit rights) and the L3 form and list."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User
from portal.competency.models import AsnProfile
from portal.curricula.models import AuthorSide, CurriculumAuthor
from portal.trainings.evaluation import l3_services
from portal.trainings.evaluation import queries as evaluation_queries
from portal.trainings.evaluation.models import ActionPlanItem, L1Response, L3Form, Respondent
from portal.trainings.evaluation.services import item_key
from portal.trainings.models import RegistrationState
from tests.trainings.evaluation_support import (
    all_ratings,
    l1_response,
    participants,
    past_batch,
    questions,
)

pytestmark = pytest.mark.usefixtures("english_only")  # they read the English texts


def _supervisor(db, registration) -> User:
    asn = db.session.get(AsnProfile, registration.asn_id)
    return db.session.get(User, db.session.get(AsnProfile, asn.supervisor_id).user_id)


# --- questions --------------------------------------------------------------------------------


def test_city_admin_edits_the_questions(client, login_as, make, db):
    login_as(make.user(Role.ADMIN))
    page = client.get("/trainings/survey-questions")
    assert page.status_code == 200 and "The material is relevant" in page.get_data(as_text=True)
    found = questions(db.session)
    data = {}
    for q in found:
        data.update({f"text_{q.id}": f"Pertanyaan {q.id}", f"position_{q.id}": q.position})
        if q.id != found[0].id:
            data[f"active_{q.id}"] = "y"
    data.update({"new_aspect": "facilities", "new_text": "Ruang kelas nyaman"})
    response = client.post("/trainings/survey-questions", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    after = questions(db.session)
    assert found[0].id not in {q.id for q in after}
    assert any(q.text == "Ruang kelas nyaman" for q in after)
    data[f"text_{found[1].id}"] = "   "
    refused = client.post("/trainings/survey-questions", data=data)
    assert refused.status_code == 400 and "is-invalid" in refused.get_data(as_text=True)


def test_switching_every_question_off_is_refused_and_keeps_the_typing(client, login_as, make, db):
    login_as(make.user(Role.ADMIN))
    found = questions(db.session)
    data = {f"text_{q.id}": f"Pertanyaan baru {q.id}" for q in found}
    data.update({f"position_{q.id}": q.position for q in found})
    response = client.post("/trainings/survey-questions", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Keep at least one question active" in page
    assert f"Pertanyaan baru {found[0].id}" in page
    db.session.expire_all()
    assert all(q.is_active and q.text is None for q in questions(db.session) if q.key)


def test_an_opd_admin_cannot_edit_the_questions(client, login_as, make):
    login_as(make.user(Role.ADMIN, admin_agency=make.agency()))
    assert client.get("/trainings/survey-questions").status_code == 403


# --- L1 survey --------------------------------------------------------------------------------


def test_the_asn_answers_the_survey_once(client, login_as, db, make):
    facilitator = make.trainings.facilitator()
    batch = past_batch(make.trainings, facilitators=[facilitator])
    (reg,) = participants(make.trainings, batch, 1, state=RegistrationState.ENROLLED)
    url = f"/trainings/registrations/{reg.id}/survey"
    login_as(reg.user)
    page = client.get(url).get_data(as_text=True)
    assert f"facilitator: {facilitator.full_name}" in page or facilitator.full_name in page
    ratings = all_ratings(db.session, batch, 4)
    bad = {**ratings, next(iter(ratings)): "9"}
    refused = client.post(url, data=bad)
    assert refused.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(L1Response.id))) == 0
    sent = client.post(url, data={**ratings, "comment": "<script>alert(1)</script>"})
    assert sent.status_code == 302
    assert client.post(url, data=ratings).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(L1Response.id))) == 1


def test_the_survey_is_not_open_before_the_last_session_nor_to_others(client, login_as, make):
    batch = make.trainings.batch()  # next week
    reg = make.trainings.registration(batch, state=RegistrationState.ENROLLED)
    login_as(reg.user)
    url = f"/trainings/registrations/{reg.id}/survey"
    assert 'type="radio"' not in client.get(url).get_data(as_text=True)
    assert client.post(url, data={}).status_code == 409
    other = make.trainings.registration(
        past_batch(make.trainings), state=RegistrationState.COMPLETED
    )
    assert client.get(f"/trainings/registrations/{other.id}/survey").status_code == 404


# --- L1 results -------------------------------------------------------------------------------


def _rated_batch(db, tmake, n, *, facilitators):
    batch = past_batch(tmake, facilitators=facilitators)
    for i, reg in enumerate(participants(tmake, batch, n)):
        l1_response(
            db.session,
            reg,
            {"material": 2},
            comment=f"Komentar {i} <script>",
            facilitator_ratings={f.id: 4 if k == 0 else 1 for k, f in enumerate(facilitators)},
        )
    return batch


def test_managers_see_everything_and_a_facilitator_only_their_own(client, login_as, db, make):
    mine, theirs = make.trainings.facilitator(), make.trainings.facilitator()
    batch = _rated_batch(db, make.trainings, 3, facilitators=[mine, theirs])
    url = f"/trainings/batches/{batch.id}/l1-results"
    login_as(make.user(Role.ADMIN))
    page = client.get(url).get_data(as_text=True)
    assert theirs.full_name in page and mine.full_name in page and "Komentar 1" in page
    assert "2.00 / 4" in page and "4.00 / 4" in page and "1.00 / 4" in page
    assert "<script>" not in page
    login_as(mine)
    page = client.get(url).get_data(as_text=True)
    assert mine.full_name in page and theirs.full_name not in page
    assert "4.00 / 4" in page and "1.00 / 4" not in page and "Komentar" not in page
    login_as(make.trainings.facilitator())
    assert client.get(url).status_code == 404
    login_as(make.user(Role.ADMIN, admin_agency=make.agency()))
    assert client.get(url).status_code == 404


def test_the_opd_admin_and_an_agency_co_author_manage_the_results(client, login_as, db, make):
    facilitator = make.trainings.facilitator()
    batch = _rated_batch(db, make.trainings, 3, facilitators=[facilitator])
    curriculum = batch.curriculum
    co_author = make.user(Role.ASN, agency=curriculum.agency)
    db.session.add(
        CurriculumAuthor(curriculum_id=curriculum.id, user_id=co_author.id, side=AuthorSide.AGENCY)
    )
    db.session.flush()
    url = f"/trainings/batches/{batch.id}/l1-results"
    for user in (make.user(Role.ADMIN, admin_agency=curriculum.agency), co_author):
        login_as(user)
        page = client.get(url).get_data(as_text=True)
        assert facilitator.full_name in page and "Komentar 0" in page
    login_as(make.trainings.asn().user)
    assert client.get(url).status_code == 404


def test_averages_wait_for_three_answers(client, login_as, db, make):
    batch = _rated_batch(db, make.trainings, 2, facilitators=[make.trainings.facilitator()])
    login_as(make.user(Role.ADMIN))
    page = client.get(f"/trainings/batches/{batch.id}/l1-results").get_data(as_text=True)
    assert "1 more needed" in page and "2.00 / 4" not in page and "Komentar" not in page
    csv = client.get(f"/trainings/batches/{batch.id}/l1-results.csv").get_data(as_text=True)
    assert csv.strip().count("\n") == 0  # headers only


def test_the_results_export_as_csv(client, login_as, db, make):
    facilitator = make.trainings.facilitator()
    batch = _rated_batch(db, make.trainings, 3, facilitators=[facilitator])
    login_as(make.user(Role.ADMIN))
    response = client.get(f"/trainings/batches/{batch.id}/l1-results.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert facilitator.full_name in body and ";2.0" in body
    assert client.get(f"/trainings/batches/{batch.id}/l1-results.pdf").status_code == 404


def test_l1_results_take_the_same_queries_at_two_sizes(client, login_as, db, make, count_queries):
    login_as(make.user(Role.ADMIN))
    counts = []
    for n, facilitators in ((3, 1), (12, 4)):
        batch = _rated_batch(
            db,
            make.trainings,
            n,
            facilitators=[make.trainings.facilitator() for _ in range(facilitators)],
        )
        with count_queries() as queries:
            assert client.get(f"/trainings/batches/{batch.id}/l1-results").status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1]


# --- RTL --------------------------------------------------------------------------------------


def test_rtl_is_written_by_the_asn_and_read_by_the_supervisor(client, login_as, db, make):
    batch = past_batch(make.trainings)
    (reg,) = participants(make.trainings, batch, 1)
    url = f"/trainings/registrations/{reg.id}/action-plan"
    login_as(reg.user)
    assert client.get(url).status_code == 200
    added = client.post(
        url, data={"text": "Menyusun SOP layanan", "due_on": "2027-03-01", "status": "planned"}
    )
    assert added.status_code == 302
    item = db.session.scalars(sa.select(ActionPlanItem)).one()
    changed = {"text": "Menyusun SOP layanan", "status": "in_progress"}
    edited = client.post(f"{url}?item={item.id}", data=changed)
    assert edited.status_code == 302
    db.session.refresh(item)
    assert item.status.value == "in_progress" and item.due_on is None
    assert client.post(url, data={"text": "", "status": "done"}).status_code == 400
    login_as(_supervisor(db, reg))
    page = client.get(url)
    assert page.status_code == 200 and "Menyusun SOP layanan" in page.get_data(as_text=True)
    assert client.post(url, data={"text": "Lain", "status": "planned"}).status_code == 404
    assert client.get(f"{url}?item={item.id}").status_code == 404
    login_as(make.trainings.asn().user)
    assert client.get(url).status_code == 404
    login_as(make.user(Role.ADMIN))
    assert "Menyusun SOP layanan" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"text": "Lain", "status": "planned"}).status_code == 403


# --- L3 ---------------------------------------------------------------------------------------


def test_the_supervisor_answers_the_l3_form_once(app, client, login_as, db, make):
    batch = past_batch(make.trainings, completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"])
    (reg,) = participants(make.trainings, batch, 1)
    db.session.add(ActionPlanItem(registration_id=reg.id, text="Melatih rekan kerja"))
    l3_services.send_due_forms()
    form = db.session.scalars(
        sa.select(L3Form).where(L3Form.respondent == Respondent.SUPERVISOR)
    ).one()
    competency_id = batch.curriculum.targets[0].competency_id
    supervisor = _supervisor(db, reg)
    login_as(supervisor)
    listing = client.get("/trainings/l3").get_data(as_text=True)
    assert batch.title in listing and f"/trainings/l3/{form.id}" in listing
    page = client.get(f"/trainings/l3/{form.id}").get_data(as_text=True)
    assert "Melatih rekan kerja" in page and "Applies what was learned" in page
    assert (
        client.post(f"/trainings/l3/{form.id}", data={f"c{competency_id}": "7"}).status_code == 400
    )
    done = client.post(f"/trainings/l3/{form.id}", data={f"c{competency_id}": "2"})
    assert done.status_code == 302
    db.session.refresh(form)
    assert form.answered_at is not None and [r.rating for r in form.ratings] == [2]
    assert (
        client.post(f"/trainings/l3/{form.id}", data={f"c{competency_id}": "4"}).status_code == 409
    )
    assert f"/trainings/l3/{form.id}" not in client.get("/trainings/l3").get_data(as_text=True)
    assert evaluation_queries.pending_count(supervisor) == 0
    login_as(reg.user)
    assert client.get(f"/trainings/l3/{form.id}").status_code == 404


def test_survey_field_names_follow_question_and_facilitator(db, make):
    facilitator = make.trainings.facilitator()
    question = next(q for q in questions(db.session) if q.per_facilitator)
    assert item_key(question, facilitator) == f"q{question.id}_f{facilitator.id}"
    assert item_key(question, None) == f"q{question.id}"


NASTY = ["\x00", "9" * 400, "-1", "1e9", "<b>x</b>", "0000-00-00", "9999-99-99", " "]


def test_nasty_input_never_gives_a_server_error(app, client, login_as, db, make):
    batch = past_batch(
        make.trainings,
        facilitators=[make.trainings.facilitator()],
        completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"],
    )
    (reg,) = participants(make.trainings, batch, 1)
    l3_services.send_due_forms()
    form = db.session.scalars(sa.select(L3Form).where(L3Form.respondent == Respondent.ASN)).one()
    keys = list(all_ratings(db.session, batch))
    competency_id = batch.curriculum.targets[0].competency_id
    posts = {
        f"/trainings/registrations/{reg.id}/survey": [*keys, "comment"],
        f"/trainings/registrations/{reg.id}/action-plan": ["text", "due_on", "status"],
        f"/trainings/l3/{form.id}": [f"c{competency_id}", "comment"],
    }
    login_as(reg.user)
    for url, names in posts.items():
        for value in NASTY:
            response = client.post(url, data=dict.fromkeys(names, value))
            assert response.status_code < 500, (url, value)
    login_as(make.user(Role.ADMIN))
    q = questions(db.session)[0]
    for value in NASTY:
        data = {
            f"text_{q.id}": value,
            f"position_{q.id}": value,
            "new_aspect": value,
            "new_text": value,
        }
        assert client.post("/trainings/survey-questions", data=data).status_code < 500, value


def test_my_l3_forms_take_the_same_queries_at_two_sizes(
    app, client, login_as, db, make, count_queries
):
    supervisor = make.trainings.asn()
    user = db.session.get(User, supervisor.user_id)
    login_as(user)
    counts = []
    for n in (1, 6):
        batch = past_batch(make.trainings, completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"])
        for _ in range(n):
            make.trainings.registration(
                batch, make.trainings.asn(supervisor=supervisor), state=RegistrationState.COMPLETED
            )
        l3_services.send_due_forms()
        with count_queries() as queries:
            page = client.get("/trainings/l3")
        assert page.status_code == 200 and batch.title in page.get_data(as_text=True)
        counts.append(queries())
    assert counts[0] == counts[1]
