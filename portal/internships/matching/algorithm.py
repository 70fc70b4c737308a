"""The match itself, without the database: student-proposing deferred acceptance (Gale and
Shapley 1962; the algorithm of school choice and of the NRMP residency match) with a quota per
position, and the mentors' room shared out among their positions before the match.

Why this algorithm: the result is *stable* (no student and position both prefer each other to
what the match gave them: nobody is passed over for someone the OPD ranked lower), and it is
*strategy-proof for students* (ranking positions in any order other than one's true order never
gets a student a better place), so the advice to students is simply "rank what you want".

Ties in an OPD's scores are broken by one lottery number per student, drawn from a recorded
seed: the same seed on the same preferences and scores gives the same match.

Everything here is plain Python on ids, so the properties can be tested on generated instances
(tests/internships/test_matching_properties.py) and 3,000 students × 600 positions run in well
under a second (scripts/bench_matching.py).
"""

from __future__ import annotations

import heapq
import random
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

#: What became of one preference (student, position) — the student reads it as an explanation.
MATCHED = "matched"
#: The position was filled by applicants the OPD ranked higher.
FILLED = "filled"
#: The OPD marked the applicant as not acceptable (or did not score them).
UNACCEPTABLE = "unacceptable"
#: The position had no seat to give in the round (quota taken, or no mentor with room).
NO_SEATS = "no_seats"
#: A lower preference than the one the student got: never needed.
NOT_REACHED = "not_reached"
OUTCOMES = (MATCHED, FILLED, UNACCEPTABLE, NO_SEATS, NOT_REACHED)


@dataclass(frozen=True)
class Instance:
    """One round: each student's positions best first; each position's seats for the round;
    each position's scores of its acceptable applicants (higher first; a student missing from a
    position's scores is not acceptable there)."""

    preferences: Mapping[int, Sequence[int]]
    capacity: Mapping[int, int]
    scores: Mapping[int, Mapping[int, float]]


@dataclass
class Result:
    seed: int
    match: dict[int, int] = field(default_factory=dict)  # student -> position
    outcomes: dict[tuple[int, int], str] = field(default_factory=dict)  # (student, position)
    proposals: int = 0

    def choice(self, instance: Instance, student: int) -> int | None:
        """Which choice (1 = first) the student got, or None when unplaced."""
        position = self.match.get(student)
        return None if position is None else list(instance.preferences[student]).index(position) + 1


def lottery(students, seed: int) -> dict[int, int]:
    """One tie-breaking number per student (lower wins a tie), from ``seed`` alone: the students
    are sorted first, so the order they come in does not matter."""
    order = sorted(students)
    random.Random(seed).shuffle(order)  # noqa: S311 (reproducible ties, not a secret)
    return {student: number for number, student in enumerate(order)}


def deferred_acceptance(instance: Instance, seed: int) -> Result:
    """Students propose to their positions in order; a position holds its best applicants up to
    its capacity and turns away the rest; a student turned away proposes to their next choice.
    Ends when every student is held or has no choice left."""
    ties = lottery(instance.preferences, seed)
    result = Result(seed=seed)
    # Each position keeps a heap whose smallest entry is the worst applicant it holds.
    held: dict[int, list[tuple[float, int, int]]] = {p: [] for p in instance.capacity}
    following = dict.fromkeys(instance.preferences, 0)
    free = deque(sorted(instance.preferences))
    while free:
        student = free.popleft()
        choices = instance.preferences[student]
        if following[student] >= len(choices):
            continue  # unplaced
        position = choices[following[student]]
        following[student] += 1
        result.proposals += 1
        score = instance.scores.get(position, {}).get(student)
        if score is None:
            result.outcomes[student, position] = UNACCEPTABLE
            free.append(student)
            continue
        seats = instance.capacity.get(position, 0)
        if seats <= 0:
            result.outcomes[student, position] = NO_SEATS
            free.append(student)
            continue
        heap = held.setdefault(position, [])
        heapq.heappush(heap, (score, -ties[student], student))
        if len(heap) > seats:
            _, _, worst = heapq.heappop(heap)
            result.outcomes[worst, position] = FILLED
            free.append(worst)
    for position, heap in held.items():
        for _, _, student in heap:
            result.match[student] = position
            result.outcomes[student, position] = MATCHED
    for student, choices in instance.preferences.items():
        for position in choices:
            result.outcomes.setdefault((student, position), NOT_REACHED)
    return result


def allot_mentor_room(
    seats: Mapping[int, int],
    mentors: Mapping[int, Sequence[int]],
    room: Mapping[int, int],
    demand: Mapping[int, int] | None = None,
) -> dict[int, dict[int, int]]:
    """Share each mentor's remaining room among the positions that name them, before the match:
    position -> {mentor: places}. A position gets at most its free seats (and, when ``demand``
    is given, at most its number of acceptable applicants: no room is set aside for nobody);
    positions with fewer mentors are served first (they have fewer ways to find room), then by
    id; within a position the mentor with most room left goes first. The sum a mentor gives is
    never more than their room, so the match can never place more interns with a mentor than
    they may take."""
    left = {mentor: max(0, count) for mentor, count in room.items()}
    allotted: dict[int, dict[int, int]] = {}
    for position in sorted(seats, key=lambda p: (len(mentors.get(p, ())), p)):
        want = max(0, seats[position])
        if demand is not None:
            want = min(want, demand.get(position, 0))
        shares: dict[int, int] = {}
        for mentor in sorted(set(mentors.get(position, ())), key=lambda m: (-left.get(m, 0), m)):
            if want <= 0:
                break
            take = min(want, left.get(mentor, 0))
            if take > 0:
                shares[mentor] = take
                left[mentor] -= take
                want -= take
        allotted[position] = shares
    return allotted


def capacities(allotted: Mapping[int, Mapping[int, int]]) -> dict[int, int]:
    """The seats each position may fill in the round: the mentor places set aside for it."""
    return {position: sum(shares.values()) for position, shares in allotted.items()}


def mentors_for(result: Result, allotted: Mapping[int, Mapping[int, int]]) -> dict[int, int]:
    """student -> the mentor whose place the match gives them (within the position's shares)."""
    given: dict[int, int] = {}
    by_position: dict[int, list[int]] = {}
    for student, position in result.match.items():
        by_position.setdefault(position, []).append(student)
    for position, students in by_position.items():
        places = [m for m, count in sorted(allotted[position].items()) for _ in range(count)]
        for student, mentor in zip(sorted(students), places, strict=False):
            given[student] = mentor
    return given


def first_come_first_served(instance: Instance, seed: int) -> dict[int, int]:
    """The baseline the benchmark compares with: students arrive in a random order (the
    registration-day rush) and each takes their best choice that still has a seat and would
    accept them."""
    left = dict(instance.capacity)
    order = sorted(instance.preferences)
    random.Random(seed).shuffle(order)  # noqa: S311 (reproducible ties, not a secret)
    match: dict[int, int] = {}
    for student in order:
        for position in instance.preferences[student]:
            if left.get(position, 0) > 0 and student in instance.scores.get(position, {}):
                left[position] -= 1
                match[student] = position
                break
    return match


def summary(instance: Instance, match: Mapping[int, int]) -> dict[str, int]:
    """The figures of a match: students, placed, at their first / in their top three choices,
    unplaced, seats, seats left unfilled."""
    first = top3 = 0
    for student, position in match.items():
        choice = list(instance.preferences[student]).index(position) + 1
        first += choice == 1
        top3 += choice <= 3
    seats = sum(max(0, c) for c in instance.capacity.values())
    return {
        "students": len(instance.preferences),
        "placed": len(match),
        "first": first,
        "top3": top3,
        "unplaced": len(instance.preferences) - len(match),
        "seats": seats,
        "unfilled": seats - len(match),
    }
