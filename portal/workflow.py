"""The one state-machine engine (CONVENTIONS.md §6). A workflow is a declared table
(state × action → next state, the parties who may take the step, extra guards); the guard is
written here once:

1. look the step up: none → "“<action>” is not possible while … is “<state>”";
2. the parties the user acts for: none of the step's → who may take it;
3. the workflow's guards, then the step's own, in order: the first refusal says why.

``check`` returns the next state or raises a translated :class:`InvalidTransition` saying why;
``allowed`` lists the steps a user may take now (a page shows exactly these buttons);
``apply`` checks, writes the history row (the workflow's ``record``) and sets the new state.
``user=None`` stands for the portal itself (the ``SYSTEM`` party: daily jobs, automatic steps).

Every workflow registers itself in :data:`WORKFLOWS`; ``tests/test_workflows.py`` walks every
(state × action × party) triple of every table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.db import utcnow
from portal.errors import InvalidTransition
from portal.i18n import _l

#: The portal itself (``user=None``): automatic steps are never buttons.
SYSTEM = "system"

#: A guard gets the object, the action, the user (None for the portal) and the caller's context;
#: it returns None to let the step pass, or the translated reason why it is blocked.
Guard = Callable[..., Any]

WORKFLOWS: dict[str, Workflow] = {}

#: Said when a table has no text for the parties of a step (``tests/test_workflows.py`` fails on
#: it: every party set of every table has its own text).
FALLBACK = _l("You cannot take this step.")


@dataclass(frozen=True)
class Step:
    """One row of a table: where the step leads, who may take it, and its own guards."""

    to: Any
    parties: frozenset[str]
    guards: tuple[Guard, ...] = ()
    #: other states the service may lead the step to instead (approved, but no seat: waitlisted)
    also: tuple = ()


def step(to, *parties: str, guards: Iterable[Guard] = (), also: Iterable = ()) -> Step:
    """``step(S.ENROLLED, SUPERVISOR)``: a table row, written as it reads."""
    return Step(to, frozenset(parties), tuple(guards), tuple(also))


def _default_not_possible(action, state):
    return _l(
        "“%(action)s” is not possible while the state is “%(state)s”.",
        action=action.title,
        state=state.title,
    )


@dataclass
class Workflow:
    """A declared state machine; see the module's docstring for the order of the guard."""

    name: str
    steps: Mapping[tuple[Any, Any], Step]
    #: ``parties(obj, user) -> frozenset[str]``: the parties a signed-in user acts for.
    parties: Callable[[Any, Any], frozenset[str]]
    #: ``not_possible(action, state) -> message``, for a step the table does not have.
    not_possible: Callable[[Any, Any], Any] = _default_not_possible
    #: who may take a step → the message for anybody else.
    party_text: Mapping[frozenset[str], Any] = field(default_factory=dict)
    #: guards of every step, checked after the parties and before the step's own.
    guards: tuple[Guard, ...] = ()
    #: ``record(obj, action, from_state, to_state, actor, note, at)``: writes the history row.
    record: Callable[..., Any] | None = None
    state_attr: str = "state"
    #: actions that create an object in a state (``{CREDIT: VERIFIED}``): no state to check yet,
    #: the creating service has its own rules; listed so the table names every action.
    starts: Mapping[Any, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.name in WORKFLOWS:
            raise ValueError(f"a workflow named {self.name!r} is already declared")
        WORKFLOWS[self.name] = self

    # --- the pure part: the table and the parties (walked by tests/test_workflows.py) --------

    def states(self) -> set:
        return (
            {s for s, _a in self.steps}
            | {to for st in self.steps.values() for to in (st.to, *st.also)}
            | set(self.starts.values())
        )

    def all_parties(self) -> set[str]:
        return set().union(*(st.parties for st in self.steps.values()))

    def decide(self, state, action, parties: frozenset[str]) -> Step:
        """The step from ``state`` by ``action`` for a user acting as ``parties``; raises
        InvalidTransition when the table has no such step or none of its parties is given."""
        found = self.steps.get((state, action))
        if found is None:
            raise InvalidTransition(self.not_possible(action, state))
        if not found.parties & parties:
            raise InvalidTransition(self.party_text.get(found.parties, FALLBACK))
        return found

    # --- against an object ----------------------------------------------------------------

    def parties_of(self, obj, user) -> frozenset[str]:
        return frozenset({SYSTEM}) if user is None else self.parties(obj, user)

    def check(self, obj, action, user, *, parties: frozenset[str] | None = None, **context):
        """The state ``action`` leads ``obj`` to; raises InvalidTransition saying why not.
        ``parties``: the user's parties when the caller has them already (``allowed``)."""
        if parties is None:
            parties = self.parties_of(obj, user)
        found = self.decide(getattr(obj, self.state_attr), action, parties)
        for guard in (*self.guards, *found.guards):
            why = guard(obj, action, user, **context)
            if why is not None:
                raise InvalidTransition(why)
        return found.to

    def can(self, obj, action, user, **context) -> bool:
        try:
            self.check(obj, action, user, **context)
        except InvalidTransition:
            return False
        return True

    def allowed(self, obj, user, **context) -> list:
        """The actions ``user`` may take on ``obj`` now, in table order (never automatic ones).
        The user's parties are worked out once, not once per candidate step."""
        state = getattr(obj, self.state_attr)
        candidates = [
            action
            for (at, action), found in self.steps.items()
            if at == state and found.parties != {SYSTEM}
        ]
        if not candidates:
            return []
        parties = self.parties_of(obj, user)
        return [
            action
            for action in candidates
            if self.can(obj, action, user, parties=parties, **context)
        ]

    def apply(self, obj, action, user, *, to=None, actor=None, note=None, at=None, **context):
        """Check, write the history row (``record``) and set the new state; returns it.
        ``to`` picks one of the step's ``also`` states; ``actor`` is who is recorded (default
        ``user``; None for the portal)."""
        to_state = self.check(obj, action, user, **context)
        if to is not None and to != to_state:
            found = self.steps[(getattr(obj, self.state_attr), action)]
            if to not in found.also:
                raise ValueError(f"{self.name}: {action} cannot lead to {to}")
            to_state = to
        from_state = getattr(obj, self.state_attr)
        if self.record is not None:
            who = actor if actor is not None else user
            self.record(obj, action, from_state, to_state, who, note, at or utcnow())
        setattr(obj, self.state_attr, to_state)
        return to_state
