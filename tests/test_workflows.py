"""Every workflow is a table on the one engine (``portal/workflow.py``): this walks every
(state × action × party) triple of every table and checks that the guard answers as the table
says, with a message that says why (never the engine's generic fallback), in both languages."""

from __future__ import annotations

import pytest

from portal.errors import InvalidTransition
from portal.workflow import FALLBACK, SYSTEM, WORKFLOWS


@pytest.fixture(scope="module")
def workflows(app):
    """The declared workflows, once the app (and with it every feature) is imported."""
    return dict(WORKFLOWS)


def _members(values) -> list:
    """All members of the enum(s) the table's states or actions come from."""
    kinds = {type(v) for v in values}
    members = []
    for kind in kinds:
        members += list(kind) if hasattr(kind, "__members__") else []
    return sorted(set(members) or set(values), key=str)


def _text(message, app, locale) -> str:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(locale):
        return str(message)


def test_the_features_declare_their_workflows(workflows):
    assert len(workflows) >= 17, sorted(workflows)


def test_every_triple_of_every_table_answers_as_the_table_says(workflows, app):
    checked = 0
    for name, wf in sorted(workflows.items()):
        states = _members(wf.states())
        actions = _members([a for _s, a in wf.steps])
        parties = sorted(wf.all_parties() | {SYSTEM})
        problems = []
        for state in states:
            for action in actions:
                found = wf.steps.get((state, action))
                for party in parties:
                    checked += 1
                    try:
                        got = wf.decide(state, action, frozenset({party}))
                    except InvalidTransition as exc:
                        if found is not None and party in found.parties:
                            problems.append(f"{state} × {action} × {party}: refused ({exc})")
                            continue
                        for locale in ("id", "en"):
                            text = _text(exc.message, app, locale)
                            if (
                                not text.strip()
                                or "%(" in text
                                or text == _text(FALLBACK, app, locale)
                            ):
                                problems.append(f"{state} × {action} × {party}: {text!r}")
                        continue
                    if found is None or party not in found.parties:
                        problems.append(f"{state} × {action} × {party}: allowed, not in the table")
                    elif got is not found:
                        problems.append(f"{state} × {action} × {party}: another step")
        assert not problems, f"{name}: " + "; ".join(problems)
    assert checked > 500


def test_every_party_set_has_its_own_message(workflows):
    """A step refused for who you are says who may take it (never the generic fallback)."""
    missing = {
        name: sorted(map(sorted, {st.parties for st in wf.steps.values()} - set(wf.party_text)))
        for name, wf in workflows.items()
    }
    assert not {n: m for n, m in missing.items() if m}


def test_every_state_and_action_of_an_enum_appears_in_its_table(workflows):
    """An enum member that no step uses is a state nothing reaches or a button that never
    works: either the table misses a row or the enum has a stale member."""
    unused = {}
    for name, wf in workflows.items():
        states = wf.states()
        actions = {a for _s, a in wf.steps} | set(wf.starts)
        idle = [s for s in _members(states) if s not in states]
        idle += [a for a in _members(actions) if a not in actions]
        if idle:
            unused[name] = [str(m) for m in idle]
    assert not unused
