"""The mentor rule (issue 17, point 8): an ASN who guided interns to the end of their placement,
and whom those interns rated well, is proposed for recognition, as performance evidence (never
JP). Terminated placements, placements still running or ending in another year, and a rating
below 4 do not count."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from portal.auth.models import Role
from portal.internships.models import PlacementStatus
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition import signals
from portal.trainings.recognition.models import (
    DEFAULT_RULES,
    RecognitionKind,
    RecognitionProposal,
    RecognitionRule,
)
from portal.util import clock
from tests.internships.guidance_support import GuidanceFactories
from tests.support.pages import visible_text
from tests.support.worlds import module_world


def build_mentors(make) -> SimpleNamespace:
    """``good``: a mentor (with an ASN record) of two interns who completed this year and rated
    them 5 and 4; ``mixed``: one such intern, one who rated 3, one terminated placement rated 5
    and one still running; ``last_year``: two good ratings for placements that ended last year."""
    g = GuidanceFactories(make, make.internships)
    today = clock.today()
    year = today.year
    this_year = {
        "starts_on": today.replace(month=1, day=1),
        "ends_on": today.replace(month=1, day=2),
    }
    last_year = {
        "starts_on": today.replace(year=year - 1, month=3, day=1),
        "ends_on": today.replace(year=year - 1, month=6, day=30),
    }
    agency = make.agency()
    w = SimpleNamespace(year=year, agency=agency, admin=make.user(Role.ADMIN, locale="en"))

    def mentor():
        user = g.imake.mentor(agency)
        return make.asn_profile(user)

    def placed(asn, rating, *, status=PlacementStatus.COMPLETED, dates=this_year):
        placement = g.placement(mentor=asn.user, agency=agency, status=status, **dates)
        if rating is not None:
            g.feedback(placement, mentor_rating=rating)
        return placement

    w.good, w.mixed, w.last_year = mentor(), mentor(), mentor()
    for rating in (5, 4):
        placed(w.good, rating)
        placed(w.last_year, rating, dates=last_year)
    placed(w.mixed, 5)
    placed(w.mixed, 3)
    placed(w.mixed, 5, status=PlacementStatus.TERMINATED)
    running = {"starts_on": today - timedelta(days=10), "ends_on": today + timedelta(days=60)}
    placed(w.mixed, None, status=PlacementStatus.ACTIVE, dates=running)
    return w


mentors = module_world(build_mentors)


def test_the_rule_is_seeded_with_the_others():
    kinds = [kind for kind, _threshold, _title, _active in DEFAULT_RULES]
    assert RecognitionKind.MENTOR_INTERNS in kinds


def test_the_signal_counts_completed_placements_with_good_feedback_only(mentors):
    found = {s.asn_id: s.evidence for s in signals.mentor_interns(mentors.year, 1)}
    ours = {
        k: v
        for k, v in found.items()
        if k in {mentors.good.id, mentors.mixed.id, mentors.last_year.id}
    }
    assert ours == {
        mentors.good.id: {"interns": 2, "average": 4.5, "year": mentors.year},
        mentors.mixed.id: {"interns": 1, "average": 5.0, "year": mentors.year},
    }
    at_two = {s.asn_id for s in signals.mentor_interns(mentors.year, 2)}
    assert mentors.good.id in at_two and mentors.mixed.id not in at_two
    last = {s.asn_id for s in signals.mentor_interns(mentors.year - 1, 2)}
    assert mentors.last_year.id in last


def test_propose_makes_one_proposal_per_mentor_and_shows_its_figures(db, client, login_as, mentors):
    recognition_services.seed_rules()
    rule = db.session.scalars(
        sa.select(RecognitionRule).where(RecognitionRule.kind == RecognitionKind.MENTOR_INTERNS)
    ).one()
    assert rule.threshold == 2.0 and rule.is_active
    recognition_services.propose(mentors.year)
    recognition_services.propose(mentors.year)  # idempotent
    proposed = db.session.scalars(
        sa.select(RecognitionProposal).where(RecognitionProposal.rule_id == rule.id)
    ).all()
    ours = [p for p in proposed if p.asn_id in {mentors.good.id, mentors.mixed.id}]
    assert [(p.asn_id, p.evidence["interns"]) for p in ours] == [(mentors.good.id, 2)]
    db.session.commit()
    login_as(mentors.admin)
    text = visible_text(client.get("/trainings/recognition/proposals"))
    assert f"2 interns completed their placement in {mentors.year}" in text
    assert "rated the mentor 4.5 of 5 on average" in text
