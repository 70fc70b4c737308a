"""The recognition workflows (CONVENTIONS.md §6): two tables on the engine (``portal.workflow``)
and who their parties are.

A recognition proposal (made by the portal from verified data) is proposed → approved (the ASN
gets a certificate and the badge) | rejected (with a reason), by a city admin (BKPSDM), never on
their own recognition. An award nomination dossier is prepared → submitted to the authorised
official (who decides on the award; the portal never grants it), by a city admin or an admin of
the ASN's OPD, never for themselves, once every item of the eligibility checklist holds.

Neither has a history table: the steps are in the audit log, written by the services.
"""

from __future__ import annotations

from portal.competency.models import AsnProfile
from portal.db import TitledEnum, db
from portal.i18n import _l
from portal.own_record import refuse_own_record
from portal.trainings.models import is_city_admin
from portal.trainings.recognition.models import (
    AwardNomination,
    NominationState,
    ProposalState,
    RecognitionProposal,
)
from portal.workflow import Workflow, step

CITY_ADMIN_ONLY = _l("Only a city admin (BKPSDM) decides on recognition.")
OWN_OPD_ONLY = _l("You may nominate only ASN of your own OPD.")
OWN_RECOGNITION = _l(
    "You cannot decide on your own recognition: another city administrator must do it."
)
OWN_NOMINATION = _l(
    "You cannot nominate yourself for an award: another administrator prepares and submits "
    "the dossier."
)


def _asn(record) -> AsnProfile | None:
    return db.session.get(AsnProfile, record.asn_id)


# --- recognition proposals -----------------------------------------------------------------------


class ProposalAction(TitledEnum):
    APPROVE = "approve", _l("Approve")
    REJECT = "reject", _l("Reject")


CITY_ADMIN = "city_admin"


def proposal_parties(proposal: RecognitionProposal, user) -> frozenset[str]:
    return frozenset({CITY_ADMIN}) if is_city_admin(user) else frozenset()


def _not_their_own_recognition(proposal: RecognitionProposal, _action, user, **_context):
    """Nobody decides on their own recognition (issue 15): refused as ``OwnRecord`` (403)."""
    refuse_own_record(user, _asn(proposal), OWN_RECOGNITION)


PROPOSAL = Workflow(
    name="trainings.recognition_proposal",
    steps={
        (ProposalState.PROPOSED, ProposalAction.APPROVE): step(ProposalState.APPROVED, CITY_ADMIN),
        (ProposalState.PROPOSED, ProposalAction.REJECT): step(ProposalState.REJECTED, CITY_ADMIN),
    },
    parties=proposal_parties,
    not_possible=lambda _action, state: _l(
        "This proposal was already decided: %(state)s.", state=state.title
    ),
    party_text={frozenset({CITY_ADMIN}): CITY_ADMIN_ONLY},
    guards=(_not_their_own_recognition,),
)


# --- award nominations ---------------------------------------------------------------------------


class NominationAction(TitledEnum):
    SUBMIT = "submit", _l("Submit the nomination")
    RECORD_DECISION = "record_decision", _l("Record the decision")


NOMINATOR = "nominator"


def nomination_parties(nomination: AwardNomination, user) -> frozenset[str]:
    """A city admin, or an admin of the ASN's OPD (``AwardNomination.can_view``)."""
    return frozenset({NOMINATOR}) if nomination.can_view(user) else frozenset()


def _not_their_own_nomination(nomination: AwardNomination, _action, user, **_context):
    """Nobody nominates themself (issue 15): refused as ``OwnRecord`` (403)."""
    refuse_own_record(user, _asn(nomination), OWN_NOMINATION)


def _eligible(nomination: AwardNomination, _action, _user, **_context):
    if not nomination.is_eligible:
        return _l(
            "Every item of the eligibility checklist must hold before the nomination is submitted."
        )
    return None


def _nomination_not_possible(action, state):
    if action == NominationAction.SUBMIT:
        return _l("This nomination was already submitted.")
    if state == NominationState.PREPARED:
        return _l("Submit the nomination first: the official decides on a submitted one.")
    return _l("The decision on this nomination is already recorded.")


NOMINATION = Workflow(
    name="trainings.award_nomination",
    steps={
        (NominationState.PREPARED, NominationAction.SUBMIT): step(
            NominationState.SUBMITTED, NOMINATOR, guards=[_eligible]
        ),
        # the official decided: awarded (with the SK) or not
        (NominationState.SUBMITTED, NominationAction.RECORD_DECISION): step(
            NominationState.AWARDED, NOMINATOR, also=[NominationState.NOT_AWARDED]
        ),
    },
    parties=nomination_parties,
    not_possible=_nomination_not_possible,
    party_text={frozenset({NOMINATOR}): OWN_OPD_ONLY},
    guards=(_not_their_own_nomination,),
)
