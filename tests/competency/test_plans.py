"""Individual development plans: activities, and the plan's state machine (G5)."""

from __future__ import annotations

import itertools

import pytest

from portal.auth.models import Role
from portal.competency.plans import services as plan_services
from portal.competency.plans.models import PlanAction, PlanActivity, PlanState
from portal.competency.plans.workflow import TRANSITIONS
from portal.errors import DomainError, InvalidTransition


@pytest.fixture
def team(make):
    opd = make.agency()
    comp = make.competency(agency=opd)
    position = make.position(agency=opd, competencies=[comp], level=3)
    boss = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"), position=position)
    me = make.asn_profile(
        make.user(Role.ASN, agency=opd, locale="en"), position=position, supervisor=boss
    )
    peer = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"), position=position)
    return {"comp": comp, "boss": boss, "me": me, "peer": peer}


def _activity(comp, **kw):
    return {
        "competency_id": str(comp.id),
        "form": "pelatihan_teknis",
        "title": "Pelatihan Keamanan Informasi",
        "planned_jp": "24",
        "quarter": "2",
        **kw,
    }


def test_asn_builds_submits_and_supervisor_approves(client, login_as, db, team):
    me, boss, comp = team["me"], team["boss"], team["comp"]
    login_as(me.user)
    assert client.post("/competency/plan/activities", data=_activity(comp)).status_code == 302
    html = client.get("/competency/plan").get_data(as_text=True)
    assert "Pelatihan Keamanan Informasi" in html and "Draft" in html
    assert client.post("/competency/plan/submit", data={}).status_code == 302
    assert "Waiting for the supervisor" in client.get("/competency/plan").get_data(as_text=True)
    # While submitted the ASN cannot change it.
    client.post("/competency/plan/activities", data=_activity(comp, title="Lain"))
    assert "Lain" not in client.get("/competency/plan").get_data(as_text=True)

    login_as(boss.user)
    page = client.get(f"/competency/asn/{me.id}/plan").get_data(as_text=True)
    assert "Approve the plan" in page
    assert client.post(f"/competency/asn/{me.id}/plan/approve", data={}).status_code == 302
    login_as(me.user)
    assert "Approved" in client.get("/competency/plan").get_data(as_text=True)


def test_returning_needs_a_comment_which_the_asn_sees(client, login_as, db, team):
    me, boss, comp = team["me"], team["boss"], team["comp"]
    login_as(me.user)
    client.post("/competency/plan/activities", data=_activity(comp))
    client.post("/competency/plan/submit", data={})
    login_as(boss.user)
    client.post(f"/competency/asn/{me.id}/plan/return", data={"note": ""})
    assert "Waiting for the supervisor" in client.get(f"/competency/asn/{me.id}/plan").get_data(
        as_text=True
    )
    client.post(f"/competency/asn/{me.id}/plan/return", data={"note": "Tambahkan coaching."})
    login_as(me.user)
    html = client.get("/competency/plan").get_data(as_text=True)
    assert "Returned for changes" in html and "Tambahkan coaching." in html


def test_an_empty_plan_cannot_be_submitted(client, login_as, team):
    login_as(team["me"].user)
    client.post("/competency/plan/activities", data=_activity(team["comp"], planned_jp="0"))
    html = client.get("/competency/plan").get_data(as_text=True)
    assert "not started" in html  # the bad activity was refused, nothing created


def test_bad_activity_input_keeps_what_was_typed(client, login_as, team):
    login_as(team["me"].user)
    r = client.post(
        "/competency/plan/activities",
        data=_activity(team["comp"], planned_jp="500", title="Judul yang saya ketik"),
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Between 1 and 200 JP." in html and "Judul yang saya ketik" in html


def test_only_the_direct_supervisor_sees_and_decides(client, login_as, team):
    me, peer = team["me"], team["peer"]
    login_as(peer.user)
    assert client.get(f"/competency/asn/{me.id}/plan").status_code == 404
    assert client.post(f"/competency/asn/{me.id}/plan/approve", data={}).status_code == 404


@pytest.mark.parametrize(
    ("state", "action", "who"),
    list(itertools.product(PlanState, PlanAction, ("owner", "supervisor", "peer"))),
)
def test_state_machine_allows_exactly_the_table(db, make, team, state, action, who):
    me = team["me"]
    plan = plan_services.plan_for(me, 2026, create=True)
    plan.activities.append(
        PlanActivity(
            competency_id=team["comp"].id, form="coaching", title="x", planned_jp=2, quarter=1
        )
    )
    plan.state = state
    db.session.flush()
    actor = {"owner": me.user, "supervisor": team["boss"].user, "peer": team["peer"].user}[who]
    expected = TRANSITIONS.get((state, action))
    allowed = expected is not None and who in expected.parties
    if allowed:
        plan_services.transition(plan, me, action, actor=actor, note="catatan")
        assert plan.state == expected.to
        assert plan.events[-1].action == action and plan.events[-1].actor_id == actor.id
    else:
        with pytest.raises((InvalidTransition, DomainError)):
            plan_services.transition(plan, me, action, actor=actor, note="catatan")
        assert plan.state == state


def test_activities_only_for_competencies_of_the_standard(db, make, team):
    plan = plan_services.plan_for(team["me"], 2026, create=True)
    other = make.competency()
    with pytest.raises(DomainError):
        plan_services.add_activity(
            plan,
            competency_ids={team["comp"].id},
            competency_id=other.id,
            form="coaching",
            title="x",
            planned_jp=2,
            quarter=1,
        )
