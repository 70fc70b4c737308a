"""The audit log's details in the reader's language (issue 15, point 8): every detail key the code
records has a translated label, identifiers are shown by the titles of their workflows, booleans
as Yes/No, moments in the reader's locale and in WIB; the page and its export agree."""

from __future__ import annotations

import ast
import html
import re
import types
from pathlib import Path

from flask_babel import force_locale

from portal import audit
from portal.audit_details import DETAILS, STEPS, describe
from portal.auth.models import Role
from portal.internships.applications import workflow as application_workflow
from portal.internships.guidance.models import SessionAction
from portal.internships.placements.models import EntryAction as LogbookAction
from portal.internships.placements.models import ReportAction
from portal.trainings.batches import workflow as batch_workflow
from portal.trainings.registrations import workflow as registration_workflow
from tests.exports.support_a import read_export
from tests.support.pages import visible_text
from tests.support.worlds import module_world

PORTAL = Path(__file__).resolve().parents[2] / "portal"

#: ``audit.record(..., **mapping)``: the keys each such mapping holds.
SPREAD_KEYS = {
    ("competency/roster/writing.py", "counts"): {"rows", "created", "updated"},
    # remove_part(..., removed=…) / (..., target_removed=…): the two parts a proposal loses
    ("curricula/proposals/services.py", "details"): {"removed", "target_removed"},
    # record_batch(actor, action, batch, step, **detail): the batch and quiz services' details
    ("trainings/common.py", "detail"): {
        "capacity",
        "jp",
        "kind",
        "question",
        "pass_score",
        "registrations",
    },
}


def build_trail(make):
    """Two city admins (one reads Indonesian, one English) and events carrying details."""
    w = types.SimpleNamespace()
    w.admin_id = make.user(Role.ADMIN, locale="id", email="admin.id@pemkomedan.example.com")
    w.admin_en = make.user(Role.ADMIN, locale="en", email="admin.en@pemkomedan.example.com")
    actor = w.admin_en
    audit.record(actor, "training.l3", target_label="evt-l3", step="answer")
    audit.record(
        actor,
        "training.registration",
        target_label="evt-registration",
        step="approve",
        state="waitlisted",
        clash=False,
    )
    audit.record(
        actor,
        "assessment.record",
        target_label="evt-assessment",
        method="post_training_test",
        competencies=3,
    )
    # 2026-03-10 01:30 UTC is 08:30 in Medan (WIB)
    audit.record(
        actor, "training.session", target_label="evt-session", starts_at="2026-03-10T01:30:00+00:00"
    )
    audit.record(actor, "internship.placement", target_label="evt-placement", supervisor_id=12)
    audit.record(actor, "account.update", target_label="evt-legacy", legacy_note="kept")
    make.session.flush()
    return w


trail = module_world(build_trail)


def details(response) -> dict[str, str]:
    """The details cell of every row of the log, by the row's target."""
    body = response.get_data(as_text=True)
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(cells) == 6:
            text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cells[5])).split())
            rows[html.unescape(cells[3]).strip()] = text.replace(" :", ":")
    return rows


def test_the_log_in_indonesian_shows_indonesian_labels_and_titles(client, login_as, trail):
    login_as(trail.admin_id)
    r = client.get("/admin/audit")

    assert r.status_code == 200
    shown = details(r)
    assert shown["evt-registration"] == (
        "Langkah: Disetujui oleh atasan langsung; Status: Dalam daftar tunggu; "
        "Jadwal bentrok: Tidak"
    )
    assert shown["evt-assessment"] == "Metode: Tes pascapelatihan; Kompetensi: 3"
    assert shown["evt-session"] == "Mulai: 10/03/2026 08.30"
    assert shown["evt-l3"].startswith("Langkah: ")
    page = " ".join(shown.values())
    for raw in (
        "step:",
        "state:",
        "method:",
        "clash:",
        "answer",
        "waitlisted",
        "post_training_test",
        "False",
        "supervisor_id",
        "2026-03-10T01:30",
    ):
        assert raw not in page
    assert "Akun diubah" in visible_text(r)  # the action column is in Indonesian too


def test_the_log_in_english_shows_english_labels_and_titles(client, login_as, trail):
    login_as(trail.admin_en)
    shown = details(client.get("/admin/audit"))

    assert shown["evt-l3"] == "Step: Answered"
    assert shown["evt-registration"] == (
        "Step: Approved by the supervisor; State: On the waiting list; Schedule clash: No"
    )
    assert shown["evt-assessment"] == "Method: Post-training test; Competencies: 3"
    assert shown["evt-session"] == "Starts: 10/03/2026 08:30"
    assert shown["evt-placement"] == "DPL: #12"
    # a key the registry does not know (an older event) still shows, readably
    assert shown["evt-legacy"] == "Legacy note: kept"


def test_the_export_uses_the_pages_labels(client, login_as, trail):
    login_as(trail.admin_id)
    rows = read_export(client.get("/admin/audit/export.csv"), "csv")

    cells = {row[3]: row[5] for row in rows[1:]}
    assert cells["evt-assessment"] == "Metode: Tes pascapelatihan; Kompetensi: 3"
    assert cells["evt-placement"] == "DPL: #12"


# --- every key the code records is registered --------------------------------------------------


def _is_audit_record(node) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


def _actions(call: ast.Call) -> list[str]:
    """The action a call records (both of ``"a" if x else "b"``)."""
    action = call.args[1] if len(call.args) > 1 else None
    if isinstance(action, ast.IfExp):
        return [e.value for e in (action.body, action.orelse) if isinstance(e, ast.Constant)]
    return [action.value] if isinstance(action, ast.Constant) else ["?"]


def recorded_details() -> tuple[dict[str, list[tuple[str, str, object]]], list[str]]:
    """Every ``audit.record`` call in portal/: ``{key: [(file, action, value)]}`` (the value
    when it is a constant, else None), and what would hide keys from this scan."""
    keys: dict[str, list[tuple[str, str, object]]] = {}
    problems = []
    for path in sorted(PORTAL.rglob("*.py")):
        where = str(path.relative_to(PORTAL))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            imported = isinstance(node, ast.ImportFrom) and node.module == "portal.audit"
            if imported and "record" in {alias.name for alias in node.names}:
                problems.append(f"{where}: call audit.record(...), not a bare record(...)")
            if not _is_audit_record(node):
                continue
            for kw in node.keywords:
                if kw.arg == "target_label":
                    continue
                if kw.arg is None:  # **mapping
                    spread = (where, ast.unparse(kw.value))
                    if spread not in SPREAD_KEYS:
                        problems.append(f"{where}:{node.lineno}: list the keys of **{spread[1]}")
                    found = [(key, None) for key in SPREAD_KEYS.get(spread, ())]
                else:
                    constant = isinstance(kw.value, ast.Constant)
                    found = [(kw.arg, kw.value.value if constant else None)]
                for key, value in found:
                    for action in _actions(node):
                        keys.setdefault(key, []).append((where, action, value))
    return keys, problems


def test_every_detail_key_the_code_records_has_a_label():
    keys, problems = recorded_details()

    assert problems == []
    assert len(keys) > 50, "the scan found too few audit.record calls: has the call changed?"
    unlabelled = {
        key: sorted({w for w, *_ in uses}) for key, uses in keys.items() if key not in DETAILS
    }
    assert unlabelled == {}, "add these keys to portal/audit_details.DETAILS"
    assert sorted(set(DETAILS) - set(keys)) == [], "keys nobody records any more"


def test_every_identifier_the_code_records_has_a_title(app):
    """A constant recorded as a value (``step="answer"``, ``method="check_in"``) is an identifier:
    it is shown by a title, never as itself."""
    keys, _problems = recorded_details()
    event = types.SimpleNamespace()
    raw = []
    with app.test_request_context(), force_locale("en"):
        for key, uses in keys.items():
            for where, action, value in uses:
                if isinstance(value, str | bool) and action in audit.ACTIONS:
                    event.action, event.detail_dict = action, {key: value}
                    ((_label, shown),) = describe(event)
                    if shown == str(value):
                        raw.append(f"{where}: {action} {key}={value!r}")
    assert raw == []


def test_every_step_of_the_workflows_has_a_title():
    """Steps recorded from an enum or a computed name, which the scan cannot read."""
    steps = {
        "training.registration": {registration_workflow.REGISTER, registration_workflow.NOMINATE}
        | {a.value for a in registration_workflow.RegistrationAction},
        "training.batch": {a.value for a in batch_workflow.BatchAction} | {"schedule", "edit"},
        # recorded through trainings.common.record_batch, whose step the scan cannot read
        "training.quiz": {"add", "edit", "delete", "move", "pass_score"},
        "internship.application": {application_workflow.APPLY}
        | {a.value for a in application_workflow.ApplicationAction},
        "internship.logbook": {a.value for a in LogbookAction},
        "internship.report": {f"{who}_{a}" for who in ("mentor", "dpl") for a in ReportAction},
        "internship.session": {a.value for a in SessionAction},
    }
    missing = {action: sorted(names - set(STEPS[action])) for action, names in steps.items()}
    assert missing == {action: [] for action in steps}
