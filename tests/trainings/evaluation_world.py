"""For the lead: what the access-matrix world needs for the evaluation pages (tests/support/worlds/crawl.py).

``add_evaluation(session, w, registrations)`` takes the world's registrations
``{"own": <registration of w.asn>, "other": <registration of w.other_asn>}`` and adds one
unanswered L3 form per side, answered by that registration's ASN; ``FILLERS`` has the
``form_id`` filler. The other arguments are shared with the batch pages: ``batch_id`` "own" must
be a batch whose facilitators include ``w.university`` and whose curriculum has ``w.asn`` as an
agency co-author (the ASN role reaches the L1 results only as a batch manager);
``registration_id`` "own" is the registration of ``w.asn`` (enrolled or completed), "other"
one of ``w.other_asn``; ``curriculum_id`` may be the draft or the published curriculum of A
(``w.university`` co-authors both).
"""

from __future__ import annotations

from datetime import timedelta

from portal.db import utcnow
from portal.trainings.evaluation.models import L3Form, Respondent


def add_evaluation(session, w, registrations: dict) -> None:
    today = utcnow().date()
    w.l3_form = {
        owner: L3Form(
            registration_id=reg.id,
            respondent=Respondent.ASN,
            respondent_user_id=reg.user_id,
            sent_on=today,
            due_on=today + timedelta(days=30),
        )
        for owner, reg in registrations.items()
    }
    session.add_all(w.l3_form.values())
    session.flush()


FILLERS = {"form_id": lambda w, endpoint, owner: w.l3_form[owner].id}
