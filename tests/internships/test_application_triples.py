"""G5 through the views: every application state × every action × six people, posted to the
action endpoint. Only the steps of the issue's table succeed (and land in the right state);
someone who may not see the application gets 404, someone who may see it but not take the step
gets 409 with the reason, the daily job's step is not a choice (400), and never a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.internships.applications import workflow
from portal.internships.applications.models import ApplicationState
from portal.internships.applications.workflow import ApplicationAction
from portal.internships.models import Placement
from tests.internships.pages_support import PEOPLE, S, build_site, state_of
from tests.support.db import undone
from tests.support.factories.internships import AFTER_ENDORSEMENT


@pytest.fixture
def site(make):
    return build_site(make, make.internships)


A = ApplicationAction
#: The issue's rules, written out independently of ``workflow.TRANSITIONS``.
SPEC = {
    **{(s, A.WITHDRAW): (S.WITHDRAWN, "student")
       for s in (S.SUBMITTED, S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)},
    (S.SUBMITTED, A.ENDORSE): (S.ENDORSED, "university"),
    (S.SUBMITTED, A.DECLINE): (S.DECLINED_BY_UNIVERSITY, "university"),
    **{(s, A.SHORTLIST): (S.SHORTLISTED, "opd") for s in (S.ENDORSED, S.WAITLISTED)},
    **{(s, A.WAITLIST): (S.WAITLISTED, "opd") for s in (S.ENDORSED, S.SHORTLISTED)},
    **{(s, A.OFFER): (S.OFFERED, "opd") for s in (S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)},
    **{(s, A.REJECT): (S.REJECTED, "opd") for s in (S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)},
    (S.OFFERED, A.ACCEPT): (S.ACCEPTED, "student"),
    (S.OFFERED, A.DECLINE_OFFER): (S.OFFER_DECLINED, "student"),
}  # fmt: skip


def sees(who: str, state: ApplicationState) -> bool:
    """The visibility rule, written out: the student, their university, the OPD once endorsed."""
    return who in ("student", "university") or (who == "opd" and state in AFTER_ENDORSEMENT)


def test_the_spec_is_the_workflow_table():
    table = {k: v for k, v in workflow.TRANSITIONS.items() if v[1] != workflow.SYSTEM}
    assert {k: v[0] for k, v in table.items()} == {k: v[0] for k, v in SPEC.items()}


@pytest.mark.parametrize("state", list(ApplicationState), ids=str)
def test_every_step_through_the_action_endpoint(client, login_as, db, make, site, state):
    application = make.internships.application(site.position, student=site.student, state=state)
    db.session.flush()
    outcomes = []
    for action in ApplicationAction:
        step = SPEC.get((state, action))
        for who in PEOPLE:
            login_as(getattr(site, who))
            with undone(db.engine):  # undo whatever the request commits
                response = client.post(
                    f"/internships/applications/{application.id}/action",
                    data={"action": action.value, "note": "Alasan uji."},
                )
                after = state_of(db, application.id)
                placements = db.session.scalar(sa.select(sa.func.count()).select_from(Placement))
            status, html = response.status_code, response.get_data(as_text=True)
            assert status < 500, (state, action, who)
            if not sees(who, state):
                expected = 404
            elif action == A.EXPIRE:
                expected = 400  # the daily job's step is not offered to anyone
            elif step is not None and step[1] == who:
                expected = 302
            else:
                expected = 409
            outcomes.append((action.value, who, status))
            assert status == expected, (state, action, who, status)
            if status == 302:
                assert after == step[0], (state, action, who)
                assert placements == (1 if action == A.ACCEPT else 0)
            else:
                assert after == state and placements == 0, (state, action, who)
            if status == 409:
                assert "alert-danger" in html  # the reason is on the page
    assert len(outcomes) == len(ApplicationAction) * len(PEOPLE)
