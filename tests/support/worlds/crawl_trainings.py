"""The trainings part of the route-walking world (tests/support/worlds/crawl.py): batches with a session, a
post-test, registrations, a JP ledger record and a stored conversion rule, an L3 form, and the
recognition objects (rule, proposal, award nomination).

"Own" objects: A's published curriculum ``scheduled["own"]`` is scheduled as an open batch whose facilitator is the
university user and whose agency co-author is the ASN user (so the ASN role manages it); the ASN
user's own registration in it is enrolled (a seat, so the post-test can be taken). "Other"
objects belong to B (B's curriculum, facilitator and ASN).
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from werkzeug.datastructures import FileStorage

from portal.curricula.models import AuthorSide, CurriculumAuthor, CurriculumState
from portal.db import utcnow
from portal.trainings.batches.services import new_check_in_code
from portal.trainings.ledger import services as ledger_services
from portal.trainings.ledger.conversion import Scope, default_rule
from portal.trainings.models import (
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
)
from portal.trainings.quizzes.models import QuizKind
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import AwardKind, AwardNomination, RecognitionProposal
from tests.support.worlds.crawl_internships import INTERNSHIP_FILLERS
from tests.trainings.evaluation_world import add_evaluation
from tests.trainings.quiz_support import quiz


def _batch(session, curriculum, facilitator) -> TrainingBatch:
    batch = TrainingBatch(
        curriculum_id=curriculum.id,
        title="Pelatihan Pelayanan Publik",
        capacity=10,
        seats_taken=1,
        jp=4,
        state=BatchState.OPEN,
    )
    batch.facilitators = [facilitator]
    session.add(batch)
    session.flush()
    start = utcnow().replace(microsecond=0) + timedelta(days=7)
    session.add(
        TrainingSession(
            batch_id=batch.id,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            place="Aula BKPSDM",
            check_in_code=new_check_in_code(),
        )
    )
    session.flush()
    return batch


def _entry(asn, user):
    return ledger_services.submit_external(
        asn,
        form="seminar",
        scope="national",
        title="Seminar Nasional Smart City",
        organiser="Kemendagri",
        started_on=date(2025, 3, 10),
        ended_on=date(2025, 3, 11),
        quantity=2,
        evidence_upload=FileStorage(io.BytesIO(b"%PDF-1.7\n%uji\n"), filename="sertifikat.pdf"),
        actor=user,
    )


def add_trainings(make, w) -> None:
    """Add ``batch``, ``tsession``, ``registration``, ``quiz_set``, ``ledger_entry``,
    ``l3_form``, ``recognition_proposal`` and ``nomination`` (each ``{"own": …, "other": …}``),
    ``conversion_rule`` and ``recognition_rule`` to ``w``."""
    session = make.session
    # A curriculum of its own: the ASN user co-authors it (authors may not flag their materials,
    # so the curricula pages keep the ASN as a plain learner of ``published``).
    w.scheduled = {
        "own": make.curriculum(
            w.uni,
            agency=w.agency,
            author=w.university,
            state=CurriculumState.PUBLISHED,
            competency=w.competency,
        ),
        "other": w.published["other"],
    }
    session.add(
        CurriculumAuthor(
            curriculum_id=w.scheduled["own"].id, user_id=w.asn.id, side=AuthorSide.AGENCY
        )
    )
    w.batch = {
        "own": _batch(session, w.scheduled["own"], w.university),
        "other": _batch(session, w.scheduled["other"], w.other_university),
    }
    w.tsession = {owner: batch.sessions[0] for owner, batch in w.batch.items()}
    w.registration = {}
    for owner, profile in (("own", w.asn_record), ("other", w.stranger)):
        w.registration[owner] = Registration(
            batch_id=w.batch[owner].id,
            asn_id=profile.id,
            user_id=profile.user_id,
            agency_id=profile.agency_id,
            state=RegistrationState.ENROLLED,
        )
    session.add_all(w.registration.values())
    session.flush()
    w.quiz_set = {
        owner: quiz(session, batch, QuizKind.POST, (w.competency.id,))
        for owner, batch in w.batch.items()
    }
    w.ledger_entry = {"own": _entry(w.asn_record, w.asn), "other": _entry(w.stranger, w.other_asn)}
    w.conversion_rule = default_rule("workshop", Scope.NATIONAL)
    session.add(w.conversion_rule)
    add_evaluation(session, w, w.registration)
    w.recognition_rule = recognition_services.seed_rules()[0]
    w.recognition_proposal, w.nomination = {}, {}
    for owner, profile in (("own", w.asn_record), ("other", w.stranger)):
        w.recognition_proposal[owner] = RecognitionProposal(
            asn_id=profile.id,
            agency_id=profile.agency_id,
            rule_id=w.recognition_rule.id,
            period=2025,
            title=w.recognition_rule.title,
            evidence={"jp": 20},
        )
        w.nomination[owner] = AwardNomination(
            asn_id=profile.id,
            agency_id=profile.agency_id,
            award=AwardKind.ANUGERAH_ASN,
            year=2025,
            justification="Target JP tercapai dua tahun berturut-turut.",
            no_disciplinary_sentence=True,
            lhkasn_filed=True,
            no_legal_proceedings=True,
            prepared_by_id=w.admin.id,
        )
    session.add_all([*w.recognition_proposal.values(), *w.nomination.values()])
    session.flush()


def _on_trainings(filler, elsewhere):
    """A filler for an argument name the internship pages use as well: training objects on the
    training pages, the internship filler's elsewhere."""

    def fill(w, endpoint: str, owner: str):
        if endpoint.startswith("trainings."):
            return filler(w, endpoint, owner)
        return elsewhere(w, endpoint, owner)

    return fill


def _rule_id(w, endpoint: str, owner: str) -> int:
    """A recognition rule on the recognition pages, a stored conversion rule on the ledger's."""
    return (w.recognition_rule if "recognition" in endpoint else w.conversion_rule).id


TRAINING_FILLERS = {
    "batch_id": lambda w, endpoint, owner: w.batch[owner].id,
    "session_id": _on_trainings(
        lambda w, endpoint, owner: w.tsession[owner].id, INTERNSHIP_FILLERS["session_id"]
    ),
    "registration_id": lambda w, endpoint, owner: w.registration[owner].id,
    "kind": lambda w, endpoint, owner: "post",
    "question_id": lambda w, endpoint, owner: w.quiz_set[owner].questions[0].id,
    "entry_id": _on_trainings(
        lambda w, endpoint, owner: w.ledger_entry[owner].id, INTERNSHIP_FILLERS["entry_id"]
    ),
    "rule_id": _rule_id,
    "form_id": lambda w, endpoint, owner: w.l3_form[owner].id,
    "proposal_id": lambda w, endpoint, owner: w.recognition_proposal[owner].id,
    "nomination_id": lambda w, endpoint, owner: w.nomination[owner].id,
    "direction": lambda w, endpoint, owner: "down",
}
