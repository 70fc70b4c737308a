"""The impact page of a curriculum: L1 average, L2 gain, L3 averages, the competency applied too
little with its follow-up suggestion, who may see it, and a fixed query count."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from portal.auth.models import Role
from portal.competency.models import AsnProfile
from portal.curricula.models import CurriculumState, CurriculumTarget
from portal.trainings.evaluation.impact_queries import LOW_APPLICATION_BELOW
from portal.trainings.evaluation.models import Respondent
from portal.trainings.quizzes.models import CompetencyGain
from tests.trainings.evaluation_support import l1_response, l3_answered, participants, past_batch

pytestmark = pytest.mark.usefixtures("english_only")  # they read the English texts


@pytest.fixture
def story(db, make):
    """A published curriculum of university U with partner OPD A and two target competencies
    (``strong`` from the factory, ``weak`` added); one completed batch of three participants
    with L1 answers (material 3, organisation 2), pre/post gains (strong +20, weak +10) and L3
    ratings (supervisors: strong 4/3/3, weak 2/2/3; participants: 4 and 3)."""
    agency = make.agency()
    author = make.user(Role.UNIVERSITY)
    curriculum = make.curriculum(
        author.university,
        agency=agency,
        author=author,
        state=CurriculumState.PUBLISHED,
        title="Analisis Kebijakan",
    )
    weak = make.competency(agency=agency, name="Penyusunan Naskah Kebijakan")
    db.session.add(
        CurriculumTarget(curriculum_id=curriculum.id, competency_id=weak.id, target_level=3)
    )
    db.session.flush()
    db.session.refresh(curriculum)
    strong = next(t.competency_id for t in curriculum.targets if t.competency_id != weak.id)
    batch = past_batch(make.trainings, curriculum=curriculum, completed_days_ago=100)
    regs = participants(make.trainings, batch, 3)
    for reg, (s_sup, w_sup) in zip(regs, [(4, 2), (3, 2), (3, 3)], strict=True):
        l1_response(db.session, reg, {"material": 3, "organisation": 2, "facilities": 3})
        db.session.add_all(
            [
                CompetencyGain(
                    registration_id=reg.id,
                    competency_id=strong,
                    pre_score=40.0,
                    post_score=60.0,
                    gain=20.0,
                ),
                CompetencyGain(
                    registration_id=reg.id,
                    competency_id=weak.id,
                    pre_score=50.0,
                    post_score=60.0,
                    gain=10.0,
                ),
            ]
        )
        supervisor = db.session.get(
            AsnProfile, db.session.get(AsnProfile, reg.asn_id).supervisor_id
        )
        l3_answered(
            db.session,
            reg,
            Respondent.SUPERVISOR,
            supervisor.user_id,
            {strong: s_sup, weak.id: w_sup},
        )
        l3_answered(db.session, reg, Respondent.ASN, reg.user_id, {strong: 4, weak.id: 3})
    db.session.flush()
    return {
        "curriculum": curriculum,
        "agency": agency,
        "author": author,
        "batch": batch,
        "weak": weak,
        "strong": strong,
    }


def test_impact_numbers_and_the_follow_up_suggestion(client, login_as, make, story):
    login_as(make.user(Role.ADMIN))
    response = client.get(f"/trainings/curricula/{story['curriculum'].id}/impact")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3.00 / 4" in page and "2.00 / 4" in page  # L1 material and organisation
    assert "2.75 / 4" in page  # L1 overall: (2 material × 3 + 2 + 3) / 4 answers
    assert "20.0" in page and "10.0" in page and "15.0 points" in page  # L2 gains, overall
    assert "3.33 / 4" in page and "2.33 / 4" in page  # L3 supervisors
    assert "applied too little" in page and "Penyusunan Naskah Kebijakan" in page
    href = next(
        part.split('"', 1)[0]
        for part in page.split('href="')[1:]
        if part.startswith("/trainings/batches/new")
    )
    query = parse_qs(urlparse(href.replace("&amp;", "&")).query)
    assert query["curriculum_id"] == [str(story["curriculum"].id)]
    assert "Penyusunan Naskah Kebijakan" in query["title"][0]
    assert 2.33 < LOW_APPLICATION_BELOW < 3.33


def test_only_one_competency_is_flagged(app, make, story):
    from portal.trainings.evaluation import impact_queries

    with app.test_request_context("/?lang=en"):
        rows = impact_queries.competency_impact(story["curriculum"], make.user(Role.ADMIN))
    flagged = [r.competency_id for r in rows if r.is_low]
    assert flagged == [story["weak"].id]
    strong = next(r for r in rows if r.competency_id == story["strong"])
    assert (strong.gain, strong.asn_avg, strong.supervisor_applies, strong.applies_share) == (
        20.0,
        4.0,
        3,
        100,
    )


def test_who_sees_the_impact_page(client, login_as, make, story):
    url = f"/trainings/curricula/{story['curriculum'].id}/impact"
    for user, status in [
        (make.user(Role.ADMIN, admin_agency=story["agency"]), 200),
        (story["author"], 200),
        (make.user(Role.ADMIN, admin_agency=make.agency()), 404),
        (make.user(Role.UNIVERSITY), 404),
        (make.user(Role.ASN), 403),
    ]:
        login_as(user)
        assert client.get(url).status_code == status, user.roles
    login_as(story["author"])
    assert "/trainings/batches/new" not in client.get(url).get_data(as_text=True)
    assert client.get("/trainings/curricula/999999/impact").status_code == 404


def test_impact_takes_the_same_queries_at_two_sizes(
    client, login_as, db, make, count_queries, story
):
    login_as(make.user(Role.ADMIN))
    small = make.curriculum(state=CurriculumState.PUBLISHED)
    batch = past_batch(make.trainings, curriculum=small, completed_days_ago=1)
    for reg in participants(make.trainings, batch, 3):
        l1_response(db.session, reg, {"material": 4})
    counts = []
    for curriculum in (small, story["curriculum"]):
        more = past_batch(make.trainings, curriculum=curriculum, completed_days_ago=2)
        participants(make.trainings, more, 2)
        with count_queries() as queries:
            assert client.get(f"/trainings/curricula/{curriculum.id}/impact").status_code == 200
        counts.append(queries())
    assert counts[0] == counts[1]
