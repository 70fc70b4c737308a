"""The workflow of a JP ledger record submitted from elsewhere (CONVENTIONS.md §6): one table on
the engine (``portal.workflow``) and who the parties are.

submitted → verified | rejected (with the reason the ASN reads), by a city administrator or an
administrator of the ASN's OPD, never by the ASN themselves. Submitting and crediting a
completed training create a record (verified at once when credited): they are history entries,
not steps of the table. Every step writes a ``LedgerEvent`` (who, when, the note).
"""

from __future__ import annotations

from portal.db import db
from portal.i18n import _l
from portal.own_record import refuse_own_record
from portal.trainings.ledger.models import EntryAction, EntryState, LedgerEntry, LedgerEvent
from portal.workflow import Workflow, step

S, A = EntryState, EntryAction

OWNER, VERIFIER = "owner", "verifier"

OWN_ENTRY = _l("You cannot verify or reject your own record: another administrator must do it.")

PARTY_TEXT = {
    frozenset({VERIFIER}): _l(
        "Only a city administrator or an administrator of the ASN's OPD can do this, "
        "and never for their own record."
    ),
}


def parties_of(entry: LedgerEntry, user) -> frozenset[str]:
    """``owner`` for the ASN; ``verifier`` for a city admin or an admin of the ASN's OPD. An
    admin who is the ASN counts as a verifier too, so the guard says why they may not verify
    their own record. Needs ``asn`` loaded."""
    role = entry.role_of(user)
    if role is None:
        return frozenset()
    if role == OWNER and getattr(user, "is_admin", False):
        return frozenset({OWNER, VERIFIER})
    return frozenset({role})


def _not_their_own(entry: LedgerEntry, _action, user, **_context):
    """Nobody verifies their own record (issue 15): refused as ``OwnRecord`` (403)."""
    refuse_own_record(user, entry.asn, OWN_ENTRY)


def _record(entry: LedgerEntry, action, _from, _to, actor, note, at) -> None:
    db.session.add(
        LedgerEvent(
            entry_id=entry.id, action=action, actor_id=getattr(actor, "id", None), note=note, at=at
        )
    )


LEDGER_ENTRY = Workflow(
    name="trainings.ledger_entry",
    # crediting a completed training creates a verified record; the ASN's submission a submitted one
    starts={A.CREDIT: S.VERIFIED, A.SUBMIT: S.SUBMITTED},
    steps={
        (S.SUBMITTED, A.VERIFY): step(S.VERIFIED, VERIFIER),
        (S.SUBMITTED, A.REJECT): step(S.REJECTED, VERIFIER),
    },
    parties=parties_of,
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the record is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text=PARTY_TEXT,
    guards=(_not_their_own,),
    record=_record,
)
TRANSITIONS = LEDGER_ENTRY.steps

#: The state ``action`` leads the record to; raises InvalidTransition saying why it is blocked.
check = LEDGER_ENTRY.check
#: The steps ``user`` may take on the record now.
allowed_actions = LEDGER_ENTRY.allowed
