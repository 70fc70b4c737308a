"""Valid POST requests for the personal-data routes and the notification settings (part of
``tests.support.post_cases.POST_CASES``). Each case: world -> (acting role, URL, form data); the
request must change the database. The world's data requests: tests/support/worlds/crawl_privacy.py."""

from __future__ import annotations

from portal.notify import CATEGORIES


def _settings(w):
    choices = {f"category_{name}": "email" for name in CATEGORIES}
    return ("asn", "/notifications/settings", {**choices, "category_reminders": "digest"})


PERSONAL_CASES = {
    "main.notification_settings": _settings,
    # The download is a POST because it records who exported their data (an audit row).
    "privacy.export_my_data": lambda w: ("student", "/privacy/my-data/export.zip", {}),
    "privacy.change_consent": lambda w: (
        "student",
        "/privacy/consents",
        {"purpose": "feedback_name", "action": "give"},
    ),  # fmt: skip
    "privacy.new_request": lambda w: (
        "student",
        "/privacy/my-data/requests/new",
        {"kind": "correction", "details": "NIM salah", "explanation": "2101234"},
    ),
    "privacy.handle_request": lambda w: (
        "admin",
        f"/privacy/requests/{w.data_request['student'].id}/handle",
        {"outcome": "done", "response": "Diperbaiki."},
    ),
    "privacy.erase": lambda w: (
        "admin",
        f"/privacy/requests/{w.approved_deletion.id}/erase",
        {"confirm": "y", "response": "Sudah dihapus."},
    ),
}
