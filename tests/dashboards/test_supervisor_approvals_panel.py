"""Issue 18 part 2 point 4: a supervisor's dashboard shows the training registrations of their
staff waiting for their decision (who, which training, since when, days waiting, the oldest
first, a link to decide, how many in all); nothing when nothing waits; never another
supervisor's staff, a decided registration or one's own registration."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

from portal.auth.models import Role
from portal.dashboards import asn as asn_panel
from portal.dashboards import asn_trainings
from portal.trainings.models import RegistrationState
from portal.util import clock
from tests.support.pages import visible_text
from tests.support.worlds import module_world

S = RegistrationState
TODAY = date(2026, 12, 8)


def _at(day: date, hour: int = 9) -> datetime:
    return clock.local_moment(day, time(hour, 0))


def build_office(make) -> SimpleNamespace:
    """``boss`` supervises seven ASN, each with a registration waiting since 1…7 days before
    ``TODAY`` (``names[n]`` waited ``n + 1`` days), and one already approved; ``loop`` is their
    own supervisor (old data) with a waiting registration; ``other_boss`` supervises ``outsider``,
    whose registration waits too; ``idle`` supervises nobody."""
    tmake = make.trainings
    opd = make.agency()

    def asn(name, supervisor=None):
        user = make.user(Role.ASN, agency=opd, full_name=name, locale="en")
        return make.asn_profile(user, supervisor=supervisor)

    w = SimpleNamespace(
        boss=asn("Rina Atasan"), other_boss=asn("Joko Atasan Lain"), idle=asn("Ani Tanpa Staf")
    )
    batch = tmake.batch(title="Pelatihan Pelayanan Publik")
    w.names, w.registrations = [], []
    for n in range(7):
        staff = asn(f"Staf Nomor {n + 1}", supervisor=w.boss)
        reg = tmake.registration(batch, staff)
        reg.created_at = _at(TODAY - timedelta(days=n + 1), hour=8 + n)
        w.names.append(staff.user.full_name)
        w.registrations.append(reg.id)
    decided = tmake.registration(batch, asn("Staf Sudah Disetujui", w.boss), state=S.ENROLLED)
    decided.created_at = _at(TODAY - timedelta(days=30))
    w.loop = asn("Rudi Atasan Sendiri")
    w.loop.supervisor_id = w.loop.id
    tmake.registration(batch, w.loop).created_at = _at(TODAY - timedelta(days=40))
    outsider = tmake.registration(batch, asn("Staf Orang Lain", w.other_boss))
    outsider.created_at = _at(TODAY - timedelta(days=50))
    make.session.flush()
    return w


office = module_world(build_office)


def _record(profile):
    return SimpleNamespace(id=profile.id)


def test_the_oldest_waiting_registrations_first_with_their_days(office):
    w = office
    waiting = asn_trainings.waiting_approvals(_record(w.boss), w.boss.user, today=TODAY)
    assert waiting.total == 7
    assert len(waiting.rows) == asn_trainings.APPROVALS_SHOWN == 5
    assert [r.asn_name for r in waiting.rows] == [f"Staf Nomor {n}" for n in (7, 6, 5, 4, 3)]
    assert [r.days for r in waiting.rows] == [7, 6, 5, 4, 3]
    assert {r.training for r in waiting.rows} == {"Pelatihan Pelayanan Publik"}
    assert waiting.rows[0].registration_id == w.registrations[6]


def test_nothing_waits_for_a_supervisor_of_nobody_or_for_their_own_registration(office):
    w = office
    assert asn_trainings.waiting_approvals(_record(w.idle), w.idle.user, today=TODAY).total == 0
    own = asn_trainings.waiting_approvals(_record(w.loop), w.loop.user, today=TODAY)
    assert own.total == 0 and own.rows == []
    other = asn_trainings.waiting_approvals(_record(w.other_boss), w.other_boss.user, today=TODAY)
    assert [r.asn_name for r in other.rows] == ["Staf Orang Lain"] and other.rows[0].days == 50


def test_the_supervisors_dashboard_lists_them_with_a_link_to_decide(client, login_as, office):
    w = office
    login_as(w.boss.user)
    response = client.get("/dashboard")
    page = response.get_data(as_text=True)
    text = visible_text(response)
    assert "Training registrations waiting for you" in text
    assert "7 registrations wait for your decision." in text
    for n in range(7, 2, -1):
        assert f"Staf Nomor {n}" in text
    assert "Staf Nomor 1" not in text and "Staf Sudah Disetujui" not in text
    assert "Staf Orang Lain" not in text
    assert f'href="/trainings/registrations/{w.registrations[6]}"' in page
    assert 'href="/trainings/approvals"' in page
    days = (clock.today() - TODAY).days
    assert f"{7 + days} days waiting" in text


def test_nothing_is_shown_when_nothing_waits(client, login_as, office):
    for profile in (office.idle, office.loop):
        login_as(profile.user)
        text = visible_text(client.get("/dashboard"))
        assert "My development" in text
        assert "Training registrations waiting for you" not in text
        assert "wait for your decision" not in text


def test_the_panel_figures_come_with_the_asn_panel(office):
    panel = asn_panel.build(office.boss.user)
    assert panel["approvals"].total == 7
