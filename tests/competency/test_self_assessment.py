"""No official assessment of oneself (issue 15): an admin who is also an ASN does not record an
official assessment of their own record, and nobody rates themself as their own supervisor. The
service refuses, saying why; the predicates the pages ask say no, so the form is not offered."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.competency.assessments import queries, services
from portal.competency.models import OFFICIAL_METHODS, Assessment, AssessmentMethod
from portal.own_record import OwnRecord
from tests.support.pages import flashes, visible_text
from tests.support.worlds import module_world

OWN = "You cannot assess your own competencies: another administrator must record it."


def build_office(make) -> SimpleNamespace:
    """One OPD with a two-competency position held by: ``me``, an ASN who is also the OPD's admin;
    ``city_me``, an ASN who is also a city admin; a ``peer``; ``loop``, a record that is its own
    supervisor (data from before the check); and ``colleague``, another admin of the OPD."""
    opd = make.agency()
    comps = [make.competency(agency=opd) for _ in range(2)]
    position = make.position(agency=opd, competencies=comps, level=3)

    def asn(*roles, **kw):
        user = make.user(*roles, agency=opd, locale="en", **kw)
        return make.asn_profile(user, position=position)

    w = SimpleNamespace(
        opd=opd,
        comps=comps,
        me=asn(Role.ASN, Role.ADMIN, admin_agency=opd),
        city_me=asn(Role.ASN, Role.ADMIN),
        peer=asn(Role.ASN),
        loop=asn(Role.ASN),
        colleague=make.user(Role.ADMIN, admin_agency=opd, locale="en"),
    )
    w.loop.supervisor_id = w.loop.id
    make.session.flush()
    return w


office = module_world(build_office)


def _record(asn, actor, comps, method=AssessmentMethod.ASSESSMENT_CENTER):
    return services.record_assessment(
        asn,
        actor=actor,
        method=method,
        assessed_on=date(2026, 3, 2),
        assessor="UPT Penilaian Kompetensi BKPSDM",
        levels={c.id: 3 for c in comps},
    )


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Assessment))


#: what an admin records of an ASN: the official methods, and a post-test kept as evidence
ADMIN_RECORDED = sorted(OFFICIAL_METHODS | {AssessmentMethod.POST_TRAINING_TEST})


@pytest.mark.parametrize("method", ADMIN_RECORDED)
def test_an_admin_never_records_an_official_assessment_of_themself(db, office, method):
    w = office
    for me in (w.me, w.city_me):
        with pytest.raises(OwnRecord, match=OWN):
            _record(me, me.user, w.comps, method)
    assert _count(db) == 0
    _record(w.me, w.colleague, w.comps, method)  # another admin of the OPD does
    _record(w.city_me, w.me.user, w.comps, method)  # and so does the OPD admin for the city admin
    assert _count(db) == 2


def test_the_predicates_say_no_on_ones_own_record(office):
    w = office
    assert not queries.can_record_official(w.me, w.me.user)
    assert not queries.can_record_official(w.city_me, w.city_me.user)
    assert queries.can_record_official(w.peer, w.me.user)
    assert queries.can_record_official(w.me, w.colleague)
    assert queries.can_record_official(w.me, w.city_me.user)
    assert not queries.can_record_official(w.peer, w.peer.user)  # an ASN is no admin
    assert not queries.can_rate(w.loop, w.loop.user)  # nobody is their own supervisor


def test_nobody_rates_themself_as_their_own_supervisor(db, office):
    w = office
    with pytest.raises(OwnRecord, match="as your own supervisor: use the self-assessment"):
        _record(w.loop, w.loop.user, w.comps, AssessmentMethod.SUPERVISOR_RATING)
    assert _count(db) == 0
    estimate = _record(w.loop, w.loop.user, w.comps, AssessmentMethod.SELF_ASSESSMENT)
    assert not estimate.is_official  # assessing oneself stays an estimate, kept apart


def test_the_admin_assessing_their_own_record_is_told_why_and_nothing_is_recorded(
    client, login_as, db, office
):
    w = office
    login_as(w.me.user)
    assert "Record an official assessment" in visible_text(
        client.get(f"/competency/asn/{w.peer.id}")
    )
    page = visible_text(client.get(f"/competency/asn/{w.me.id}"))
    assert "Record an official assessment" not in page and "Assess myself" in page

    url = f"/competency/asn/{w.me.id}/assessments/new"
    r = client.get(url)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/competency/asn/{w.me.id}")
    data = {"assessed_on": "2026-03-02", "method": "assessment_center", "assessor": "UPT"}
    data |= {f"level_{c.id}": "3" for c in w.comps}
    r = client.post(url, data=data, follow_redirects=True)
    assert r.status_code == 200 and OWN in flashes(r)
    assert _count(db) == 0

    login_as(w.colleague)  # another admin of the OPD records it
    assert client.post(url, data=data).status_code == 302
    assert _count(db) == 1
