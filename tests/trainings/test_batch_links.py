"""A batch page links only to what its viewer may open (issue 15 point 9): each link is shown when
the target's access policy lets the viewer's roles in and the predicate its view asks holds, so no
link on it answers 403 or 404. The whole-portal check is tests/crawls/test_dead_links.py."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from portal.auth.models import Role
from portal.curricula.models import CurriculumState
from portal.trainings.models import RegistrationState
from portal.trainings.quizzes.models import QuizKind
from tests.support.worlds import module_world
from tests.trainings.quiz_support import quiz, running_batch

_HREF = re.compile(r'<a\b[^>]*?\bhref="(/[^"#]*)"')


def build_batch_links(make) -> SimpleNamespace:
    """A running batch (both test windows open) of a published curriculum, with a pre-test and
    no post-test. ``mentor``: a mentor (and ASN) of the partner OPD, the curriculum's agency-side
    co-author (they manage the batch but are no facilitator); ``lead``: the university's lead
    author; ``facilitator``: a lecturer who is no co-author; ``enrolled`` and ``requested``: ASN
    with a registration in that state; ``opd_admin``: the partner OPD's admin, who has an ASN
    record but not the ASN role."""
    tmake = make.trainings
    agency = make.agency()
    mentor = make.user(Role.MENTOR, Role.ASN, agency=agency)
    lead = make.user(Role.UNIVERSITY)
    curriculum = make.curriculum(
        agency=agency, author=lead, agency_author=mentor, state=CurriculumState.PUBLISHED
    )
    facilitator = tmake.facilitator()
    batch = running_batch(tmake, curriculum=curriculum, facilitators=[facilitator])
    quiz(make.session, batch, QuizKind.PRE)
    enrolled = tmake.registration(batch, state=RegistrationState.ENROLLED)
    requested = tmake.registration(batch, state=RegistrationState.REQUESTED)
    opd_admin = make.user(Role.ADMIN, admin_agency=agency, agency=agency)
    make.asn_profile(opd_admin)
    return SimpleNamespace(
        batch=batch,
        mentor=mentor,
        lead=lead,
        facilitator=facilitator,
        opd_admin=opd_admin,
        enrolled=enrolled.asn.user,
        requested=requested.asn.user,
    )


batch_links_world = module_world(build_batch_links)


@pytest.fixture
def links_of(client, login_as):
    """The portal links on ``url`` as ``user`` sees it (the page must answer 200)."""

    def _links(user, url):
        login_as(user)
        response = client.get(url)
        assert response.status_code == 200
        return set(_HREF.findall(response.get_data(as_text=True)))

    return _links


def batch_url(w) -> str:
    return f"/trainings/batches/{w.batch.id}"


def session_links(w) -> set[str]:
    return {
        f"/trainings/sessions/{s.id}/{page}"
        for s in w.batch.sessions
        for page in ("attendance", "code")
    }


def take_url(w, kind: str) -> str:
    return f"/trainings/batches/{w.batch.id}/tests/{kind}/take"


def impact_url(w) -> str:
    return f"/trainings/curricula/{w.batch.curriculum_id}/impact"


def test_a_mentor_who_manages_the_batch_sees_no_attendance_or_impact_link(
    db, links_of, batch_links_world
):
    w = batch_links_world
    found = links_of(w.mentor, batch_url(w))
    assert found.isdisjoint(session_links(w))
    assert impact_url(w) not in found
    assert f"/trainings/batches/{w.batch.id}/tests/pre" in found  # they do author the tests


def test_the_facilitator_sees_the_attendance_links_but_no_impact_link(
    db, links_of, batch_links_world
):
    w = batch_links_world
    found = links_of(w.facilitator, batch_url(w))
    assert session_links(w) <= found
    assert impact_url(w) not in found


def test_the_universitys_co_author_sees_the_impact_link(db, links_of, batch_links_world):
    w = batch_links_world
    assert impact_url(w) in links_of(w.lead, batch_url(w))


def test_an_enrolled_asn_sees_the_test_that_exists_only(db, links_of, batch_links_world):
    w = batch_links_world
    found = links_of(w.enrolled, batch_url(w))
    assert take_url(w, "pre") in found
    assert take_url(w, "post") not in found


def test_an_asn_without_a_seat_sees_no_test_to_take(db, links_of, batch_links_world):
    w = batch_links_world
    found = links_of(w.requested, batch_url(w))
    assert not {take_url(w, "pre"), take_url(w, "post")} & found


def test_an_admin_with_an_asn_record_sees_no_my_trainings_link(db, links_of, batch_links_world):
    w = batch_links_world
    assert "/trainings/mine" not in links_of(w.opd_admin, "/trainings/batches")


@pytest.mark.parametrize(
    "person", ["mentor", "lead", "facilitator", "enrolled", "requested", "opd_admin"]
)
def test_every_link_of_the_batch_page_opens(db, client, links_of, batch_links_world, person):
    w = batch_links_world
    for url in sorted(links_of(getattr(w, person), batch_url(w))):
        if url.startswith("/auth/logout") or url.startswith("/static/"):
            continue
        assert client.get(url).status_code < 400, url
