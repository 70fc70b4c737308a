"""The daily reminder run: every rule in turn, each reminder sent once (see ``delivery``).

The internship rules record what they sent in ``sent_reminders``; the training rules keep their
own records (``l3_forms.last_reminded_on``, ``jp_reminders``) and are called as they are, so
``send-l3-forms`` and ``remind-jp`` keep working on their own.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.db import utcnow
from portal.reminders import internship_rules as rules
from portal.reminders.delivery import deliver
from portal.util import clock

#: The kinds of a run, in the order they are sent and printed.
KINDS = (
    "logbook",
    "evaluation",
    "offer",
    "l3_form",
    "l3_reminder",
    "jp",
    "jp_supervisor",
    "digest",
)


def send_reminders(today: date | None = None, *, now: datetime | None = None) -> dict[str, int]:
    """Send every reminder due on ``today`` (a day in WIB; default today) and return how many
    of each kind were sent now. Flushes; the caller commits. Running it again the same day
    sends nothing."""
    from portal.digest import send_daily_digests
    from portal.trainings.evaluation import l3_services
    from portal.trainings.ledger.reminders import remind_behind

    now = now or utcnow()
    today = today or clock.today(now)
    counts = {
        "logbook": deliver("logbook", rules.logbook_dues(today)),
        "evaluation": deliver("evaluation", rules.evaluation_dues(today)),
        "offer": deliver("offer", rules.offer_dues(today, now)),
    }
    counts["l3_form"], counts["l3_reminder"] = l3_services.send_due(today)
    jp = remind_behind(today)
    counts["jp"], counts["jp_supervisor"] = jp.asn, jp.supervisors
    # Last, so that today's reminders are in the digest of those who chose one (at the real
    # time: the notices just made are later than ``now``).
    counts["digest"] = send_daily_digests()
    return {kind: counts[kind] for kind in KINDS}
