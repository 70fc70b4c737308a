"""Reminders to ASN behind their JP milestone and to their supervisors: once per quarter, through
the ``remind-jp`` command as well."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.notify import Notification
from portal.trainings.ledger.reminders import JpReminder, remind_behind, remind_jp
from tests.support.worlds import trainings

#: The peer has 10 JP by February (on track); ``me`` and the boss have none.
jp_reminder_world = trainings.jp_reminder_world  # built once for the module

Q2 = date(2025, 5, 2)  # the Q1 milestone (5 of 20 JP) is due; 59 days left until 30 June


def _notices(db) -> list[tuple[int, str, dict]]:
    rows = db.session.scalars(sa.select(Notification).order_by(Notification.id))
    return [(n.user_id, n.message_key, n.params) for n in rows]


def test_behind_asn_and_their_supervisor_are_told_what_is_missing(db, jp_reminder_world, outbox):
    w = jp_reminder_world
    run = remind_behind(Q2)
    assert (run.asn, run.supervisors, run.skipped) == (2, 1, 0)
    notices = _notices(db)
    me = [n for n in notices if n[0] == w.me.user_id]
    assert me == [
        (
            w.me.user_id,
            "trainings.behind",
            {"jp": "0", "expected": "5", "target": 20, "missing": "5", "days": 59},
        )
    ]
    boss_keys = sorted(n[1] for n in notices if n[0] == w.boss.user_id)
    assert boss_keys == ["trainings.behind", "trainings.behind_supervisor"]
    told = next(n for n in notices if n[1] == "trainings.behind_supervisor")
    assert told[2]["asn"] == w.me.user.full_name and told[2]["missing"] == "5"
    assert all(n[0] != w.peer.user_id for n in notices)  # on track: not reminded
    assert len(outbox(w.me.user.email)) == 1


def test_running_twice_sends_nothing_twice(db, jp_reminder_world):
    remind_behind(Q2)
    before = len(_notices(db))
    again = remind_behind(date(2025, 6, 30))  # the same quarter
    assert (again.asn, again.supervisors, again.skipped) == (0, 0, 2)
    assert len(_notices(db)) == before
    assert db.session.scalar(sa.select(sa.func.count(JpReminder.id))) == 2


def test_a_new_quarter_reminds_again_with_the_new_milestone(db, jp_reminder_world):
    w = jp_reminder_world
    remind_behind(Q2)
    run = remind_behind(date(2025, 7, 1))  # Q3: the Q2 milestone (10 JP) is due
    assert (run.asn, run.supervisors, run.skipped) == (2, 1, 0)
    mine = [n[2] for n in _notices(db) if n[0] == w.me.user_id]
    assert [(p["expected"], p["missing"], p["days"]) for p in mine] == [
        ("5", "5", 59),
        ("10", "10", 91),
    ]
    assert all(n[0] != w.peer.user_id for n in _notices(db))  # 10 JP: the milestone is met


def test_nobody_is_behind_in_the_first_quarter(db, jp_reminder_world):
    assert remind_behind(date(2025, 2, 1)).asn == 0
    assert _notices(db) == []


def test_the_command_prints_counts_and_is_idempotent(app, db, jp_reminder_world):
    runner = app.test_cli_runner()
    first = runner.invoke(remind_jp, ["--on", "2025-05-02"])
    assert first.exit_code == 0, first.output
    assert "2 ASN reminded, 1 supervisor(s) told, 0 already reminded" in first.output
    second = runner.invoke(remind_jp, ["--on", "2025-05-03"])
    assert "0 ASN reminded, 0 supervisor(s) told, 2 already reminded" in second.output
    bad = runner.invoke(remind_jp, ["--on", "kemarin"])
    assert bad.exit_code == 2 and "kemarin" in bad.output
