"""Award nominations (DOMAIN.md §6): the dossier an admin prepares for a formal award, its
submission to the authorised official, and the official's decision recorded from the decision
letter (SK). The portal nominates; it never grants. Services flush and audit; the view commits."""

from __future__ import annotations

from datetime import date

from portal import audit
from portal.competency.models import AsnProfile
from portal.competency.nip import check_nip
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError, InvalidTransition
from portal.i18n import _l
from portal.own_record import refuse_own_record
from portal.trainings.recognition.models import (
    CHECKLIST,
    TEXT_MAX,
    TITLE_MAX,
    AwardKind,
    AwardNomination,
    NominationState,
)
from portal.trainings.recognition.services import NotYourOpd
from portal.trainings.recognition.workflow import NOMINATION, OWN_NOMINATION, NominationAction
from portal.util import clock
from portal.util.dates import lazy_day
from portal.util.text import clean_text


def _may_nominate(asn: AsnProfile, actor) -> bool:
    return getattr(actor, "is_admin", False) and (
        actor.is_city_admin or actor.admin_agency_id == asn.agency_id
    )


def save_nomination(
    nomination: AwardNomination | None,
    *,
    asn: AsnProfile,
    award: str,
    category: str | None,
    year: int,
    justification: str,
    checks: dict,
    actor,
) -> AwardNomination:
    """Prepare (``nomination`` None) or change a nomination dossier while it is prepared.
    Refuses admins of another OPD, the ASN themself, an empty justification and a submitted
    dossier."""
    if not _may_nominate(asn, actor):
        raise NotYourOpd()
    refuse_own_record(actor, asn, OWN_NOMINATION)
    if nomination is not None and nomination.state != NominationState.PREPARED:
        raise InvalidTransition(_l("A submitted nomination can no longer be changed."))
    justification = clean_text(justification, TEXT_MAX)
    if not justification:
        raise DomainError(_l("Explain why this ASN deserves the award."))
    if nomination is None:
        nomination = AwardNomination(
            asn_id=asn.id, agency_id=asn.agency_id, prepared_by_id=actor.id
        )
        db.session.add(nomination)
    nomination.award, nomination.year = AwardKind(award), int(year)
    nomination.category = clean_text(category, TITLE_MAX) or None
    nomination.justification = justification
    for name in CHECKLIST:
        setattr(nomination, name, bool(checks.get(name)))
    db.session.flush()
    audit.record(
        actor,
        "recognition.nominate",
        nomination,
        target_label=asn.nip,
        award=nomination.award.value,
        step="prepared",
    )
    return nomination


def submit_nomination(nomination: AwardNomination, *, submitted_to: str, actor) -> AwardNomination:
    """Forward the dossier to the authorised official, who decides on the award (the portal
    never grants it). Refuses the ASN themself, an incomplete eligibility checklist and a
    missing addressee."""
    if not nomination.can_view(actor):
        raise NotYourOpd()  # a 403 before the workflow says whether the step is possible
    to_state = NOMINATION.check(nomination, NominationAction.SUBMIT, actor)
    submitted_to = clean_text(submitted_to, TITLE_MAX)
    if not submitted_to:
        raise DomainError(_l("Name the authorised official the nomination goes to."))
    nomination.state, nomination.submitted_to = to_state, submitted_to
    nomination.submitted_at, nomination.submitted_by_id = utcnow(), actor.id
    db.session.flush()
    audit.record(
        actor,
        "recognition.nominate",
        nomination,
        target_label=submitted_to,
        award=nomination.award.value,
        step="submitted",
    )
    return nomination


def record_decision(
    nomination: AwardNomination,
    *,
    awarded: bool,
    decision_number: str | None,
    decision_date: date | None,
    actor,
) -> AwardNomination:
    """Record the authorised official's decision on a submitted nomination. An award needs the
    decision letter (SK) number and date (SIASN riwayat penghargaan: ``skNomor``, ``skDate``);
    "not awarded" needs the date it was known. Refuses the ASN themself, a nomination not
    submitted or already decided, and a date in the future or before the submission."""
    if not nomination.can_view(actor):
        raise NotYourOpd()
    to_state = NominationState.AWARDED if awarded else NominationState.NOT_AWARDED
    if nomination.state != NominationState.SUBMITTED:  # the step's own refusal, before the fields
        NOMINATION.check(nomination, NominationAction.RECORD_DECISION, actor)
    number = clean_text(decision_number, 100) or None
    if awarded and not number:
        raise FieldError(
            "decision_number", _l("Give the number of the decision letter (SK)."), status=400
        )
    if decision_date is None:
        raise FieldError("decision_date", _l("Give the date of the decision."), status=400)
    if decision_date > clock.today():
        raise FieldError(
            "decision_date", _l("The decision date cannot be in the future."), status=400
        )
    submitted_on = nomination.submitted_at.astimezone(clock.zone()).date()
    if decision_date < submitted_on:
        raise FieldError(
            "decision_date",
            _l(
                "The decision cannot come before the submission (%(date)s).",
                date=lazy_day(submitted_on),
            ),
            status=400,
        )
    NOMINATION.apply(nomination, NominationAction.RECORD_DECISION, actor, to=to_state)
    nomination.decision_number = number if awarded else None
    nomination.decision_date = decision_date
    nomination.decision_recorded_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "recognition.nominate",
        nomination,
        target_label=nomination.asn.nip,
        award=nomination.award.value,
        step=to_state.value,
    )
    return nomination


def service_years(asn: AsnProfile, on: date) -> int | None:
    """Full years since the appointment (TMT) read from the NIP, or None when unreadable."""
    appointed = check_nip(asn.nip, today=on).appointed
    if appointed is None or appointed > on:
        return None
    return on.year - appointed.year - ((on.month, on.day) < (appointed.month, appointed.day))
