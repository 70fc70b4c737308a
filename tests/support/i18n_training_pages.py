"""Who reads each training page in the Indonesian crawl of tests/crawls/test_i18n.py, on the world's
own objects (tests/support/worlds/crawl_trainings.py): the ASN user is a participant and the agency co-author
of the own batch, the university user its facilitator, the admin city-wide."""

from __future__ import annotations

from portal.auth.models import Role

A, U, S = Role.ADMIN, Role.UNIVERSITY, Role.ASN

TRAINING_PAGES = {
    # batches, registrations, attendance
    "trainings.batches": [S, A, U],
    "trainings.batch": [S, A, U],
    "trainings.new_batch": [A],
    "trainings.edit_batch": [A],
    "trainings.edit_session": [A],
    "trainings.my_trainings": [S],
    "trainings.approvals": [S],
    "trainings.check_in": [S],
    "trainings.registration": [S, A, U],
    "trainings.attendance": [U],
    "trainings.session_code": [U],
    # pre- and post-tests
    "trainings.quiz_edit": [U],
    "trainings.quiz_question_edit": [U],
    "trainings.quiz_results": [U, A],
    "trainings.quiz_take": [S],
    "trainings.record_assessment": [A],
    "trainings.quiz_record_queue": [A],
    # evaluation
    "trainings.survey_questions": [A],
    "trainings.l1_survey": [S],
    "trainings.l1_results": [U, A],
    "trainings.action_plan": [S],
    "trainings.l3_form": [S],
    "trainings.my_l3_forms": [S],
    "trainings.impact": [A, U],
    # the JP ledger
    "trainings.my_ledger": [S],
    "trainings.asn_ledger": [A],
    "trainings.submit_external": [S],
    "trainings.ledger_entry": [S, A],
    "trainings.verifications": [A],
    "trainings.conversion_rules": [A, S],
    "trainings.edit_conversion_rule": [A],
    "trainings.compliance": [A],
    # recognition
    "trainings.recognition_rules": [A],
    "trainings.edit_recognition_rule": [A],
    "trainings.recognition_proposals": [A],
    "trainings.my_recognitions": [S],
    "trainings.hall_of_fame": [S],
    "trainings.nominations": [A],
    "trainings.new_nomination": [A],
    "trainings.nomination": [A],
    "trainings.edit_nomination": [A],
}
