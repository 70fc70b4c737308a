"""The JP ledger: external records and their verification, crediting trainings, the yearly
ledger with its quarter status, and who is behind."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.competency.models import AsnStatus
from portal.errors import DomainError, InvalidTransition
from portal.notify import Notification
from portal.trainings.ledger import queries as ledger_queries
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.conversion import Unit
from portal.trainings.ledger.models import EntryAction, EntryState, LedgerEntry, LedgerSource
from portal.trainings.ledger.queries import QuarterStatus
from tests.support.worlds import trainings as trainings_worlds
from tests.trainings.ledger_support import pdf, registration, submit, verified

jp_ledger_world = trainings_worlds.jp_ledger_world  # built once for the module

# --- submitting --------------------------------------------------------------------------------


def test_asn_submits_with_evidence_raw_and_converted_jp_are_stored(db, jp_ledger_world):
    entry = submit(jp_ledger_world.me, form="seminar", scope="international", quantity=2)
    assert (entry.state, entry.source, entry.year) == (
        EntryState.SUBMITTED,
        LedgerSource.EXTERNAL,
        2025,
    )
    assert (entry.quantity, entry.unit, entry.jp) == (2, Unit.PER_DAY, 12)
    assert entry.evidence.original_name == "sertifikat.pdf"
    assert entry.certificate_number == "SRT/001/2025"
    assert [e.action for e in entry.events] == [EntryAction.SUBMIT]


def test_coaching_sessions_are_capped_per_month_of_the_activity(db, jp_ledger_world):
    one_month = submit(
        jp_ledger_world.me,
        form="coaching",
        quantity=3,
        started_on=date(2025, 4, 1),
        ended_on=date(2025, 4, 29),
    )
    two_months = submit(
        jp_ledger_world.me,
        form="coaching",
        quantity=3,
        started_on=date(2025, 4, 1),
        ended_on=date(2025, 5, 20),
    )
    assert (one_month.jp, two_months.jp) == (4, 6)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"actor": "peer"}, "Only the ASN"),
        ({"form": "nonton"}, "form of development"),
        ({"started_on": date(2025, 3, 12)}, "before the start"),
        ({"ended_on": date(2999, 1, 1)}, "once it has ended"),
        ({"title": "  "}, "name of the activity"),
        ({"evidence_upload": None}, "proof"),
        ({"evidence_upload": "exe"}, "not accepted"),
        ({"quantity": 0}, "more than zero"),
    ],
)
def test_submission_refusals(db, jp_ledger_world, change, message):
    kw = {
        "form": "seminar",
        "scope": "national",
        "title": "Seminar",
        "organiser": "Kemenkes",
        "started_on": date(2025, 3, 10),
        "ended_on": date(2025, 3, 11),
        "quantity": 2,
        "evidence_upload": pdf(),
        "actor": jp_ledger_world.me.user,
    }
    if change.pop("actor", None):
        kw["actor"] = jp_ledger_world.peer.user
    if change.get("evidence_upload") == "exe":
        change["evidence_upload"] = pdf("virus.exe")
    kw.update(change)
    with pytest.raises(DomainError, match=message):
        ledger_services.submit_external(jp_ledger_world.me, **kw)
    assert db.session.scalar(sa.select(sa.func.count(LedgerEntry.id))) == 0


# --- verification: state × action × who ---------------------------------------------------------

ACTORS = ("asn", "other_asn", "opd_admin", "other_opd_admin", "city_admin")
ALLOWED = {"opd_admin", "city_admin"}


def _actor(w, who):
    return {
        "asn": w.me.user,
        "other_asn": w.peer.user,
        "opd_admin": w.opd_admin,
        "other_opd_admin": w.other_admin,
        "city_admin": w.city_admin,
    }[who]


@pytest.mark.parametrize(
    ("state", "action", "who"),
    list(itertools.product(EntryState, (EntryAction.VERIFY, EntryAction.REJECT), ACTORS)),
)
def test_verification_triples(db, jp_ledger_world, state, action, who):
    entry = submit(jp_ledger_world.me)
    entry.state = state
    actor = _actor(jp_ledger_world, who)
    run = {
        EntryAction.VERIFY: lambda: ledger_services.verify_external(entry, actor=actor),
        EntryAction.REJECT: lambda: ledger_services.reject_external(
            entry, actor=actor, reason="Sertifikat tidak terbaca"
        ),
    }[action]
    assert entry.can_verify(actor) == (state == EntryState.SUBMITTED and who in ALLOWED)
    if state == EntryState.SUBMITTED and who in ALLOWED:
        run()
        expected = EntryState.VERIFIED if action == EntryAction.VERIFY else EntryState.REJECTED
        assert entry.state == expected
        assert entry.events[-1].action == action and entry.events[-1].actor_id == actor.id
        if action == EntryAction.VERIFY:
            assert entry.verified_by_id == actor.id and entry.verified_at is not None
        else:
            assert entry.reason == "Sertifikat tidak terbaca" and entry.verified_at is None
        audit = db.session.scalars(sa.select(AuditEvent.action)).all()
        assert f"ledger.{action.value}" in audit
        notice = db.session.scalars(
            sa.select(Notification).where(Notification.user_id == jp_ledger_world.me.user_id)
        ).one()
        assert notice.message_key == f"ledger.{action.value}ed".replace("verifyed", "verified")
    else:
        message = "not possible while" if state != EntryState.SUBMITTED else "Only a city"
        with pytest.raises(InvalidTransition, match=message):
            run()
        assert entry.state == state


def test_rejection_needs_a_reason(db, jp_ledger_world):
    entry = submit(jp_ledger_world.me)
    with pytest.raises(DomainError, match="Say why"):
        ledger_services.reject_external(entry, actor=jp_ledger_world.city_admin, reason="  ")
    assert entry.state == EntryState.SUBMITTED


def test_an_admin_never_verifies_their_own_record(db, jp_ledger_world, make):
    from portal.auth.models import Role

    admin_asn = make.asn_profile(make.user(Role.ASN, Role.ADMIN, agency=jp_ledger_world.opd))
    entry = submit(admin_asn)
    assert not entry.can_verify(admin_asn.user)
    with pytest.raises(InvalidTransition):
        ledger_services.verify_external(entry, actor=admin_asn.user)
    assert entry not in ledger_queries.pending_for(admin_asn.user)


def test_pending_queue_is_scoped_to_the_admins_opd(db, jp_ledger_world, make):
    from portal.auth.models import Role

    mine = submit(jp_ledger_world.me)
    elsewhere = submit(make.asn_profile(make.user(Role.ASN, agency=jp_ledger_world.other)))
    done = submit(jp_ledger_world.peer)
    done.state = EntryState.VERIFIED
    assert ledger_queries.pending_for(jp_ledger_world.opd_admin) == [mine]
    assert ledger_queries.pending_for(jp_ledger_world.other_admin) == [elsewhere]
    assert ledger_queries.pending_for(jp_ledger_world.city_admin) == [mine, elsewhere]
    assert ledger_queries.pending_for(jp_ledger_world.me.user) == []


# --- crediting trainings ------------------------------------------------------------------------


def test_crediting_a_training_is_idempotent(db, jp_ledger_world):
    reg = registration(501, jp_ledger_world.me, jp=16)
    first = ledger_services.credit_training(reg, actor=None)
    again = ledger_services.credit_training(reg, actor=None)
    assert first is again or first.id == again.id
    rows = db.session.scalars(sa.select(LedgerEntry)).all()
    assert len(rows) == 1
    entry = rows[0]
    assert (entry.source, entry.state, entry.jp, entry.registration_id) == (
        LedgerSource.TRAINING,
        EntryState.VERIFIED,
        16,
        501,
    )
    assert (entry.started_on, entry.ended_on, entry.year) == (
        date(2025, 5, 5),
        date(2025, 5, 7),
        2025,
    )
    assert (entry.title, entry.organiser, entry.certificate_number) == (
        "Pelatihan Analisis Data",
        "BKPSDM Kota Medan",
        "SNG-1",
    )
    assert [e.action for e in entry.events] == [EntryAction.CREDIT]
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "ledger.credit")
        )
        == 1
    )


def test_the_database_refuses_a_second_credit_for_one_registration(db, jp_ledger_world):
    ledger_services.credit_training(registration(502, jp_ledger_world.me), actor=None)
    first = db.session.scalars(sa.select(LedgerEntry)).one()
    duplicate = LedgerEntry(
        **{
            c: getattr(first, c)
            for c in (
                "asn_id",
                "year",
                "source",
                "registration_id",
                "form",
                "scope",
                "title",
                "organiser",
                "started_on",
                "ended_on",
                "quantity",
                "unit",
                "jp",
                "state",
            )
        }
    )
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(duplicate)
        db.session.flush()


def test_session_start_times_give_jakarta_calendar_days(db, jp_ledger_world):
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace

    reg = registration(504, jp_ledger_world.me)
    # 06:00 WIB on 5 May is 23:00 UTC on 4 May.
    reg.batch.sessions = [  # four hours each: what they earn is credited
        SimpleNamespace(starts_at=start, ends_at=start + timedelta(hours=4))
        for start in (datetime(2025, 5, 4, 23, tzinfo=UTC), datetime(2025, 5, 6, 2, tzinfo=UTC))
    ]
    entry = ledger_services.credit_training(reg, actor=None)
    assert (entry.started_on, entry.ended_on) == (date(2025, 5, 5), date(2025, 5, 6))


def test_a_registration_without_jp_is_refused(db, jp_ledger_world):
    with pytest.raises(DomainError, match="cannot be credited"):
        ledger_services.credit_training(registration(503, jp_ledger_world.me, jp=0), actor=None)


# --- the yearly ledger --------------------------------------------------------------------------


def test_totals_count_only_verified_records_of_the_year(db, jp_ledger_world):
    verified(jp_ledger_world.me, 2)  # 10 JP
    submit(jp_ledger_world.me)  # 8 JP waiting
    rejected = submit(jp_ledger_world.me, form="workshop", quantity=4)
    ledger_services.reject_external(
        rejected, actor=jp_ledger_world.city_admin, reason="Bukan ASN ini"
    )
    verified(jp_ledger_world.me, 4, ended_on=date(2024, 12, 30))  # last year
    verified(jp_ledger_world.peer, 4)  # someone else
    ledger_services.credit_training(registration(600, jp_ledger_world.me, jp=6), actor=None)
    ledger = ledger_queries.ledger_for(jp_ledger_world.me, 2025, as_of=date(2025, 7, 1))
    assert len(ledger.entries) == 4
    assert (ledger.total_jp, ledger.pending_jp, ledger.target) == (16, 8, 20)
    assert ledger.percent == 80 and not ledger.is_met


def test_quarter_status(db, jp_ledger_world):
    verified(jp_ledger_world.me, 1, ended_on=date(2025, 2, 10))  # 5 JP in Q1
    verified(jp_ledger_world.me, 1, ended_on=date(2025, 8, 10))  # 5 more in Q3
    ledger = ledger_queries.ledger_for(jp_ledger_world.me, 2025, as_of=date(2025, 8, 15))
    got = [(q.milestone, q.jp, q.status) for q in ledger.quarters]
    assert got == [
        (5, 5, QuarterStatus.MET),
        (10, 5, QuarterStatus.BEHIND),
        (15, 10, QuarterStatus.OPEN),
        (20, 10, QuarterStatus.UPCOMING),
    ]


def test_target_and_milestones_follow_config(app, db, jp_ledger_world, make):
    from portal.auth.models import Role

    pppk = make.asn_profile(make.user(Role.ASN, agency=jp_ledger_world.opd), status=AsnStatus.PPPK)
    verified(pppk, 2)  # 10 JP
    app.config.update(JP_TARGET_PPPK=24, JP_QUARTER_SHARES=(20, 40, 60, 100))
    try:
        ledger = ledger_queries.ledger_for(pppk, 2025, as_of=date(2025, 12, 31))
        assert ledger.target == 24 and [q.milestone for q in ledger.quarters][0] == 4.8
        assert ledger_queries.ledger_for(jp_ledger_world.me, 2025).target == 20
    finally:
        app.config.update(JP_TARGET_PPPK=20, JP_QUARTER_SHARES=(25, 50, 75, 100))


def test_behind_target_lists_asn_with_their_supervisors(db, jp_ledger_world):
    verified(jp_ledger_world.me, 1, ended_on=date(2025, 2, 10))  # 5 JP: Q1 met, Q2 (10) not
    verified(jp_ledger_world.peer, 2, ended_on=date(2025, 5, 10))  # 10 JP
    verified(jp_ledger_world.boss, 1, ended_on=date(2025, 8, 10))  # after as_of: does not count yet
    rows = ledger_queries.behind_target(2025, date(2025, 7, 15))
    by_asn = {r.asn.id: r for r in rows}
    assert set(by_asn) == {jp_ledger_world.me.id, jp_ledger_world.boss.id}
    assert by_asn[jp_ledger_world.me.id].supervisor.id == jp_ledger_world.boss.id
    assert (by_asn[jp_ledger_world.me.id].jp, by_asn[jp_ledger_world.me.id].expected) == (5, 10)
    assert by_asn[jp_ledger_world.boss.id].supervisor is None
    # During Q1 nobody is behind yet; after the year everyone under 20 is.
    assert ledger_queries.behind_target(2025, date(2025, 2, 1)) == []
    assert {r.asn.id for r in ledger_queries.behind_target(2025, date(2026, 1, 5))} == {
        jp_ledger_world.me.id,
        jp_ledger_world.peer.id,
        jp_ledger_world.boss.id,
    }
