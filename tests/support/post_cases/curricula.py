"""Valid POST requests for the curricula routes (part of ``tests.support.post_cases.POST_CASES``).

Each case: world -> (acting role, URL, form data); the request must change the database."""

from __future__ import annotations

from portal.db import db as _db


def _proposal_fields(w) -> dict:
    return {
        "title": "Kurikulum Tata Kelola Data",
        "summary": "Ringkasan baru.",
        "audience": "both",
        "mode": "klasikal",
        "learning_outcomes": "Peserta mampu menyusun perjanjian berbagi data.",
        "agency_id": str(w.agency.id),
    }


def _module_fields() -> dict:
    return {"title": "Modul Baru", "objectives": "Tujuan baru.", "jp": "3", "method": "diskusi"}


def _resolved(w):
    """The university user's review thread, resolved (so that it can be reopened)."""
    comment = w.comment["own"]
    comment.is_resolved, comment.resolved_by_id = True, w.university.id
    _db.session.flush()
    return ("university", f"/curricula/comments/{comment.id}/reopen", {})


def _cite(w):
    """A demand-board group the admin (a co-author of A's proposal) sees but nobody has cited:
    the world cites A × ``competency`` with position kinds merged, this one names the kind."""
    return (
        "admin",
        f"/curricula/proposals/{w.draft['own'].id}/evidence",
        {
            "agency_id": str(w.agency.id),
            "competency_id": str(w.competency.id),
            "kind": str(w.position.kind),
        },
    )


# --- internships: OPD A's positions, and A's placement (its student, mentor and DPL) -----------


CURRICULA_CASES = {
    # --- curricula: A's draft proposal, by its lead author (the university user) unless noted ---
    "curricula.new_proposal": lambda w: (
        "university",
        "/curricula/proposals/new",
        _proposal_fields(w),
    ),
    "curricula.edit_proposal": lambda w: (
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/edit",
        _proposal_fields(w),
    ),
    "curricula.add_module": lambda w: (
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/modules/new",
        _module_fields(),
    ),
    "curricula.edit_module": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/edit",
        _module_fields(),
    ),
    "curricula.delete_module": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/delete",
        {},
    ),
    "curricula.move_module": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/move",
        {"direction": "down"},
    ),
    "curricula.add_target": lambda w: (  # B's proposal targets a competency A's does not
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/targets",
        {"competency_id": str(w.target["other"].competency_id), "target_level": "4"},
    ),
    "curricula.remove_target": lambda w: (
        "university",
        f"/curricula/targets/{w.target['own'].id}/delete",
        {},
    ),
    "curricula.evidence": _cite,
    "curricula.remove_evidence": lambda w: (
        "university",
        f"/curricula/evidence/{w.evidence['own'].id}/delete",
        {},
    ),
    "curricula.authors": lambda w: (  # an admin names an ASN of the partner OPD
        "admin",
        f"/curricula/proposals/{w.draft['own'].id}/authors",
        {"user_id": str(w.report_user.id)},
    ),
    "curricula.remove_author": lambda w: (
        "university",
        f"/curricula/authors/{w.co_author['own'].id}/delete",
        {},
    ),
    "curricula.transition": lambda w: (  # the draft is complete: it can be submitted
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/transition",
        {"action": "submit", "note": ""},
    ),
    "curricula.add_comment": lambda w: (
        "university",
        f"/curricula/proposals/{w.draft['own'].id}/comments",
        {"body": "Modul 2 perlu studi kasus."},
    ),
    "curricula.edit_comment": lambda w: (
        "university",
        f"/curricula/comments/{w.comment['own'].id}/edit",
        {"body": "Mohon perjelas tujuan modul 1 dan 2."},
    ),
    "curricula.resolve_comment": lambda w: (
        "university",
        f"/curricula/comments/{w.comment['own'].id}/resolve",
        {},
    ),
    "curricula.reopen_comment": _resolved,
    "curricula.add_material": lambda w: (
        "university",
        f"/curricula/modules/{w.module['own'].id}/materials/new",
        {"kind": "text", "title": "Bacaan Pengantar", "url": "", "body": "Teks **baru**."},
    ),
    "curricula.revise_material": lambda w: (
        "university",
        f"/curricula/materials/{w.draft_material['own'].id}/revise",
        {"change_note": "Contoh diperbarui.", "url": "", "body": "Isi **materi** yang baru."},
    ),
    "curricula.delete_material": lambda w: (
        "university",
        f"/curricula/materials/{w.draft_material['own'].id}/delete",
        {},
    ),
    # --- feedback on A's published curriculum: its learners rate and flag, its author handles ---
    "curricula.rate_material": lambda w: (
        "student",
        f"/curricula/materials/{w.material['own'].id}/rate",
        {
            "overall": "4",
            "relevance": "5",
            "clarity": "4",
            "difficulty": "3",
            "comment": "Jelas dan relevan.",
            "show_name": "y",
        },
    ),  # fmt: skip
    "curricula.flag_material": lambda w: (  # the student's open report is a typo: another kind
        "student",
        f"/curricula/materials/{w.material['own'].id}/flag",
        {"kind": "unclear", "description": "Halaman 3 tidak jelas."},
    ),
    "curricula.handle_flag": lambda w: (
        "university",
        f"/curricula/flags/{w.flag['student'].id}/handle",
        {"action": "start", "note": ""},
    ),
}
