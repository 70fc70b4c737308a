"""The test pages through the client: authoring (managers and facilitators only, locked once
taken), taking a test once within its window, the results and their export, and recording a
passed post-test as an official assessment."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.competency.models import Assessment, AssessmentMethod, AssessmentResult
from portal.institutions.models import Agency
from portal.trainings.models import Registration, RegistrationState
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.models import QuizAttempt, QuizKind, QuizQuestion
from portal.util import clock
from tests.support.worlds import trainings
from tests.trainings.quiz_support import answers, enrolled, quiz, running_batch, target_of

PRE, POST = QuizKind.PRE, QuizKind.POST


@pytest.fixture
def login(db, login_as):
    """Sign in as ``user``, reading the pages in English (the texts the tests look for)."""

    def _login(user):
        user.locale = "en"
        db.session.flush()
        return login_as(user)

    return _login


quiz_world = trainings.quiz_world  # built once for the module


def edit_url(batch, kind="post"):
    return f"/trainings/batches/{batch.id}/tests/{kind}"


def question_form(**extra):
    data = {
        "text": "Apa kepanjangan SKP?",
        "competency_id": "0",
        "choice_1": "Sasaran Kinerja",
        "choice_2": "Surat Keputusan",
        "correct": "1",
    }
    data.update(extra)
    return data


# --- authoring ----------------------------------------------------------------------------------


def test_a_facilitator_adds_a_question(db, client, login, quiz_world):
    login(quiz_world.facilitator)
    assert client.get(edit_url(quiz_world.batch)).status_code == 200
    response = client.post(
        edit_url(quiz_world.batch), data=question_form(competency_id=str(quiz_world.target))
    )
    assert response.status_code == 302
    question = db.session.scalars(sa.select(QuizQuestion)).one()
    assert (question.text, question.competency_id) == ("Apa kepanjangan SKP?", quiz_world.target)
    assert [c.is_correct for c in question.choices] == [True, False]
    page = client.get(edit_url(quiz_world.batch)).get_data(as_text=True)
    assert "Apa kepanjangan SKP?" in page


def test_a_bad_question_keeps_what_was_typed(db, client, login, quiz_world):
    login(quiz_world.facilitator)
    response = client.post(edit_url(quiz_world.batch), data=question_form(choice_2="", correct="2"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Apa kepanjangan SKP?" in page and "Sasaran Kinerja" in page
    assert "is-invalid" in page
    assert db.session.scalar(sa.select(sa.func.count(QuizQuestion.id))) == 0


def test_editing_is_locked_with_a_message_once_taken(db, client, login, quiz_world):
    post = quiz(db.session, quiz_world.batch, POST)
    quiz_services.submit_attempt(
        post, quiz_world.batch, quiz_world.reg, actor=quiz_world.me, answers=answers(post, {0})
    )
    login(quiz_world.facilitator)
    page = client.get(edit_url(quiz_world.batch)).get_data(as_text=True)
    assert "can no longer change" in page
    response = client.post(edit_url(quiz_world.batch), data=question_form())
    assert response.status_code == 400 and "can no longer be changed" in response.get_data(
        as_text=True
    )
    question = post.questions[0]
    client.post(f"/trainings/tests/questions/{question.id}/delete")
    assert db.session.scalar(sa.select(sa.func.count(QuizQuestion.id))) == 2


def test_edit_move_delete_and_pass_mark(db, client, login, quiz_world):
    batch = quiz_world.batch
    pre = quiz(db.session, batch, PRE, [None, None])
    first, second = pre.questions
    first_id, second_id = first.id, second.id
    login(quiz_world.facilitator)
    url = f"/trainings/tests/questions/{first_id}"
    assert "Pilihan 1.1" in client.get(url).get_data(as_text=True)
    assert client.post(url, data=question_form(text="Diubah?", correct="2")).status_code == 302
    assert client.post(f"{url}/move/down").status_code == 302
    assert client.post(f"/trainings/tests/questions/{second_id}/delete").status_code == 302
    assert (
        client.post(edit_url(batch, "pre") + "/pass-mark", data={"pass_score": "60"}).status_code
        == 302
    )
    assert (
        client.post(edit_url(batch, "pre") + "/pass-mark", data={"pass_score": "101"}).status_code
        == 400
    )
    db.session.expire_all()
    remaining = db.session.scalars(sa.select(QuizQuestion)).all()
    assert [(q.id, q.text) for q in remaining] == [(first_id, "Diubah?")]
    assert [c.is_correct for c in remaining[0].choices] == [False, True]
    assert remaining[0].quiz_set.pass_score == 60


def test_outsiders_cannot_author_or_see_results(db, client, login, make, quiz_world):
    batch = quiz_world.batch
    post = quiz(db.session, batch, POST)
    for outsider in (
        make.trainings.admin(make.trainings.make.agency()),
        make.trainings.facilitator(),
        quiz_world.me,
    ):
        login(outsider)
        assert client.get(edit_url(batch)).status_code == 404
        assert client.get(f"/trainings/batches/{batch.id}/tests/results").status_code == 404
        assert (
            client.post(f"/trainings/tests/questions/{post.questions[0].id}/delete").status_code
            == 404
        )
    login(make.trainings.admin(db.session.get(Agency, batch.curriculum.agency_id)))  # a manager
    assert client.get(edit_url(batch)).status_code == 200


# --- taking a test ------------------------------------------------------------------------------


def take_url(batch, kind="post"):
    return f"/trainings/batches/{batch.id}/tests/{kind}/take"


def test_an_enrolled_asn_takes_the_test_once(db, client, login, quiz_world):
    batch = quiz_world.batch
    post = quiz(db.session, batch, POST, [quiz_world.target, None])
    given = answers(post, {0, 1})
    first, second = list(given)
    login(quiz_world.me)
    assert "Pertanyaan 1?" in client.get(take_url(batch)).get_data(as_text=True)
    partial = client.post(take_url(batch), data={f"q_{first}": str(given[first])})
    assert partial.status_code == 400
    page = partial.get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*name="(q_\d+)"[^>]*value="(\d+)"', page)
    assert checked == [(f"q_{first}", str(given[first]))]  # the chosen answer is kept
    assert "Choose an answer." in page
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 0
    done = client.post(take_url(batch), data={f"q_{q}": str(c) for q, c in given.items()})
    assert done.status_code == 302
    result = client.get(take_url(batch)).get_data(as_text=True)
    assert "100.0%" in result and "Passed" in result
    assert "Correct answer" not in result  # not revealed before the training is completed
    again = client.post(take_url(batch), data={f"q_{q}": str(c) for q, c in given.items()})
    assert again.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 1


def test_the_pre_test_closes_when_the_first_session_ends(db, client, login, make):
    batch = running_batch(make.trainings, started_hours_ago=5)
    reg, me = enrolled(db, make.trainings, batch)
    pre = quiz(db.session, batch, PRE)
    login(me)
    page = client.get(take_url(batch, "pre")).get_data(as_text=True)
    assert "closed" in page and "Submit my answers" not in page
    response = client.post(
        take_url(batch, "pre"), data={f"q_{q}": str(c) for q, c in answers(pre, {0}).items()}
    )
    assert response.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 0


def test_asn_without_a_seat_get_404(db, client, login, make, quiz_world):
    batch = quiz_world.batch
    quiz(db.session, batch, POST)
    stranger = make.trainings.asn()
    waiting = make.trainings.asn()
    make.trainings.registration(batch, waiting, state=RegistrationState.WAITLISTED)
    for profile in (stranger, waiting):
        login(db.session.get(User, profile.user_id))
        assert client.get(take_url(batch)).status_code == 404
    login(quiz_world.me)
    assert client.get(take_url(batch, "pre")).status_code == 404  # no pre-test written


# --- results ------------------------------------------------------------------------------------


def _fill(db, tmake, batch, people, questions):
    pre = quiz(db.session, batch, PRE, [target_of(batch)] * questions)
    post = quiz(db.session, batch, POST, [target_of(batch)] * questions)
    for _ in range(people):
        reg, me = enrolled(db, tmake, batch)
        quiz_services.submit_attempt(pre, batch, reg, actor=me, answers=answers(pre, {0}))
        quiz_services.submit_attempt(
            post, batch, reg, actor=me, answers=answers(post, set(range(questions)))
        )


def test_results_show_scores_gains_and_averages(db, client, login, make):
    facilitator = make.trainings.facilitator()
    batch = running_batch(make.trainings, facilitators=[facilitator])
    _fill(db, make.trainings, batch, 2, 4)
    login(facilitator)
    page = client.get(f"/trainings/batches/{batch.id}/tests/results").get_data(as_text=True)
    assert page.count("25.0%") >= 3 and page.count("+75.0") >= 3  # 2 ASN rows + the average
    csv = client.get(f"/trainings/batches/{batch.id}/tests/results.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).count(";25.0;100.0;75.0;") == 2
    xlsx = client.get(f"/trainings/batches/{batch.id}/tests/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_export_writes_nothing(db, client, login, make):
    facilitator = make.trainings.facilitator()
    batch = running_batch(make.trainings, facilitators=[facilitator])
    _fill(db, make.trainings, batch, 1, 2)
    login(facilitator)
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    client.get(f"/trainings/batches/{batch.id}/tests/results.csv")
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before


@pytest.mark.parametrize("page", ["results", "take"])
def test_pages_take_as_many_queries_for_few_and_many(db, client, login, make, count_queries, page):
    counts = []
    for people, questions in ((1, 2), (6, 7)):
        facilitator = make.trainings.facilitator()
        batch = running_batch(make.trainings, facilitators=[facilitator])
        _fill(db, make.trainings, batch, people, questions)
        if page == "results":
            login(facilitator)
            url = f"/trainings/batches/{batch.id}/tests/results"
        else:
            last = db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id)).all()[-1]
            registration = db.session.get(Registration, last.registration_id)
            login(db.session.get(User, registration.user_id))
            url = take_url(batch)
        with count_queries() as n:
            assert client.get(url).status_code == 200
        counts.append(n())
    assert counts[0] == counts[1]


# --- recording an assessment --------------------------------------------------------------------


def test_an_opd_admin_records_the_post_test_once(db, client, login, make, quiz_world):
    batch, reg = quiz_world.batch, quiz_world.reg
    post = quiz(db.session, batch, POST, [quiz_world.target, quiz_world.target])
    quiz_services.submit_attempt(
        post, batch, reg, actor=quiz_world.me, answers=answers(post, {0, 1})
    )
    url = f"/trainings/registrations/{reg.id}/post-test-assessment"
    login(make.trainings.admin(make.trainings.make.agency()))
    assert client.get(url).status_code == 404
    login(make.trainings.admin(db.session.get(Agency, reg.agency_id)))
    page = client.get(url).get_data(as_text=True)
    assert f'name="level_{quiz_world.target}"' in page
    assert re.search(r'<option selected value="3">', page)  # the target level is suggested
    response = client.post(
        url,
        data={
            f"level_{quiz_world.target}": "4",
            "assessed_on": clock.today().isoformat(),
            "assessor": "Panitia pelatihan",
            "note": "",
        },
    )
    assert response.status_code == 302
    assessment = db.session.scalars(sa.select(Assessment)).one()
    assert (assessment.method, assessment.is_official) == (
        AssessmentMethod.POST_TRAINING_TEST,
        False,  # evidence of learning (L2), never an official level (issue 17, point 1)
    )
    level = db.session.scalars(sa.select(AssessmentResult.level)).one()
    assert level == 4
    again = client.post(
        url,
        data={
            f"level_{quiz_world.target}": "4",
            "assessed_on": clock.today().isoformat(),
            "assessor": "X",
        },
    )
    assert again.status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 1
    assert "already recorded" in client.get(url).get_data(as_text=True)


def test_a_failed_post_test_cannot_be_recorded(db, client, login, make, quiz_world):
    batch, reg = quiz_world.batch, quiz_world.reg
    post = quiz(db.session, batch, POST, [quiz_world.target, quiz_world.target])
    quiz_services.submit_attempt(post, batch, reg, actor=quiz_world.me, answers=answers(post, {0}))
    login(make.trainings.admin())
    url = f"/trainings/registrations/{reg.id}/post-test-assessment"
    assert "not passed" in client.get(url).get_data(as_text=True)
    assert client.post(url, data={"assessor": "X"}).status_code == 409
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0


def test_odd_input_gives_a_message_not_a_server_error(db, client, login, make, quiz_world):
    batch, reg = quiz_world.batch, quiz_world.reg
    post = quiz(db.session, batch, POST, [quiz_world.target])
    login(quiz_world.facilitator)
    odd = [
        question_form(text="Soal\x00?", competency_id="abc"),
        question_form(correct="9", choice_1="x" * 600),
        question_form(competency_id="999999"),
        {"text": "", "correct": "1"},
    ]
    for data in odd:
        assert client.post(edit_url(batch), data=data).status_code == 400
    for value in ("abc", "-5", "10000000000000000000000"):
        response = client.post(edit_url(batch) + "/pass-mark", data={"pass_score": value})
        assert response.status_code == 400
    login(quiz_world.me)
    question = post.questions[0]
    for value in ("abc", "999999", ""):
        assert client.post(take_url(batch), data={f"q_{question.id}": value}).status_code == 400
    quiz_services.submit_attempt(post, batch, reg, actor=quiz_world.me, answers=answers(post, {0}))
    login(make.trainings.admin())
    url = f"/trainings/registrations/{reg.id}/post-test-assessment"
    for level, day in (
        ("abc", "2025-01-01"),
        ("9", "2025-01-01"),
        ("3", "kemarin"),
        ("3", "2999-01-01"),
    ):
        data = {f"level_{quiz_world.target}": level, "assessed_on": day, "assessor": "Panitia"}
        assert client.post(url, data=data).status_code in (400, 409)
    assert db.session.scalar(sa.select(sa.func.count(QuizQuestion.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0


def test_admins_see_the_post_tests_waiting_to_be_recorded(db, client, login, make, count_queries):
    counts = []
    for people in (1, 5):
        batch = running_batch(make.trainings)
        post = quiz(db.session, batch, POST, [target_of(batch)])
        agency = make.trainings.make.agency()
        for n in range(people):
            reg, me = enrolled(db, make.trainings, batch, agency=agency if n == 0 else None)
            quiz_services.submit_attempt(post, batch, reg, actor=me, answers=answers(post, {0}))
        login(make.trainings.admin(agency))
        with count_queries() as n:
            page = client.get("/trainings/post-tests/to-record").get_data(as_text=True)
        counts.append(n())
        assert page.count("/post-test-assessment") == 1  # only their OPD's ASN
    assert counts[0] == counts[1]
    login(make.trainings.admin())
    page = client.get("/trainings/post-tests/to-record?q=Pengguna").get_data(as_text=True)
    assert page.count("/post-test-assessment") == 6
