"""Valid POST requests for the training routes (part of ``tests.support.post_cases.POST_CASES``).

Each case: world -> (acting role, URL, form data); the request must change the database. The
world's training objects are described in tests/support/worlds/crawl_trainings.py: the own batch is open, its
facilitator is the university user, its agency co-author the ASN user, whose own registration
is enrolled."""

from __future__ import annotations

from datetime import timedelta

from portal.db import db as _db
from portal.db import utcnow
from tests.support.post_cases.internships import _days_ago, _days_ahead, _pdf, _set


def _session_now(w, *, started_minutes_ago: int, hours: float):
    """The own batch's only session moved so that it started ``started_minutes_ago`` ago."""
    session = w.tsession["own"]
    start = utcnow().replace(microsecond=0) - timedelta(minutes=started_minutes_ago)
    _set(session, starts_at=start, ends_at=start + timedelta(hours=hours))
    return session


def _batch_url(w, tail: str) -> str:
    return f"/trainings/batches/{w.batch['own'].id}/{tail}"


def _targets(w) -> list[int]:
    return [t.competency_id for t in w.scheduled["own"].targets]


def _check_in(w):
    session = _session_now(w, started_minutes_ago=30, hours=2)
    return ("asn", "/trainings/check-in", {"code": session.check_in_code})


def _complete(w):
    _session_now(w, started_minutes_ago=180, hours=2)
    return ("university", _batch_url(w, "complete"), {})


def _edit_batch(w):
    from portal.trainings.models import BatchState

    _set(w.batch["own"], state=BatchState.DRAFT)
    return ("admin", _batch_url(w, "edit"), {"capacity": "15"})


def _remove_session(w):
    """A second session of the own batch (the last one stays), removed by the admin."""
    from portal.trainings.batches.services import new_check_in_code
    from portal.trainings.models import TrainingSession

    first = w.tsession["own"]
    extra = TrainingSession(
        batch_id=first.batch_id,
        starts_at=first.starts_at + timedelta(days=1),
        ends_at=first.ends_at + timedelta(days=1),
        place="Aula BKPSDM",
        check_in_code=new_check_in_code(),
    )
    _db.session.add(extra)
    _db.session.flush()
    return ("admin", f"/trainings/sessions/{extra.id}/delete", {})


def _find_recognitions(w):
    """A verified 20 JP record of 2024 (the world's proposals are for 2025), under the JP rule
    turned on (it is off by default)."""
    from portal.trainings.ledger.models import EntryState

    _set(w.recognition_rule, is_active=True)
    _set(w.ledger_entry["own"], state=EntryState.VERIFIED, jp=20.0, year=2024)
    return ("admin", "/trainings/recognition/proposals/find", {"year": "2024"})


def _l1_survey(w):
    from tests.trainings.evaluation_support import all_ratings

    _session_now(w, started_minutes_ago=180, hours=2)
    data = {key: str(value) for key, value in all_ratings(_db.session, w.batch["own"]).items()}
    registration = w.registration["own"]
    return ("asn", f"/trainings/registrations/{registration.id}/survey", data)


def _l3_form(w):
    data = {f"c{competency_id}": "3" for competency_id in _targets(w)}
    return ("asn", f"/trainings/l3/{w.l3_form['own'].id}", {**data, "comment": "Diterapkan."})


def _quiz_fields() -> dict:
    return {
        "text": "Apa kepanjangan SKP?",
        "competency_id": "0",
        "choice_1": "Sasaran Kinerja",
        "choice_2": "Surat Keputusan",
        "correct": "1",
    }


def _quiz_move(w):
    """A second question, so the first can move down."""
    from portal.trainings.quizzes.models import QuizChoice, QuizQuestion

    first = w.quiz_set["own"].questions[0]
    _db.session.add(
        QuizQuestion(
            set_id=first.set_id,
            position=first.position + 1,
            text="Pertanyaan kedua?",
            choices=[
                QuizChoice(position=i, text=f"Pilihan {i}", is_correct=i == 1) for i in (1, 2)
            ],
        )
    )
    _db.session.flush()
    return ("admin", f"/trainings/tests/questions/{first.id}/move/down", {})


def _quiz_take(w):
    _session_now(w, started_minutes_ago=30, hours=2)
    question = w.quiz_set["own"].questions[0]
    right = next(c for c in question.choices if c.is_correct)
    return ("asn", _batch_url(w, "tests/post/take"), {f"q_{question.id}": str(right.id)})


def _record_assessment(w):
    """A passed post-test of the own registration, not yet recorded."""
    from portal.trainings.quizzes.models import QuizAttempt

    registration = w.registration["own"]
    _db.session.add(
        QuizAttempt(
            set_id=w.quiz_set["own"].id, registration_id=registration.id, score=100.0, passed=True
        )
    )
    _db.session.flush()
    data = {f"level_{competency_id}": "3" for competency_id in _targets(w)}
    data.update(assessed_on=_days_ago(0), assessor="Panitia pelatihan", note="")
    return ("admin", f"/trainings/registrations/{registration.id}/post-test-assessment", data)


def _survey_questions(w):
    from portal.trainings.evaluation.models import SurveyQuestion

    data = {"new_aspect": "facilities", "new_text": "Konsumsi memadai"}
    for question in _db.session.query(SurveyQuestion).order_by(SurveyQuestion.id):
        data[f"text_{question.id}"] = question.text or "Pertanyaan bawaan"
        data[f"position_{question.id}"] = str(question.position)
        data[f"active_{question.id}"] = "y"
    return ("admin", "/trainings/survey-questions", data)


def _submit_external(w):
    return (
        "asn",
        "/trainings/ledger/submit",
        {
            "form": "seminar",
            "scope": "national",
            "title": "Seminar Nasional Smart City",
            "organiser": "Kemendagri",
            "started_on": "2025-03-10",
            "ended_on": "2025-03-11",
            "quantity": "2",
            "certificate_number": "SRT/1/2025",
            "intent": "submit",
            "evidence": _pdf("sertifikat.pdf"),
        },
    )


def _entry_url(w, tail: str) -> str:
    return f"/trainings/ledger/entries/{w.ledger_entry['own'].id}/{tail}"


def _proposal_url(w, tail: str) -> str:
    return f"/trainings/recognition/proposals/{w.recognition_proposal['own'].id}/{tail}"


def _submitted_then(w):
    """The own nomination submitted yesterday, and the official's decision on it."""
    from portal.trainings.recognition.models import NominationState
    from portal.util import clock

    _set(
        w.nomination["own"],
        state=NominationState.SUBMITTED,
        submitted_to="Wali Kota Medan",
        submitted_at=utcnow() - timedelta(days=1),
    )
    data = {
        "outcome": "awarded",
        "decision_number": "800/123/BKPSDM/2026",
        "decision_date": clock.today().isoformat(),
    }
    return "admin", _nomination_url(w, "decision"), data


def _nomination_url(w, tail: str) -> str:
    return f"/trainings/recognition/nominations/{w.nomination['own'].id}/{tail}"


TRAINING_CASES = {
    "trainings.new_batch": lambda w: (
        "admin",
        f"/trainings/batches/new?curriculum_id={w.published['own'].id}",
        {"capacity": "20"},
    ),  # fmt: skip
    "trainings.edit_batch": _edit_batch,
    "trainings.add_session": lambda w: (
        "admin",
        _batch_url(w, "sessions"),
        {"on": _days_ahead(30), "starts": "08:00", "ends": "12:00", "place": "Aula BKPSDM"},
    ),  # fmt: skip
    "trainings.edit_session": lambda w: (
        "admin",
        f"/trainings/sessions/{w.tsession['own'].id}/edit",
        {"on": _days_ahead(31), "starts": "09:00", "ends": "13:00", "place": "Aula Baru"},
    ),  # fmt: skip
    "trainings.remove_session": _remove_session,
    "trainings.batch_action": lambda w: ("admin", _batch_url(w, "step"), {"step": "close"}),
    "trainings.complete": _complete,
    "trainings.register": lambda w: ("report_user", _batch_url(w, "register"), {}),
    "trainings.nominate": lambda w: (
        "admin",
        _batch_url(w, "nominate"),
        {"asn_id": str(w.report.id)},
    ),  # fmt: skip
    "trainings.registration_action": lambda w: (
        "asn",
        f"/trainings/registrations/{w.registration['own'].id}/action",
        {"action": "cancel"},
    ),  # fmt: skip
    "trainings.attendance": lambda w: (
        "university",
        f"/trainings/sessions/{w.tsession['own'].id}/attendance",
        {f"present-{w.registration['own'].id}": "present"},
    ),  # fmt: skip
    "trainings.check_in": _check_in,
    "trainings.quiz_edit": lambda w: ("university", _batch_url(w, "tests/post"), _quiz_fields()),
    "trainings.quiz_pass_score": lambda w: (
        "university",
        _batch_url(w, "tests/post/pass-mark"),
        {"pass_score": "60"},
    ),  # fmt: skip
    "trainings.quiz_question_edit": lambda w: (
        "university",
        f"/trainings/tests/questions/{w.quiz_set['own'].questions[0].id}",
        _quiz_fields(),
    ),  # fmt: skip
    "trainings.quiz_question_delete": lambda w: (
        "university",
        f"/trainings/tests/questions/{w.quiz_set['own'].questions[0].id}/delete",
        {},
    ),  # fmt: skip
    "trainings.quiz_question_move": _quiz_move,
    "trainings.quiz_take": _quiz_take,
    "trainings.record_assessment": _record_assessment,
    "trainings.survey_questions": _survey_questions,
    "trainings.l1_survey": _l1_survey,
    "trainings.save_action_item": lambda w: (
        "asn",
        f"/trainings/registrations/{w.registration['own'].id}/action-plan",
        {"text": "Menyusun SOP layanan", "due_on": _days_ahead(90), "status": "planned"},
    ),  # fmt: skip
    "trainings.l3_form": _l3_form,
    "trainings.submit_external": _submit_external,
    "trainings.verify_entry": lambda w: ("admin", _entry_url(w, "verify"), {}),
    "trainings.reject_entry": lambda w: (
        "admin",
        _entry_url(w, "reject"),
        {"reason": "Sertifikat tidak terbaca."},
    ),  # fmt: skip
    "trainings.seed_conversion_rules": lambda w: ("admin", "/trainings/ledger/conversion/seed", {}),
    "trainings.edit_conversion_rule": lambda w: (
        "admin",
        f"/trainings/ledger/conversion/{w.conversion_rule.id}",
        {
            "unit": "per_day",
            "jp_per_unit": "6",
            "cap_per_day": "",
            "cap_per_month": "",
            "bonus_percent": "0",
        },
    ),  # fmt: skip
    "trainings.edit_recognition_rule": lambda w: (
        "admin",
        f"/trainings/recognition/rules/{w.recognition_rule.id}/edit",
        {"title": "Target JP tercapai", "threshold": "90", "is_active": "y"},
    ),  # fmt: skip
    "trainings.find_recognitions": _find_recognitions,
    "trainings.approve_recognition": lambda w: ("admin", _proposal_url(w, "approve"), {}),
    "trainings.reject_recognition": lambda w: (
        "admin",
        _proposal_url(w, "reject"),
        {"reason": "Bukti belum lengkap."},
    ),  # fmt: skip
    "trainings.hall_of_fame_consent": lambda w: (
        "asn",
        "/trainings/recognition/mine/consent",
        {"action": "give"},
    ),  # fmt: skip
    "trainings.new_nomination": lambda w: (
        "admin",
        "/trainings/recognition/nominations/new",
        {
            "nip": w.asn_record.nip,
            "award": "anugerah_asn",
            "category": "PNS Inspiratif",
            "year": "2024",
            "justification": "Target JP tercapai dan JPM naik.",
        },
    ),  # fmt: skip
    "trainings.edit_nomination": lambda w: (
        "admin",
        _nomination_url(w, "edit"),
        {"award": "other", "year": "2025", "justification": "Diubah."},
    ),  # fmt: skip
    "trainings.submit_nomination": lambda w: (
        "admin",
        _nomination_url(w, "submit"),
        {"submitted_to": "Wali Kota Medan"},
    ),  # fmt: skip
    "trainings.record_decision": _submitted_then,
}
