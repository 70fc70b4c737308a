"""``flask --app portal send-reminders``: each kind reaches the right person with the days left,
nobody who is not due hears anything, and a second run (or a concurrent one) sends nothing
twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.internships.evaluation.models import MentorEvaluation
from portal.notification_prefs import Channel
from portal.reminders import delivery
from portal.reminders.models import SentReminder
from portal.reminders.services import send_reminders
from portal.util import clock
from tests.notification_prefs_support import prefer
from tests.reminders.reminder_support import T, entry, invoke, notices, totals
from tests.support.worlds import reminders
from tests.trainings.evaluation_support import participants, past_batch

reminders_world = reminders.reminders_world  # built once for the module


def _by_user(db) -> dict[int, list[tuple[str, dict, str | None]]]:
    found: dict[int, list] = {}
    for user_id, key, params, link in notices(db):
        found.setdefault(user_id, []).append((key, params, link))
    return found


def test_each_kind_reaches_the_right_person_with_the_days_left(app, db, reminders_world, outbox):
    w = reminders_world
    result = invoke(app, "--today", T.isoformat())
    assert result.exit_code == 0, result.output
    for line in (
        "1 logbook reminder(s) sent",
        "2 evaluation reminder(s) sent",
        "1 offer reminder(s) sent",
        "0 L3 form(s) sent",
    ):
        assert line in result.output
    sent = _by_user(db)
    assert set(sent) == {w.behind.id, w.ending_mentor.id, w.dpl.id, w.offered.id}
    p = w.behind_placement.id
    assert sent[w.behind.id] == [
        (
            "reminders.logbook",
            {"days": 3, "since": {"__date__": "2030-05-31"}},
            f"/internships/placements/{p}#logbook",
        )
    ]
    ending = w.ending_placement.id
    (mentor,) = sent[w.ending_mentor.id]
    (dpl,) = sent[w.dpl.id]
    assert mentor[0] == dpl[0] == "reminders.evaluation_due"
    assert (
        mentor[1]
        == dpl[1]
        == {
            "student": w.ending.full_name,
            "days": 5,
            "due": {"__date__": "2030-06-10"},
            "position": w.ending_placement.position.title,
        }
    )
    assert mentor[2].endswith(f"/placements/{ending}/evaluate")
    assert dpl[2].endswith(f"/placements/{ending}/academic")
    ((key, params, link),) = sent[w.offered.id]
    assert (key, params["days"], params["position"]) == ("reminders.offer", 2, "Magang Analis Data")
    assert params["expires"] == {"__datetime__": "2030-06-07T03:00:00+00:00"} and link.endswith(
        f"/{w.offer.id}"
    )
    (mail,) = outbox(w.behind.email)
    assert mail.subject.startswith("You have not filled your logbook for 3 working days")
    assert len(outbox(w.dpl.email)) == len(outbox(w.offered.email)) == 1
    for quiet in (w.diligent, w.later, w.late_mentor, w.mentor, w.offered_later):
        assert outbox(quiet.email) == []


def test_running_twice_sends_nothing_twice(app, db, reminders_world):
    assert invoke(app, "--today", T.isoformat()).exit_code == 0
    before = totals(db)
    assert before == (4, 4)
    again = invoke(app, "--today", T.isoformat())
    assert again.exit_code == 0, again.output
    assert "0 logbook reminder(s) sent" in again.output
    assert "0 evaluation reminder(s) sent" in again.output
    assert "0 offer reminder(s) sent" in again.output
    assert totals(db) == before
    assert db.session.scalar(sa.select(sa.func.count(SentReminder.id))) == 4


def test_a_later_day_reminds_again_only_where_the_rule_says(app, db, reminders_world):
    w = reminders_world
    send_reminders(T)
    # Thursday: 4 days behind (same step), the evaluation in 4 days (same step), the offer
    # expires tomorrow (a new step).
    assert send_reminders(T + timedelta(days=1))["offer"] == 1
    assert [n[2]["days"] for n in notices(db) if n[0] == w.offered.id] == [2, 1]
    runs = send_reminders(T + timedelta(days=1))
    assert (runs["logbook"], runs["evaluation"], runs["offer"]) == (0, 0, 0)
    # The mentor gives their part: 2 days before the end only the DPL is reminded. That
    # Saturday the student has missed 6 working days: a second step, with the new figure.
    db.session.add(
        MentorEvaluation(
            placement_id=w.ending_placement.id,
            mentor_id=w.ending_mentor.id,
            total=80.0,
            submitted_at=w.ending_placement.created_at,
        )
    )
    db.session.flush()
    assert send_reminders(T + timedelta(days=3))["evaluation"] == 1
    assert [n[2]["days"] for n in notices(db) if n[0] == w.dpl.id] == [5, 2]
    assert [n[2]["days"] for n in notices(db) if n[0] == w.behind.id] == [3, 6]
    send_reminders(T + timedelta(days=5))  # Monday: still the second step (7 days)
    assert [n[2]["days"] for n in notices(db) if n[0] == w.behind.id] == [3, 6]


def test_a_new_entry_ends_the_reminders_of_the_old_gap(db, reminders_world):
    send_reminders(T)
    entry(db.session, reminders_world.behind_placement, T)

    def mine():
        return [n[2] for n in notices(db) if n[0] == reminders_world.behind.id]

    send_reminders(T + timedelta(days=5))  # Monday: Thursday and Friday missed, 2 < 3
    assert mine() == [{"days": 3, "since": {"__date__": "2030-05-31"}}]
    send_reminders(T + timedelta(days=6))  # Tuesday: Thursday, Friday, Monday missed
    assert mine()[1:] == [{"days": 3, "since": {"__date__": "2030-06-06"}}]


def test_an_overdue_evaluation_says_by_how_many_days(db, reminders_world):
    runs = send_reminders(T + timedelta(days=8))  # ended 3 days ago
    assert runs["evaluation"] == 2
    overdue = [n for n in notices(db) if n[1] == "reminders.evaluation_overdue"]
    assert {n[0] for n in overdue} == {reminders_world.ending_mentor.id, reminders_world.dpl.id}
    assert all(n[2]["days"] == 3 for n in overdue)


def test_a_concurrent_run_is_stopped_by_the_unique_constraint(db, reminders_world, monkeypatch):
    send_reminders(T)
    before = totals(db)
    # The other run did not see our rows yet: it tries to insert the same reminders.
    monkeypatch.setattr(delivery, "_already_sent", lambda kind, dues: set())
    runs = send_reminders(T)
    assert (runs["logbook"], runs["evaluation"], runs["offer"]) == (0, 0, 0)
    assert totals(db) == before


def test_l3_forms_pending_are_sent_through_the_job(app, db, make):
    tmake = make.trainings
    batch = past_batch(tmake, completed_days_ago=app.config["TRAINING_L3_AFTER_DAYS"])
    (registration,) = participants(tmake, batch, 1)
    today = clock.today()
    first = invoke(app, "--today", today.isoformat())
    assert first.exit_code == 0, first.output
    assert "2 L3 form(s) sent" in first.output  # the ASN and their supervisor
    second = invoke(app, "--today", today.isoformat())
    assert "0 L3 form(s) sent" in second.output and "0 L3 reminder(s) sent" in second.output
    every = app.config["TRAINING_L3_REMINDER_DAYS"]
    later = invoke(app, "--today", (today + timedelta(days=every)).isoformat())
    assert "2 L3 reminder(s) sent" in later.output


def test_jp_behind_is_reminded_once_a_quarter_with_the_days_left(app, db, make):
    boss = make.asn_profile()
    me = make.asn_profile(supervisor=boss)
    first = invoke(app, "--today", "2025-05-02")
    assert first.exit_code == 0, first.output
    assert "2 JP reminder(s) to ASN sent" in first.output
    assert "1 JP notice(s) to supervisors sent" in first.output
    from portal.notify import Notification

    mine = db.session.scalars(
        sa.select(Notification.params).where(Notification.user_id == me.user_id)
    ).all()
    assert [p["days"] for p in mine] == [59]
    again = invoke(app, "--today", "2025-05-03")
    assert "0 JP reminder(s) to ASN sent" in again.output


@pytest.mark.parametrize("bad", ["kemarin", "2030-02-30", "05-06-2030"])
def test_a_bad_today_is_a_clean_error(app, db, bad):
    result = invoke(app, "--today", bad)
    assert result.exit_code == 2
    assert "Invalid value for '--today'" in result.output
    assert "Traceback" not in result.output


def test_the_selection_does_not_grow_with_the_data(db, make, count_queries):
    reminders.build_reminders(make)
    send_reminders(T)
    with count_queries() as small:
        send_reminders(T)
    for _ in range(3):
        reminders.build_reminders(make)
    send_reminders(T)
    with count_queries() as large:
        runs = send_reminders(T)
    assert sum(runs.values()) == 0
    assert large() == small()


def test_who_chose_a_digest_gets_the_reminder_in_one_e_mail_at_the_end_of_the_run(
    app, db, reminders_world, outbox
):
    w = reminders_world
    prefer(w.behind, reminders=Channel.DIGEST)
    first = invoke(app, "--today", T.isoformat())
    assert first.exit_code == 0, first.output
    assert "1 logbook reminder(s) sent" in first.output
    assert "1 daily digest e-mail(s) sent" in first.output
    (mail,) = outbox(w.behind.email)  # the digest, not an e-mail of its own
    assert "You have not filled your logbook for 3 working days" in mail.body_text
    assert "daily digest" in mail.body_text
    again = invoke(app, "--today", T.isoformat())
    assert "0 daily digest e-mail(s) sent" in again.output
    assert len(outbox(w.behind.email)) == 1


def test_the_reminders_dates_read_day_first_in_the_readers_language(
    app, db, reminders_world, outbox
):
    """Issue 18: the reminder keeps its dates as dates; each reader reads them day first in
    their language (never "5/31/30" nor ISO), in the portal and in the e-mail."""
    from flask_babel import force_locale

    from portal.notify import Notification

    w = reminders_world
    send_reminders(T)
    mine = {
        n.user_id: n
        for n in db.session.scalars(
            sa.select(Notification).where(Notification.category == "reminders")
        )
    }
    expected = {
        w.behind.id: ("since 31 May 2030", "31 Mei 2030"),
        w.ending_mentor.id: ("on 10 Jun 2030", "10 Jun 2030"),
        w.offered.id: ("on 7 Jun 2030 10:00 WIB", "7 Jun 2030 10.00 WIB"),
    }
    for user_id, (english, indonesian) in expected.items():
        with app.test_request_context(), force_locale("en"):
            assert english in mine[user_id].text
        with app.test_request_context(), force_locale("id"):
            assert indonesian in mine[user_id].text
    (mail,) = outbox(w.behind.email)
    assert {"id": "31 Mei 2030", "en": "31 May 2030"}[w.behind.locale or "id"] in mail.body_text
    assert "2030-05-31" not in mail.body_text and "5/31/30" not in mail.body_text
