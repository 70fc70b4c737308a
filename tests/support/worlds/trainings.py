"""The worlds of the trainings tests (tests/trainings/), each built once per module:

- ``ledger_world`` (the JP ledger pages, test_views_ledger.py and test_views_ledger_admin.py):
  two OPD, in the first a supervisor (``boss``), an ASN under them (``me``) and a ``peer``; an ASN
  of the second OPD (``far``); an admin of each OPD and a city admin; everyone reads English;
- ``jp_ledger_world`` (the ledger services, test_ledger.py, test_compliance.py and
  test_conversion.py): ``build_ledger`` as it is;
- ``jp_reminder_world`` (the JP reminders, test_reminders.py): the two OPD of ``build_ledger``,
  the peer with 10 verified JP by February (on track), ``me`` and the boss with none;
- ``quiz_world`` (the test pages, test_views_quizzes.py): a running batch with its facilitator
  and one enrolled ASN.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from portal.auth.models import Role
from tests.support.worlds import module_world
from tests.trainings.ledger_support import verified
from tests.trainings.quiz_support import enrolled, running_batch, target_of


def build_ledger(make) -> SimpleNamespace:
    """Two OPD; in the first a supervisor and an ASN under them, a peer; admins of each OPD
    and a city admin."""
    opd, other = make.agency(), make.agency()
    boss = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"))
    me = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"), supervisor=boss)
    peer = make.asn_profile(make.user(Role.ASN, agency=opd, locale="en"))
    return SimpleNamespace(
        opd=opd,
        other=other,
        boss=boss,
        me=me,
        peer=peer,
        opd_admin=make.user(Role.ADMIN, admin_agency=opd),
        other_admin=make.user(Role.ADMIN, admin_agency=other),
        city_admin=make.user(Role.ADMIN),
    )


def build_ledger_pages(make) -> SimpleNamespace:
    """``build_ledger`` with the admins reading English and ``far``, an ASN of the other OPD."""
    w = build_ledger(make)
    for user in (w.opd_admin, w.other_admin, w.city_admin):
        user.locale = "en"
    w.far = make.asn_profile(make.user(Role.ASN, agency=w.other, locale="en"))
    make.session.flush()
    return w


def build_jp_reminders(make) -> SimpleNamespace:
    """``build_ledger`` where the peer has 10 JP by February (on track); ``me`` and the boss have
    none."""
    w = build_ledger(make)
    verified(w.peer, 2, ended_on=date(2025, 2, 10))
    make.session.flush()
    return w


def build_quizzes(make) -> SimpleNamespace:
    """A batch running now (both tests open) with its ``facilitator``; ``reg``, the enrolled
    registration of ``me``; ``target``, the id of the curriculum's target competency."""
    tmake = make.trainings
    facilitator = tmake.facilitator()
    batch = running_batch(tmake, facilitators=[facilitator])
    reg, me = enrolled(make, tmake, batch)  # ``enrolled`` reads the user through ``.session``
    return SimpleNamespace(
        batch=batch, facilitator=facilitator, reg=reg, me=me, target=target_of(batch)
    )


ledger_world = module_world(build_ledger_pages)
jp_ledger_world = module_world(build_ledger)
jp_reminder_world = module_world(build_jp_reminders)
quiz_world = module_world(build_quizzes)
