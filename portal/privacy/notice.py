"""What a person is told before their data is processed (UU PDP Pasal 21) and the proof of what
they accepted (Pasal 22–24).

:data:`LEGAL_BASES` is the table of purposes and their legal basis (Pasal 20(2)), shown on the
privacy notice and, for students, on the registration form. What the service needs rests on
the internship agreement (contract, huruf b) and the city's public task (huruf e), or on a legal
obligation (huruf c): never on consent, which would be void if it were the price of the service
(Pasal 22(4), 23). Consent (huruf a) is asked only for the optional purposes
(:class:`~portal.privacy.models.ConsentPurpose`), each in its own box, unticked.

The notice's version is ``PRIVACY_NOTICE_VERSION`` (portal/config.py): change it when the
notice's text changes. :func:`record_acceptance` stores the version shown and the optional
consents given with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.db import db, utcnow
from portal.i18n import _l
from portal.privacy.models import (
    ConsentPurpose,
    NoticeAcceptance,
    _grant,
    notice_version,
)


@dataclass(frozen=True)
class Basis:
    whose: object
    purpose: object
    basis: object
    for_students: bool = False


# fmt: off
LEGAL_BASES = (
    Basis(_l("Students"),
          _l("Your account, internship applications, placement, logbook, guidance, evaluation "
             "and credit recognition: what the internship needs."),
          _l("Performance of a contract (UU PDP Article 20(2)(b)): the internship agreement; and "
             "a public task (Article 20(2)(e)): the cooperation agreement (PKS) between your "
             "university and the City of Medan. Not consent: without this data there is no "
             "internship."),
          for_students=True),
    Basis(_l("ASN"),
          _l("Competency development: assessments, development plans, trainings, the yearly JP "
             "target, the JP ledger, certificates and recognition."),
          _l("Legal obligation and public task (UU PDP Article 20(2)(c) and (e)): the ASN "
             "management rules require competency development of at least 20 JP a year.")),
    Basis(_l("University staff and mentors"),
          _l("Your part in curricula, reviews, supervision and evaluation."),
          _l("Public task and contract (UU PDP Article 20(2)(e) and (b)): the cooperation "
             "agreement and your assignment.")),
    Basis(_l("Everyone"),
          _l("Security of the portal and the record of processing (audit trail)."),
          _l("Legal obligation (UU PDP Article 20(2)(c)): Articles 31 and 35."),
          for_students=True),
    Basis(_l("Optional, if you agree"),
          _l("Appearing in the hall of fame; showing your name with your feedback on course "
             "materials."),
          _l("Your consent (UU PDP Article 20(2)(a)), asked separately for each purpose and "
             "withdrawable at any time on the page “My consents”. Saying no changes nothing "
             "else."),
          for_students=True),
)
# fmt: on

#: The optional purposes a new student can consent to on the registration form (the hall of
#: fame needs an ASN record, so it is not offered there).
REGISTRATION_PURPOSES = (ConsentPurpose.FEEDBACK_NAME,)


def record_acceptance(user, *, context: str, optional=()) -> NoticeAcceptance:
    """Store that ``user`` was shown and accepted the current notice (``context``: where), and
    grant each optional purpose in ``optional`` (ConsentPurpose values) with the same version.
    Unknown purposes are ignored (the form offers only :data:`REGISTRATION_PURPOSES`)."""
    now = utcnow()
    purposes = [p for p in ConsentPurpose if p.value in {str(o) for o in optional}]
    acceptance = NoticeAcceptance(
        user_id=user.id,
        notice_version=notice_version(),
        accepted_at=now,
        context=context,
        optional_purposes=",".join(p.value for p in purposes),
    )
    db.session.add(acceptance)
    for purpose in purposes:
        _grant(db.session, user.id, purpose, now)
    db.session.flush()
    return acceptance
