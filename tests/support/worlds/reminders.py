"""The world of the ``send-reminders`` tests (tests/reminders/test_send_reminders.py): one of each
reminder due on a fixed Wednesday ``T``, next to people in the same situations who are not due
yet. Every user reads English. Built once per module: ``reminders_world``."""

from __future__ import annotations

import types
from datetime import timedelta

from portal.auth.models import Role
from tests.reminders.reminder_support import T, entry, offer, placement
from tests.support.worlds import module_world


def build_reminders(make) -> types.SimpleNamespace:
    """Due on ``T``: a student 3 working days behind on the logbook, the mentor and DPL of a
    placement ending in 5 days, a student whose offer expires in 2 days. Not due: a student who
    wrote yesterday, the mentor of a placement ending in 20 days, an offer expiring in 5 days."""
    imake = make.internships
    w = types.SimpleNamespace()
    w.uni, w.agency = make.university(), make.agency()
    w.mentor, w.ending_mentor = imake.mentor(w.agency), imake.mentor(w.agency)
    w.dpl = make.user(Role.UNIVERSITY, university=w.uni)
    w.late_mentor = imake.mentor(w.agency)
    w.behind, w.diligent, w.ending, w.later = (imake.student(w.uni) for _ in range(4))
    w.offered, w.offered_later = imake.student(w.uni), imake.student(w.uni)
    run = {"university": w.uni, "agency": w.agency}
    w.behind_placement = placement(
        imake,
        mentor=w.mentor,
        student=w.behind,
        starts=T - timedelta(days=30),
        ends=T + timedelta(days=30),
        **run,
    )
    entry(imake.session, w.behind_placement, T - timedelta(days=6))  # Thursday 30 May
    w.diligent_placement = placement(
        imake,
        mentor=w.mentor,
        student=w.diligent,
        starts=T - timedelta(days=30),
        ends=T + timedelta(days=30),
        **run,
    )
    entry(imake.session, w.diligent_placement, T - timedelta(days=1))
    w.ending_placement = placement(
        imake,
        mentor=w.ending_mentor,
        student=w.ending,
        supervisor=w.dpl,
        starts=T - timedelta(days=60),
        ends=T + timedelta(days=5),
        **run,
    )
    entry(imake.session, w.ending_placement, T - timedelta(days=1))
    w.later_placement = placement(
        imake,
        mentor=w.late_mentor,
        student=w.later,
        starts=T - timedelta(days=40),
        ends=T + timedelta(days=20),
        **run,
    )
    entry(imake.session, w.later_placement, T - timedelta(days=1))
    w.offer = offer(
        imake,
        student=w.offered,
        agency=w.agency,
        expires_on=T + timedelta(days=2),
        title="Magang Analis Data",
    )
    w.offer_later = offer(
        imake,
        student=w.offered_later,
        agency=w.agency,
        expires_on=T + timedelta(days=5),
        title="Magang Arsip",
    )
    for user in (
        w.mentor,
        w.ending_mentor,
        w.late_mentor,
        w.dpl,
        w.behind,
        w.diligent,
        w.ending,
        w.later,
        w.offered,
        w.offered_later,
    ):
        user.locale = "en"
    imake.session.flush()
    return w


reminders_world = module_world(build_reminders)
