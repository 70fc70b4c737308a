"""A batch credits the JP its schedule earns (issue 17 point 2, DOMAIN.md §2.2–2.4): the
sessions' contact time in 45-minute JP, per day at most the form's daily cap (e-learning 3 JP),
at most the curriculum's JP; the batch page shows it and warns when it is not the curriculum's.
The batches are built once for the module."""

from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import CurriculumState, DeliveryMode
from portal.db import utcnow
from portal.trainings.attendance import services as attendance_services
from portal.trainings.ledger import schedule
from portal.trainings.ledger.conversion import Unit
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.models import BatchState, RegistrationState, TrainingSession
from portal.util import clock
from tests.support.worlds import module_world
from tests.trainings.view_support import body, text

FIRST_DAY = utcnow().date() - timedelta(days=20)


def _batch(make, *, jp: int, mode=DeliveryMode.BLENDED, days=2, minutes=210, agency=None):
    """A closed batch of a published ``jp``-JP curriculum (2 JP a module), ``days`` daily
    sessions of ``minutes`` from 08:00 WIB, all of them attended by one enrolled ASN."""
    curriculum = make.curriculum(
        state=CurriculumState.PUBLISHED, modules=jp // 2, mode=mode, agency=agency
    )
    lecturer = make.trainings.facilitator()
    batch = make.trainings.batch(
        curriculum=curriculum, sessions=0, facilitators=[lecturer], state=BatchState.CLOSED
    )
    for day in range(days):
        starts = clock.local_moment(FIRST_DAY + timedelta(days=day), time(8))
        make.session.add(
            TrainingSession(
                batch_id=batch.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=minutes),
                place="Aula BKPSDM",
                check_in_code=f"C{batch.id:03d}{day:03d}",
            )
        )
    make.session.flush()
    make.session.expire(batch)
    reg = make.trainings.registration(batch, state=RegistrationState.ENROLLED)
    for session in batch.sessions:
        attendance_services.mark_attendance(session, reg, actor=lecturer, now=session.ends_at)
    return SimpleNamespace(batch=batch, reg=reg, lecturer=lecturer)


def build(make) -> SimpleNamespace:
    w = SimpleNamespace()
    w.agency = make.agency()
    # 2 × 3.5 hours of a 32-JP curriculum: 420 minutes = 9.33 lesson hours.
    w.short = _batch(make, jp=32, agency=w.agency)
    # E-learning, 5 days of 4 hours (5.33 lesson hours a day): 3 JP a day at most.
    w.online = _batch(make, jp=32, mode=DeliveryMode.E_LEARNING, days=5, minutes=240)
    # Three days of 6 hours (24 JP of contact time) for a 6-JP curriculum.
    w.long = _batch(make, jp=6, agency=w.agency, days=3, minutes=360)
    w.admin = make.user(Role.ADMIN)
    w.admin.locale = "en"
    make.session.flush()
    return w


jp_world = module_world(build)


def _complete(db, case) -> LedgerEntry:
    attendance_services.complete_batch(
        case.batch, actor=case.lecturer, post_test_passed=lambda _r: True
    )
    return db.session.scalar(
        sa.select(LedgerEntry).where(LedgerEntry.registration_id == case.reg.id)
    )


def test_two_sessions_of_three_and_a_half_hours_credit_9_jp_not_the_curriculums_32(db, jp_world):
    entry = _complete(db, jp_world.short)
    # Both recorded (DOMAIN.md §2.4): the raw duration in lesson hours and the converted JP.
    assert (entry.jp, entry.quantity, entry.unit) == (9, 9.3, Unit.JP_ACTUAL)
    assert entry.form == "pelatihan_teknis"


def test_e_learning_counts_at_most_3_jp_a_day(db, jp_world):
    entry = _complete(db, jp_world.online)
    assert (entry.jp, entry.form, entry.quantity) == (15, "e_learning", 26.7)


def test_the_credit_is_capped_by_the_curriculums_jp(db, jp_world):
    earned = schedule.batch_jp(jp_world.long.batch)
    assert (earned.earned, earned.jp, earned.differs) == (24, 6, False)
    assert _complete(db, jp_world.long).jp == 6


def test_the_batch_page_shows_the_computed_jp_and_warns_when_it_differs(
    db, jp_world, client, login_as, english_only
):
    login_as(jp_world.admin)
    page = text(body(client.get(f"/trainings/batches/{jp_world.short.batch.id}")))
    assert "9 JP" in page and "The curriculum has 32 JP." in page
    assert "Its sessions earn 9 JP but the curriculum has 32 JP" in page
    edit = client.get(f"/trainings/batches/{jp_world.short.batch.id}/edit")
    assert edit.status_code == 302  # only a draft is edited: the batch page says it
    same = text(body(client.get(f"/trainings/batches/{jp_world.long.batch.id}")))
    assert "6 JP" in same and "Its sessions earn" not in same


def test_overlapping_sessions_count_once_and_per_day_forms_count_days(db, jp_world):
    day = clock.local_moment(date(2026, 3, 2), time(8))
    hours = [(day, day + timedelta(hours=3)), (day + timedelta(hours=2), day + timedelta(hours=4))]
    assert schedule.schedule_jp(hours, form="pelatihan_teknis").minutes == 240
    two_days = [*hours, (day + timedelta(days=1), day + timedelta(days=1, hours=1))]
    seminar = schedule.schedule_jp(two_days, form="seminar", cap=32)
    assert (seminar.jp, seminar.unit, seminar.quantity) == (8, Unit.PER_DAY, 2.0)  # 1 day = 4 JP
    assert schedule.schedule_jp([], form="pelatihan_teknis").jp == 0


def test_the_minutes_of_a_jp_are_configurable(app, db, jp_world, monkeypatch):
    monkeypatch.setitem(app.config, "JP_MINUTES", 60)
    assert schedule.batch_jp(jp_world.short.batch).jp == 7  # 420 minutes of 60


@pytest.mark.parametrize(
    ("jp", "form", "plan"),
    [(32, "pelatihan_teknis", [360] * 4), (24, "e_learning", [135] * 8), (6, "seminar", [180] * 2)],
)
def test_the_demo_plans_earn_what_they_are_planned_for(db, jp_world, jp, form, plan):
    minutes = schedule.days_for(jp, form)
    assert minutes == plan
    start = clock.local_moment(date(2026, 3, 2), time(8))
    sessions = [
        (start + timedelta(days=n), start + timedelta(days=n, minutes=m))
        for n, m in enumerate(minutes)
    ]
    assert schedule.schedule_jp(sessions, form=form, cap=jp).jp == jp
