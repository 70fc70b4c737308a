"""Writes of the personal-data pages: consents, the export's audit record, requests.

Services flush, audit and notify; the view commits.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from portal import audit
from portal.auth.models import Role, User, UserRole
from portal.competency.assessments.queries import asn_for_user
from portal.curricula.feedback.models import MaterialRating
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError
from portal.i18n import _l
from portal.notify import notify, register_messages
from portal.privacy import workflow
from portal.privacy.models import (
    ConsentPurpose,
    ConsentRecord,
    DataRequest,
    RequestKind,
    RequestState,
    _grant,
    _open_record,
    is_restricted,
)
from portal.trainings.recognition import services as recognition_services
from portal.util import links

register_messages(
    privacy__request_new=_l("New personal data request from %(name)s, due %(due)s."),
    privacy__request_done=_l("Your personal data request was handled: %(response)s"),
    privacy__request_rejected=_l("Your personal data request was rejected: %(response)s"),
    privacy__request_approved=_l(
        "Your deletion request was approved; the data will be erased: %(response)s"
    ),
    privacy__request_in_force=_l(
        "The processing of your personal data is restricted from now on: %(response)s"
    ),
)


class RequestRefused(FieldError):
    """A request that cannot be recorded as sent; ``portal.refusals`` shows why beside the
    form's "details" field."""

    field = "details"


#: Longest texts a request and its answer may hold.
DETAILS_MAX = 4000
RESPONSE_MAX = 4000


def applicable_purposes(user) -> list[ConsentPurpose]:
    """The optional purposes that concern ``user``: the hall of fame needs an ASN record."""
    purposes = []
    if asn_for_user(user.id) is not None:
        purposes.append(ConsentPurpose.HALL_OF_FAME)
    purposes.append(ConsentPurpose.FEEDBACK_NAME)
    return purposes


def _purpose(value) -> ConsentPurpose:
    try:
        return ConsentPurpose(value)
    except ValueError:
        raise DomainError(_l("Unknown purpose.")) from None


def give_consent(user, purpose, *, actor) -> ConsentRecord:
    """``actor`` consents for themselves to ``purpose``; again is a no-op.

    The hall of fame consent goes through the trainings service (its own table and audit
    entry), which writes the ledger row too. Refused for someone else, and for the hall of fame
    without an ASN record.
    """
    purpose = _purpose(purpose)
    if actor is None or actor.id != user.id:
        raise DomainError(_l("Only the person themselves can give this consent."))
    if purpose == ConsentPurpose.HALL_OF_FAME:
        asn = asn_for_user(user.id)
        if asn is None:
            raise DomainError(_l("Your account is not linked to an ASN record."))
        recognition_services.give_consent(asn, actor=actor)
    else:
        _grant(db.session, user.id, purpose, utcnow())
    db.session.flush()
    record = _open_record(db.session, user.id, purpose)
    audit.record(
        actor,
        "privacy.consent_give",
        user,
        purpose=purpose.value,
        notice_version=record.notice_version,
    )
    return record


def withdraw_consent(user, purpose, *, actor) -> int:
    """``actor`` withdraws their consent to ``purpose``, effective at once; returns how many
    records stopped being processed for it (hall of fame: 1 or 0; feedback: the ratings whose
    name is now hidden). Withdrawing what was not given is a no-op."""
    purpose = _purpose(purpose)
    if actor is None or actor.id != user.id:
        raise DomainError(_l("Only the person themselves can withdraw this consent."))
    now = utcnow()
    affected = 0
    if purpose == ConsentPurpose.HALL_OF_FAME:
        asn = asn_for_user(user.id)
        if asn is not None and recognition_services.withdraw_consent(asn, actor=actor):
            affected = 1
    else:
        affected = db.session.execute(
            sa.update(MaterialRating)
            .where(MaterialRating.user_id == user.id, MaterialRating.show_name.is_(True))
            .values(show_name=False)
            .execution_options(synchronize_session="fetch")
        ).rowcount
    record = _open_record(db.session, user.id, purpose)
    if record is not None:
        record.withdrawn_at = now
    db.session.flush()
    audit.record(actor, "privacy.consent_withdraw", user, purpose=purpose.value, affected=affected)
    return affected


def record_export(user, *, actor) -> None:
    """Leave a trace of the download (Pasal 31: every processing is recorded)."""
    audit.record(actor, "privacy.export", user)


def _city_admins() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                UserRole.role == Role.ADMIN,
                User.admin_agency_id.is_(None),
                User.is_active_flag.is_(True),
            )
            .order_by(User.id)
        )
    )


def create_request(user, *, kind, details, explanation="") -> DataRequest:
    """Record ``user``'s request to correct or delete data, due 3×24 hours from now; tells the
    city-wide admins. Refuses an unknown kind or empty details."""
    try:
        kind = RequestKind(kind)
    except ValueError:
        raise RequestRefused(
            message=_l("Choose correction, deletion, restriction or objection.")
        ) from None
    details = (details or "").strip()[:DETAILS_MAX]
    if not details:
        raise RequestRefused(message=_l("Say which data the request is about."))
    now = utcnow()
    request = DataRequest(
        user_id=user.id,
        kind=kind,
        details=details,
        explanation=(explanation or "").strip()[:DETAILS_MAX],
        state=RequestState.OPEN,
        created_at=now,
        updated_at=now,
        due_at=now + timedelta(hours=current_app.config["PRIVACY_REQUEST_HOURS"]),
    )
    db.session.add(request)
    db.session.flush()
    audit.record(user, "privacy.request_create", user, request_id=request.id, kind=kind.value)
    due = request.due_at  # read in each admin's language, in Medan's time (portal.util.dates)
    link = links.path("privacy.request_detail", data_request_id=request.id)
    for admin in _city_admins():
        notify(admin, "privacy.request_new", link=link, name=user.full_name, due=due)
    return request


def handle_request(request: DataRequest, *, actor, outcome, response) -> DataRequest:
    """Take the next step of a request (:data:`workflow.REQUEST`): done (with what was done) or
    rejected (with the reason); for a deletion, approved (the erasure step follows); for a
    restriction, in force, then done when lifted. The person is told in the portal and by
    e-mail. Refused to anyone but a city-wide admin, for an outcome the request's kind and state
    do not have, and without a response."""
    try:
        action = workflow.OUTCOMES.get((request.state, RequestState(outcome)))
    except ValueError:
        action = None
    if action is None:
        if request.state not in (RequestState.OPEN, RequestState.IN_FORCE):
            raise DomainError(_l("This request has already been handled."))
        raise DomainError(_l("Choose one of the outcomes offered for this request."))
    state = workflow.check(request, action, actor)
    response = (response or "").strip()[:RESPONSE_MAX]
    if not response:
        raise DomainError(_l("Write what was done, or why the request is rejected."))
    workflow.REQUEST.apply(request, action, actor, note=response)
    db.session.flush()
    if request.kind == RequestKind.RESTRICTION:  # in force or lifted: the flag features read
        request.user.processing_restricted = is_restricted(request.user_id)
    audit.record(
        actor, "privacy.request_handle", request.user, request_id=request.id, outcome=state.value
    )
    key = {
        RequestState.DONE: "privacy.request_done",
        RequestState.REJECTED: "privacy.request_rejected",
        RequestState.APPROVED: "privacy.request_approved",
        RequestState.IN_FORCE: "privacy.request_in_force",
    }[state]
    notify(
        request.user,
        key,
        link=links.path("privacy.my_request", data_request_id=request.id),
        email_template="notice",
        response=response,
    )
    return request
