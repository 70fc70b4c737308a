"""Recognition writes: the rules, proposing from verified signals, the city admin's decision,
the hall of fame consent and award nomination dossiers. Services flush, record and notify;
they never commit.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import Role, User
from portal.certificates.models import CertificateKind
from portal.certificates.services import issue_certificate
from portal.competency.models import AsnProfile
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.notify import register_messages, tell
from portal.trainings.models import is_city_admin
from portal.trainings.recognition.models import (
    DEFAULT_RULES,
    TEXT_MAX,
    TITLE_MAX,
    HallOfFameConsent,
    ProposalState,
    RecognitionProposal,
    RecognitionRule,
)
from portal.trainings.recognition.signals import SIGNALS
from portal.trainings.recognition.workflow import (
    CITY_ADMIN_ONLY,
    OWN_OPD_ONLY,
    PROPOSAL,
    ProposalAction,
)
from portal.util import links
from portal.util.text import clean_text

register_messages(
    recognition__proposed=_l(
        "%(count)s new recognition proposals for %(year)s wait for your decision."
    ),
    recognition__approved=_l(
        "Congratulations: your recognition “%(title)s” was approved. Your certificate is ready."
    ),
    recognition__rejected=_l("The recognition “%(title)s” was not approved: %(reason)s"),
)

SOURCE_TYPE = "recognition"


class NotYourOpd(DomainError):
    status = 403
    default_message = OWN_OPD_ONLY


class NotCityAdmin(DomainError):
    status = 403
    default_message = CITY_ADMIN_ONLY


# --- rules ---------------------------------------------------------------------------------------


def seed_rules() -> list[RecognitionRule]:
    """Add the default rule of each kind that has no rule yet (safe to run again)."""
    have = set(db.session.scalars(sa.select(RecognitionRule.kind).distinct()))
    added = []
    for kind, threshold, title, active in DEFAULT_RULES:
        if kind not in have:
            added.append(
                RecognitionRule(kind=kind, threshold=threshold, title=title, is_active=active)
            )
    db.session.add_all(added)
    db.session.flush()
    return added


def update_rule(
    rule: RecognitionRule, *, title: str, threshold: float, is_active: bool, actor
) -> RecognitionRule:
    """Change a rule (city admins only). Refuses an empty title and a threshold outside the
    kind's range. Proposals already made keep the figures and title they had."""
    if not is_city_admin(actor):
        raise NotCityAdmin()
    title = clean_text(title, TITLE_MAX)
    low, high = rule.kind.threshold_range
    if not title:
        raise DomainError(_l("Give the rule a title."))
    if threshold is None or not low <= float(threshold) <= high:
        raise DomainError(_l("The threshold runs from %(low)s to %(high)s.", low=low, high=high))
    before = {"title": rule.title, "threshold": rule.threshold, "active": rule.is_active}
    rule.title, rule.threshold, rule.is_active = title, float(threshold), bool(is_active)
    rule.updated_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "recognition.rule",
        rule,
        target_label=title,
        before=before,
        threshold=rule.threshold,
        active=rule.is_active,
    )
    return rule


# --- proposing -----------------------------------------------------------------------------------


def propose(year: int, *, actor=None) -> list[RecognitionProposal]:
    """Propose recognition for ``year`` under every active rule, from verified data only.

    Idempotent: an ASN already proposed under a rule for the year (whatever the decision) is
    not proposed again, also when two runs overlap (the unique key decides). City admins are
    told once how many new proposals wait. Returns the new proposals.
    """
    rules = list(
        db.session.scalars(
            sa.select(RecognitionRule)
            .where(RecognitionRule.is_active.is_(True))
            .order_by(RecognitionRule.id)
        )
    )
    existing = {
        (asn_id, rule_id)
        for asn_id, rule_id in db.session.execute(
            sa.select(RecognitionProposal.asn_id, RecognitionProposal.rule_id).where(
                RecognitionProposal.period == year
            )
        )
    }
    created = []
    for rule in rules:
        for signal in SIGNALS[rule.kind.value](year, float(rule.threshold)):
            if (signal.asn_id, rule.id) in existing:
                continue
            proposal = RecognitionProposal(
                asn_id=signal.asn_id,
                agency_id=signal.agency_id,
                rule_id=rule.id,
                period=year,
                title=rule.title,
                state=ProposalState.PROPOSED,
                evidence={
                    "kind": rule.kind.value,
                    "threshold": float(rule.threshold),
                    **signal.evidence,
                },
            )
            try:
                with db.session.begin_nested():
                    db.session.add(proposal)
                    db.session.flush()
            except IntegrityError:
                continue  # proposed by an overlapping run a moment ago
            existing.add((signal.asn_id, rule.id))
            created.append(proposal)
    if created:
        admins = db.session.scalars(
            sa.select(User)
            .where(User.admin_agency_id.is_(None), User.is_active_flag.is_(True))
            .options(selectinload(User.role_rows))
        )
        tell(
            [u for u in admins if Role.ADMIN in u.roles],
            "recognition.proposed",
            link=links.link("trainings.recognition_proposals"),
            count=len(created),
            year=year,
        )
    return created


# --- deciding ------------------------------------------------------------------------------------


def _city_admin_only(actor) -> None:
    """Anybody but a city admin is refused first, as a 403 (``NotCityAdmin``), before the
    workflow says whether the step is possible."""
    if not is_city_admin(actor):
        raise NotCityAdmin()


def _asn_user(proposal: RecognitionProposal) -> User:
    asn = db.session.get(AsnProfile, proposal.asn_id)
    return db.session.get(User, asn.user_id)


def approve(proposal: RecognitionProposal, *, actor) -> RecognitionProposal:
    """A city admin approves: the ASN gets a recognition certificate and the badge (the approved
    proposal), and is told. Refuses anyone else, the ASN themself and a proposal already
    decided."""
    _city_admin_only(actor)
    PROPOSAL.apply(proposal, ProposalAction.APPROVE, actor)
    holder = _asn_user(proposal)
    certificate = issue_certificate(
        kind=CertificateKind.RECOGNITION,
        subject=holder,
        title=f"{proposal.title} ({proposal.period})",
        source_type=SOURCE_TYPE,
        source_id=proposal.id,
        agency_id=proposal.agency_id,
        actor=actor,
    )
    proposal.certificate_id = certificate.id
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor,
        "recognition.decide",
        proposal,
        target_label=holder.full_name,
        decision="approved",
        certificate=certificate.number,
    )
    tell(
        [holder],
        "recognition.approved",
        link=links.link("trainings.my_recognitions"),
        title=proposal.title,
    )
    return proposal


def reject(proposal: RecognitionProposal, *, reason: str, actor) -> RecognitionProposal:
    """A city admin rejects, with a reason the ASN is told. Refuses an empty reason, and whom
    :func:`approve` refuses."""
    _city_admin_only(actor)
    to_state = PROPOSAL.check(proposal, ProposalAction.REJECT, actor)
    reason = clean_text(reason, TEXT_MAX)
    if not reason:
        raise DomainError(_l("Give the reason for rejecting the proposal."))
    holder = _asn_user(proposal)
    proposal.state, proposal.reason = to_state, reason
    proposal.decided_by_id, proposal.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record(
        actor, "recognition.decide", proposal, target_label=holder.full_name, decision="rejected"
    )
    tell(
        [holder],
        "recognition.rejected",
        link=links.link("trainings.my_recognitions"),
        title=proposal.title,
        reason=reason,
    )
    return proposal


# --- hall of fame --------------------------------------------------------------------------------


def current_consent(asn: AsnProfile) -> HallOfFameConsent | None:
    return db.session.scalar(
        sa.select(HallOfFameConsent).where(
            HallOfFameConsent.asn_id == asn.id, HallOfFameConsent.withdrawn_at.is_(None)
        )
    )


def give_consent(asn: AsnProfile, *, actor) -> HallOfFameConsent:
    """The ASN opts in to the hall of fame (only for themselves; again is a no-op)."""
    if actor is None or actor.id != asn.user_id:
        raise DomainError(_l("Only the ASN themselves can give this consent."))
    consent = current_consent(asn)
    if consent is not None:
        return consent
    consent = HallOfFameConsent(asn_id=asn.id, given_at=utcnow())
    db.session.add(consent)
    db.session.flush()
    audit.record(actor, "recognition.consent", asn.user, consent="given")
    return consent


def withdraw_consent(asn: AsnProfile, *, actor) -> HallOfFameConsent | None:
    """The ASN withdraws: they leave the hall of fame at once; the row keeps both moments."""
    if actor is None or actor.id != asn.user_id:
        raise DomainError(_l("Only the ASN themselves can withdraw this consent."))
    consent = current_consent(asn)
    if consent is None:
        return None
    consent.withdrawn_at = utcnow()
    db.session.flush()
    audit.record(actor, "recognition.consent", asn.user, consent="withdrawn")
    return consent
