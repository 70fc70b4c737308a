"""The audit trail: who did what to whom, from where, when (UTC). Never holds a secret."""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import UTCDateTime, db, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User


log = logging.getLogger("portal.audit")

#: Every action the trail knows, with its translated title (the admin page filters on these).
ACTIONS = {
    "login.success": _l("Signed in"),
    "login.failure": _l("Failed sign-in"),
    "logout": _l("Signed out"),
    "password.change": _l("Password changed"),
    "password.reset_request": _l("Password reset requested"),
    "password.reset": _l("Password reset"),
    "account.register": _l("Student registered"),
    "account.register_attempt": _l("Registration tried with an e-mail that has an account"),
    "account.verify": _l("Account verified"),
    "account.reject": _l("Account rejected"),
    "account.invite": _l("Invitation sent"),
    "account.activate_invitation": _l("Invitation accepted"),
    "account.invitation": _l("Invitation queued"),
    "account.invite_bulk": _l("Invitations sent together"),
    "account.update": _l("Account changed"),
    "account.roles": _l("Roles changed"),
    "account.deactivate": _l("Account deactivated"),
    "account.reactivate": _l("Account reactivated"),
    "institution.create": _l("Institution created"),
    "institution.update": _l("Institution changed"),
    "institution.deactivate": _l("Institution deactivated"),
    "institution.reactivate": _l("Institution reactivated"),
    "access.denied": _l("Access denied"),
    "assessment.record": _l("Assessment recorded"),
    "competency.create": _l("Competency created"),
    "competency.update": _l("Competency changed (new version)"),
    "competency.retire": _l("Competency retired"),
    "position.save": _l("Position or standard changed"),
    "asn.save": _l("ASN record changed"),
    "asn.import": _l("ASN roster imported"),
    "curriculum.create": _l("Curriculum proposal created"),
    "curriculum.update": _l("Curriculum proposal changed"),
    "curriculum.transition": _l("Curriculum proposal moved in its workflow"),
    "curriculum.authors": _l("Curriculum co-authors changed"),
    "curriculum.evidence": _l("Demand-board evidence cited or removed"),
    "material.save": _l("Course material added or revised"),
    "material.delete": _l("Course material removed"),
    "material.flag": _l("Material problem report handled"),
    "internship.period": _l("Internship period created"),
    "internship.position": _l("Internship position created or changed"),
    "internship.position_state": _l("Internship position published or closed"),
    "internship.mentors": _l("Internship position mentors changed"),
    "internship.application": _l("Internship application moved in its workflow"),
    "internship.placement": _l("Internship placement created or changed"),
    "internship.logbook": _l("Internship logbook entry written or reviewed"),
    "internship.report": _l("Internship final report uploaded or decided"),
    "internship.settings": _l("University internship settings changed"),
    "internship.session": _l("Guidance session logged, changed, confirmed or disputed"),
    "internship.evaluation": _l("Internship evaluation or academic score recorded"),
    "internship.grade": _l("Internship final grade computed"),
    "internship.rubric": _l("University assessment rubric changed"),
    "internship.credit_scheme": _l("University credit scheme changed"),
    "internship.feedback": _l("Student feedback on a placement given"),
    "internship.intake": _l("Internship period intake mode set"),
    "internship.scores": _l("Internship applicants scored for a matching round"),
    "internship.match": _l("Internship matching round previewed or published"),
    "certificate.issue": _l("Certificate issued"),
    "certificate.revoke": _l("Certificate revoked"),
    "training.batch": _l("Training batch scheduled, opened, closed or completed"),
    "training.session": _l("Training session added"),
    "training.session_change": _l("Training session rescheduled"),
    "training.session_remove": _l("Training session removed"),
    "training.registration": _l("Training registration moved in its workflow"),
    "training.attendance": _l("Training attendance recorded"),
    "ledger.rule": _l("JP conversion rule changed"),
    "ledger.credit": _l("Training JP credited to a ledger"),
    "ledger.submit": _l("External development record submitted"),
    "ledger.verify": _l("External development record verified"),
    "ledger.reject": _l("External development record rejected"),
    # --- trainings pages (issue 5); each block belongs to one module family ---
    "training.certificate": _l("Training certificate issued"),
    "training.quiz": _l("Training pre- or post-test changed"),
    "training.quiz_result": _l("Post-test result recorded as an assessment"),
    "training.survey": _l("Training reaction survey questions changed"),
    "training.l3": _l("Post-training (L3) evaluation form answered or sent"),
    "training.action_plan": _l("Follow-up action plan item changed"),
    "recognition.rule": _l("Recognition rule changed"),
    "recognition.decide": _l("Recognition proposal approved or rejected"),
    "recognition.nominate": _l("ASN nominated for a state award"),
    "recognition.consent": _l("Hall of fame consent given or withdrawn"),
    "privacy.consent_give": _l("Consent given"),
    "privacy.consent_withdraw": _l("Consent withdrawn"),
    "privacy.export": _l("Personal data downloaded by its owner"),
    "privacy.request_create": _l("Personal data request made"),
    "privacy.request_handle": _l("Personal data request handled"),
    "privacy.purge": _l("Personal data past its retention period anonymised or deleted"),
    "privacy.erase": _l("Personal data erased on an approved deletion request"),
}

_SECRET_KEYS = frozenset({"password", "password_hash", "token", "session_token", "csrf_token"})


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(50), index=True)
    target_type: Mapped[str | None] = mapped_column(sa.String(30))
    target_id: Mapped[int | None] = mapped_column()
    target_label: Mapped[str | None] = mapped_column(sa.String(254))
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    detail: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User", foreign_keys=[actor_id])

    @property
    def action_title(self):
        return ACTIONS.get(self.action, self.action)

    @property
    def detail_dict(self) -> dict:
        return json.loads(self.detail) if self.detail else {}


def _label(target) -> str | None:
    """How the log names ``target``: its ``audit_label`` (a model that names itself, such as a
    curriculum by its title), else its e-mail, short name or name."""
    for attr in ("audit_label", "email", "short_name", "name"):
        value = getattr(target, attr, None)
        if value:
            return str(value)[:254]
    return None


def record(actor, action: str, target=None, *, target_label: str | None = None, **detail):
    """Add an audit event to the session (the caller's commit makes it permanent).

    Refuses unknown actions and drops any detail key that could hold a secret. Every detail key
    needs a label in ``portal.audit_details.DETAILS`` (the audit log shows it to admins in their
    language; tests/admin/test_audit_details.py fails on a key without one).
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    clean = {k: v for k, v in detail.items() if k not in _SECRET_KEYS}
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        target_type=type(target).__name__.lower() if target is not None else None,
        target_id=getattr(target, "id", None),
        target_label=target_label or (_label(target) if target is not None else None),
        ip=request.remote_addr if has_request_context() else None,
        detail=json.dumps(clean, ensure_ascii=False, sort_keys=True, default=str)
        if clean
        else None,
    )
    db.session.add(event)
    log.info(
        "audit",
        extra={
            "audit": {
                "action": action,
                "actor_id": event.actor_id,
                "target": event.target_type,
                "target_id": event.target_id,
                "ip": event.ip,
            }
        },
    )
    return event
