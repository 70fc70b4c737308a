"""The erasure step of an approved deletion request (UU PDP Pasal 8, 43–44; DOMAIN.md §8).

:func:`plan` says, record type by record type, how many records of the person the step will
anonymise or delete, and what is kept because the law requires it (:data:`KEPT_BY_LAW`), so
the admin sees both before confirming. :func:`erase` carries it out in the caller's one
transaction: every step's bulk statement, the request closed (a step of the request workflow),
one audit event with the counts (never the erased values), and the person told through the
outbox before their address is replaced. The view commits, then removes the files from disk.

The right to erasure can be limited where the data is needed for the government's own tasks
(Pasal 15(1) huruf c): an ASN's account and personnel records stay, only what is optional or
no longer needed goes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from portal import audit
from portal.auth.models import User
from portal.certificates.models import Certificate
from portal.competency.models import AsnProfile, Assessment
from portal.curricula.feedback.models import MaterialRating
from portal.db import db, utcnow
from portal.i18n import _l
from portal.internships.applications.models import Application
from portal.internships.models import Placement
from portal.internships.placements.models import LogbookEntry
from portal.notification_prefs import NotificationPreference
from portal.notify import Notification, OutboxEmail, notify, register_messages
from portal.privacy import anonymise as end
from portal.privacy import workflow
from portal.privacy.models import ConsentRecord, DataRequest
from portal.trainings.ledger.models import LedgerEntry
from portal.trainings.recognition.models import HallOfFameConsent
from portal.util import links
from portal.view_log import PersonalDataView

register_messages(
    privacy__request_erased=_l(
        "Your deletion request was carried out: %(response)s What the law requires the city to "
        "keep was kept."
    ),
)


@dataclass(frozen=True)
class Step:
    key: str
    title: object
    outcome: object
    ids: Callable[[int], sa.Select]  # the person's records this step ends
    end: Callable[[list[int]], list[str]]  # anonymise/delete them; file keys to remove


def _is_asn(user_id) -> sa.ColumnElement:
    return sa.select(AsnProfile.id).where(AsnProfile.user_id == user_id).exists()


def _hide_names(ids: list[int]) -> list[str]:
    db.session.execute(
        sa.update(MaterialRating).where(MaterialRating.id.in_(ids)).values(show_name=False),
        execution_options=end.QUIET,
    )
    return []


def _withdraw_fame(ids: list[int]) -> list[str]:
    # Through the ORM: the consent ledger mirrors the withdrawal (privacy.models).
    for consent in db.session.scalars(
        sa.select(HallOfFameConsent).where(HallOfFameConsent.id.in_(ids))
    ):
        consent.withdrawn_at = utcnow()
    db.session.flush()
    return []


def _own_emails(user_id: int) -> sa.Select:
    address = sa.select(User.email).where(User.id == user_id).scalar_subquery()
    return sa.select(OutboxEmail.id).where(OutboxEmail.recipient == address)


# fmt: off
STEPS = (
    Step("applications", _l("Internship applications"),
         _l("Motivation, reasons and notes cleared, CV deleted; state and dates kept."),
         lambda uid: sa.select(Application.id).where(Application.student_id == uid),
         end.anonymise_applications),
    Step("logbooks", _l("Logbook entries"),
         _l("Activities, outputs and comments cleared, attachment deleted; hours kept."),
         lambda uid: sa.select(LogbookEntry.id).join(Placement).where(Placement.student_id == uid),
         end.anonymise_logbooks),
    Step("placements", _l("Internship placements"),
         _l("Why it ended, report notes and reviewers' reasons cleared; grade kept."),
         lambda uid: sa.select(Placement.id).where(Placement.student_id == uid),
         end.anonymise_placements),
    Step("feedback_names", _l("Name shown with feedback on course materials"), _l("Hidden."),
         lambda uid: sa.select(MaterialRating.id).where(
             MaterialRating.user_id == uid, MaterialRating.show_name.is_(True)),
         _hide_names),
    Step("hall_of_fame", _l("Hall of fame consent"), _l("Withdrawn."),
         lambda uid: sa.select(HallOfFameConsent.id).join(
             AsnProfile, AsnProfile.id == HallOfFameConsent.asn_id).where(
             AsnProfile.user_id == uid, HallOfFameConsent.withdrawn_at.is_(None)),
         _withdraw_fame),
    Step("notifications", _l("Notifications"), _l("Deleted."),
         lambda uid: sa.select(Notification.id).where(Notification.user_id == uid),
         end.deleter(Notification)),
    Step("notification_settings", _l("Notification settings"), _l("Deleted."),
         lambda uid: sa.select(NotificationPreference.id).where(
             NotificationPreference.user_id == uid),
         end.deleter(NotificationPreference)),
    Step("emails", _l("E-mails to the person"), _l("Deleted."), _own_emails,
         end.deleter(OutboxEmail)),
    Step("view_log", _l("Log of who viewed the person's records"), _l("Deleted."),
         lambda uid: sa.select(PersonalDataView.id).where(PersonalDataView.subject_user_id == uid),
         end.deleter(PersonalDataView)),
    # Last: the account of anyone but an ASN (an ASN's account carries the personnel records
    # the city must keep, Pasal 15(1) huruf c).
    Step("account", _l("Account (name, e-mail, NIM, password)"),
         _l("Replaced by placeholders; the account is closed."),
         lambda uid: sa.select(User.id).where(
             User.id == uid, ~_is_asn(User.id), User.email.not_like("deleted-%@invalid")),
         end.anonymise_accounts),
)

#: What stays, why (the law that requires it), and how many of the person's records it holds.
KEPT_BY_LAW = (
    ("ledger", _l("JP ledger entries of an ASN"),
     _l("The ASN's competency development record, reported to BKN (PP 11/2017 Article 203, "
        "SIASN) and kept as an archive (UU 43/2009 on archives)."),
     lambda uid: sa.select(LedgerEntry.id).join(AsnProfile).where(AsnProfile.user_id == uid)),
    ("asn", _l("ASN record and competency assessments"),
     _l("The ASN personnel file (UU 20/2023 on ASN; UU 43/2009 on archives); the right to "
        "erasure is limited for the government's own tasks (UU PDP Article 15)."),
     lambda uid: sa.select(Assessment.id).join(AsnProfile).where(AsnProfile.user_id == uid)),
    ("certificates", _l("Certificates issued"),
     _l("A certificate can be verified by anyone who holds it (STTPP, internship "
        "certificates): the issuer keeps its register."),
     lambda uid: sa.select(Certificate.id).where(Certificate.subject_id == uid)),
    ("placements", _l("Placements and final grades (free texts cleared)"),
     _l("The credit recognition of the university and the cooperation agreement (PKS)."),
     lambda uid: sa.select(Placement.id).where(Placement.student_id == uid)),
    ("consents", _l("Consent records"),
     _l("The proof of consent the controller must be able to show (UU PDP Article 24)."),
     lambda uid: sa.select(ConsentRecord.id).where(ConsentRecord.user_id == uid)),
    ("requests", _l("Personal data requests, this one included"),
     _l("The recorded request and its answer (UU PDP Article 14)."),
     lambda uid: sa.select(DataRequest.id).where(DataRequest.user_id == uid)),
    ("audit", _l("Audit log (without the e-mail label)"),
     _l("The record of processing (UU PDP Article 31)."),
     None),
)
# fmt: on


def _count(select: sa.Select) -> sa.ScalarSelect:
    return sa.select(sa.func.count()).select_from(select.subquery()).scalar_subquery()


@dataclass(frozen=True)
class Line:
    key: str
    title: object
    outcome: object
    count: int | None


def plan(request: DataRequest) -> tuple[list[Line], list[Line]]:
    """What the erasure of ``request``'s person would do (counts per step) and what it keeps
    (counts per kept record type; None where not counted). Reads only, in one query."""
    uid = request.user_id
    counted = [s.ids(uid) for s in STEPS] + [ids(uid) for *_rest, ids in KEPT_BY_LAW if ids]
    found = iter(db.session.execute(sa.select(*(_count(q) for q in counted))).one())
    steps = [Line(s.key, s.title, s.outcome, next(found)) for s in STEPS]
    kept = [
        Line(key, title, reason, next(found) if ids is not None else None)
        for key, title, reason, ids in KEPT_BY_LAW
    ]
    return steps, kept


def erase(request: DataRequest, *, actor, response) -> tuple[dict[str, int], list[str]]:
    """Carry out an approved deletion request: every step of :data:`STEPS` on the person's
    records, the request closed as done, the person told (portal and e-mail, queued before the
    account is anonymised), one audit event with the counts. Returns the counts and the keys of
    the files to remove after the commit. Refused (InvalidTransition) on a request that is not
    an approved deletion, and to anyone but a city-wide admin; the caller rolls back."""
    workflow.check(request, workflow.RequestAction.ERASE, actor)
    response = (response or "").strip()[:4000] or str(_l("The data was erased."))
    user = request.user
    uid = request.user_id
    counts, keys = {}, []
    for step in STEPS:
        if step.key == "account":
            # The notice goes out before the address is replaced; the e-mails above are gone.
            notify(
                user,
                "privacy.request_erased",
                link=links.path("privacy.my_request", data_request_id=request.id),
                email_template="notice",
                response=response,
            )
            db.session.flush()
        ids = list(db.session.scalars(step.ids(uid)))
        if ids:
            keys.extend(step.end(ids))
        counts[step.key] = len(ids)
    workflow.REQUEST.apply(request, workflow.RequestAction.ERASE, actor, note=response)
    db.session.flush()
    # The bulk statements bypassed the objects in the session: read them afresh from now on.
    db.session.expire_all()
    audit.record(
        actor,
        "privacy.erase",
        user,
        request_id=request.id,
        erased=counts,
        files=len(keys),
    )
    return counts, keys
