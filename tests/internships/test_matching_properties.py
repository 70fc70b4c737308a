"""The properties of the matching algorithm (portal/internships/matching/algorithm.py), checked
on generated rounds with hypothesis: 1–12 students, 1–6 positions, 0–4 seats, preference lists
of 0–5 positions without repeats, integer OPD scores (so ties are common) with some applicants
left unscored (not acceptable).

What is checked is what the module's docstring promises: stability (no justified envy),
quotas and mentors' room kept, strategy-proofness for students, reproducibility from the seed,
and truthful explanations (the outcome of every preference); that each student gets the best
place of any stable match (checked by brute force on small tight rounds, and against the
OPDs-proposing match); a worked example with a known answer; and only the size guarantees that
are theorems (a stable match is maximal, so it places at least half as many students as any
match could; when first-come first-served happens to be stable, deferred acceptance places
exactly the same students, each at least as high). Deferred acceptance does NOT always place
more students, nor more at their first choice, than first come, first served: nothing here
claims it (scripts/bench_matching.py shows the figures on a city-scale cohort)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.internships.matching import algorithm
from portal.internships.matching.algorithm import (
    FILLED,
    MATCHED,
    NO_SEATS,
    NOT_REACHED,
    UNACCEPTABLE,
    Instance,
)

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def instances(draw, max_students: int = 12, max_positions: int = 6) -> Instance:
    positions = list(range(100, 100 + draw(st.integers(1, max_positions))))
    students = list(range(1, 1 + draw(st.integers(1, max_students))))
    preferences = {
        s: draw(st.lists(st.sampled_from(positions), unique=True, max_size=5)) for s in students
    }
    capacity = {p: draw(st.integers(0, 4)) for p in positions}
    scores: dict[int, dict[int, float]] = {p: {} for p in positions}
    for s in students:
        for p in preferences[s]:
            score = draw(st.one_of(st.none(), st.integers(0, 4)))  # few values: many ties
            if score is not None:
                scores[p][s] = score
    return Instance(preferences=preferences, capacity=capacity, scores=scores)


@st.composite
def tight_rounds(draw, most: int = 4) -> Instance:
    """n students, n positions of one seat, everybody ranks everything, every OPD scores
    everybody differently: small, but the students' and the OPDs' favourite stable matches
    differ in about four rounds out of ten (random rounds of ``instances`` rarely do)."""
    n = draw(st.integers(2, most))
    students = list(range(1, n + 1))
    positions = list(range(100, 100 + n))
    return Instance(
        preferences={s: draw(st.permutations(positions)) for s in students},
        capacity=dict.fromkeys(positions, 1),
        scores={
            p: dict(zip(draw(st.permutations(students)), range(n), strict=True)) for p in positions
        },
    )


ROUNDS = st.one_of(instances(), tight_rounds())


def key(instance: Instance, ties: dict[int, int], student: int, position: int):
    """How the OPD of ``position`` ranks ``student``: higher score first, then lower lottery."""
    return (instance.scores[position][student], -ties[student])


def holders(result, position: int) -> list[int]:
    return [s for s, p in result.match.items() if p == position]


def blocking_pairs(instance: Instance, match: dict[int, int], seed: int) -> list[tuple[int, int]]:
    """(student, position) pairs with justified envy: the student prefers the position to what
    they got (or is unplaced), the OPD accepts them, and the position has a free seat or holds
    someone the OPD ranks lower."""
    ties = algorithm.lottery(instance.preferences, seed)
    held: dict[int, list[int]] = {}
    for s, p in match.items():
        held.setdefault(p, []).append(s)
    pairs = []
    for s, listed in instance.preferences.items():
        choices = list(listed)
        better = choices[: choices.index(match[s])] if s in match else choices
        for p in better:
            if s not in instance.scores.get(p, {}) or instance.capacity.get(p, 0) <= 0:
                continue
            taken = held.get(p, [])
            if len(taken) < instance.capacity[p] or any(
                key(instance, ties, t, p) < key(instance, ties, s, p) for t in taken
            ):
                pairs.append((s, p))
    return pairs


def reordered(instance: Instance) -> Instance:
    """The same round with every dict built in reverse order."""
    return Instance(
        preferences={s: list(c) for s, c in reversed(list(instance.preferences.items()))},
        capacity=dict(reversed(list(instance.capacity.items()))),
        scores={
            p: dict(reversed(list(scores.items())))
            for p, scores in reversed(list(instance.scores.items()))
        },
    )


# --- stability, quotas, acceptability ---------------------------------------------------------


@PROPERTY
@given(instances(), SEEDS)
def test_the_match_is_stable(instance, seed):
    result = algorithm.deferred_acceptance(instance, seed)
    assert blocking_pairs(instance, result.match, seed) == []


@PROPERTY
@given(instances(), SEEDS)
def test_quotas_acceptability_and_one_place_each(instance, seed):
    result = algorithm.deferred_acceptance(instance, seed)
    for position, seats in instance.capacity.items():
        assert len(holders(result, position)) <= max(0, seats)
    assert set(result.match) <= set(instance.preferences)
    for student, position in result.match.items():
        assert position in instance.preferences[student]  # only a position they ranked
        assert student in instance.scores[position]  # and where the OPD accepts them
    matched = [(s, p) for (s, p), outcome in result.outcomes.items() if outcome == MATCHED]
    assert sorted(matched) == sorted(result.match.items())  # nobody matched twice
    assert len({s for s, _ in matched}) == len(matched)


# --- mentors' room ----------------------------------------------------------------------------


@dataclass
class MentoredRound:
    instance: Instance  # capacities still to be set from the mentors' room
    seats: dict[int, int]
    mentors: dict[int, list[int]]
    room: dict[int, int]
    demand: dict[int, int] | None


@st.composite
def mentored_rounds(draw) -> MentoredRound:
    base = draw(instances())
    positions = list(base.capacity)
    people = list(range(500, 500 + draw(st.integers(1, 5))))
    room = {m: draw(st.integers(0, 6)) for m in people}
    mentors = {
        p: draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique=True))
        for p in positions
    }  # few mentors for many positions: mentors are shared
    seats = {p: draw(st.integers(0, 5)) for p in positions}
    demand = None
    if draw(st.booleans()):
        demand = {
            p: sum(1 for s, c in base.preferences.items() if p in c and s in base.scores[p])
            for p in positions
        }
    return MentoredRound(base, seats, mentors, room, demand)


@PROPERTY
@given(mentored_rounds(), SEEDS)
def test_no_mentor_gets_more_interns_than_their_room(round_, seed):
    allotted = algorithm.allot_mentor_room(round_.seats, round_.mentors, round_.room, round_.demand)
    assert set(allotted) == set(round_.seats)
    given_by_mentor = dict.fromkeys(round_.room, 0)
    for position, shares in allotted.items():
        assert set(shares) <= set(round_.mentors[position])  # only the position's own mentors
        assert all(count > 0 for count in shares.values())
        assert sum(shares.values()) <= round_.seats[position]
        if round_.demand is not None:
            assert sum(shares.values()) <= round_.demand[position]
        for mentor, count in shares.items():
            given_by_mentor[mentor] += count
    for mentor, count in given_by_mentor.items():
        assert count <= round_.room[mentor]

    capacity = algorithm.capacities(allotted)
    instance = Instance(round_.instance.preferences, capacity, round_.instance.scores)
    result = algorithm.deferred_acceptance(instance, seed)
    places = algorithm.mentors_for(result, allotted)
    assert set(places) == set(result.match)  # every matched student has a mentor place
    interns = dict.fromkeys(round_.room, 0)
    per_share: dict[tuple[int, int], int] = {}
    for student, mentor in places.items():
        position = result.match[student]
        assert mentor in allotted[position]
        interns[mentor] += 1
        per_share[position, mentor] = per_share.get((position, mentor), 0) + 1
    for (position, mentor), count in per_share.items():
        assert count <= allotted[position][mentor]
    for mentor, count in interns.items():
        assert count <= round_.room[mentor]


@PROPERTY
@given(
    st.dictionaries(
        st.integers(100, 105),
        st.dictionaries(st.integers(500, 504), st.integers(1, 4), max_size=3),
        min_size=1,
    ),
    st.data(),
)
def test_mentor_places_stay_within_each_share(allotted, data):
    """Whatever match fills a position up to its mentors' shares, each mentor gets at most
    their share of its students (and every student one place)."""
    match: dict[int, int] = {}
    student = 0
    for position, shares in allotted.items():
        for _ in range(data.draw(st.integers(0, sum(shares.values())))):
            student += 1
            match[student] = position
    places = algorithm.mentors_for(algorithm.Result(seed=0, match=match), allotted)
    assert set(places) == set(match)
    for position, shares in allotted.items():
        for mentor, share in shares.items():
            given = [s for s, m in places.items() if m == mentor and match[s] == position]
            assert len(given) <= share


# --- strategy-proofness -----------------------------------------------------------------------


def rank(choices, position) -> float:
    """Where ``position`` stands in a student's true list (unplaced, or a position they did not
    rank, counts as worse than all of it)."""
    choices = list(choices)
    return choices.index(position) if position in choices else float("inf")


def misreports(truth: list[int], drawn: list[list[int]]) -> list[list[int]]:
    """The lies drawn, plus every truncation, every swap of two neighbours, every position moved
    to the top, and the list reversed."""
    lies = [*drawn, list(reversed(truth))]
    lies += [truth[:i] for i in range(len(truth))]
    lies += [truth[:i] + [truth[i + 1], truth[i]] + truth[i + 2 :] for i in range(len(truth) - 1)]
    lies += [[p] + [q for q in truth if q != p] for p in truth[1:]]
    return lies


@PROPERTY
@given(st.one_of(instances(max_students=8, max_positions=5), tight_rounds(5)), SEEDS, st.data())
def test_no_student_gains_by_misreporting(instance, seed, data):
    honest = algorithm.deferred_acceptance(instance, seed).match
    positions = sorted(instance.capacity)
    for student, listed in instance.preferences.items():
        truth = list(listed)
        drawn = data.draw(
            st.lists(st.lists(st.sampled_from(positions), unique=True, max_size=5), max_size=2)
        )  # any permutation of any subset of the positions
        for lie in misreports(truth, drawn):
            reported = {**instance.preferences, student: lie}
            other = algorithm.deferred_acceptance(
                Instance(reported, instance.capacity, instance.scores), seed
            )
            assert rank(truth, other.match.get(student)) >= rank(truth, honest.get(student)), (
                student,
                truth,
                lie,
            )


def opds_proposing(instance: Instance, seed: int) -> dict[int, int]:
    """The reference the other way round: the OPDs offer seats down their ranking (same scores,
    same lottery), each student keeps the best offer. Stable too, but the worst stable match for
    every student."""
    ties = algorithm.lottery(instance.preferences, seed)
    where = {s: {p: i for i, p in enumerate(c)} for s, c in instance.preferences.items()}
    ranking = {
        p: sorted(
            (s for s in where if p in where[s] and s in instance.scores.get(p, {})),
            key=lambda s, p=p: (-instance.scores[p][s], ties[s]),
        )
        for p in instance.capacity
    }
    offered = dict.fromkeys(ranking, 0)
    count = dict.fromkeys(ranking, 0)
    held: dict[int, int] = {}
    moving = True
    while moving:
        moving = False
        for p in sorted(ranking):
            while count[p] < instance.capacity[p] and offered[p] < len(ranking[p]):
                s = ranking[p][offered[p]]
                offered[p] += 1
                old = held.get(s)
                if old is None or where[s][p] < where[s][old]:
                    held[s] = p
                    count[p] += 1
                    if old is not None:
                        count[old] -= 1
                    moving = True
    return held


def stable_matches(instance: Instance, seed: int):
    """Every stable match of a small round, by brute force."""
    students = sorted(instance.preferences)

    def extend(i, match, taken):
        if i == len(students):
            if not blocking_pairs(instance, match, seed):
                yield dict(match)
            return
        s = students[i]
        yield from extend(i + 1, match, taken)
        for p in instance.preferences[s]:
            if s in instance.scores[p] and taken.get(p, 0) < instance.capacity[p]:
                match[s], taken[p] = p, taken.get(p, 0) + 1
                yield from extend(i + 1, match, taken)
                del match[s]
                taken[p] -= 1

    return list(extend(0, {}, {}))


@PROPERTY
@given(tight_rounds(), SEEDS)
def test_each_student_gets_their_best_stable_place(instance, seed):
    """Among all the stable matches of the round (by brute force), deferred acceptance gives
    every student the best place any of them gives."""
    match = algorithm.deferred_acceptance(instance, seed).match
    stable = stable_matches(instance, seed)
    assert match in stable
    for other in stable:
        for student, truth in instance.preferences.items():
            assert rank(truth, match.get(student)) <= rank(truth, other.get(student))


@PROPERTY
@given(ROUNDS, SEEDS)
def test_the_opds_favourite_match_places_the_same_students(instance, seed):
    """Every student does at least as well as in the OPDs-proposing match (the students' worst
    stable match), and both place the same students (rural hospitals theorem)."""
    match = algorithm.deferred_acceptance(instance, seed).match
    worst = opds_proposing(instance, seed)
    assert blocking_pairs(instance, worst, seed) == []
    assert set(worst) == set(match)
    for student, position in worst.items():
        assert rank(instance.preferences[student], match[student]) <= rank(
            instance.preferences[student], position
        )


def test_nobody_gains_by_any_list_in_the_classic_round():
    """Every permutation of every subset of the positions, for each student of the classic
    round (where the OPDs' favourite match is stable too, so a wrong algorithm can be gamed)."""
    instance = classic()
    honest = algorithm.deferred_acceptance(instance, 7).match
    lists = [[]]
    for _ in range(3):
        lists += [[*lie, p] for lie in lists for p in sorted(instance.capacity) if p not in lie]
    lists = [list(x) for x in {tuple(x) for x in lists}]
    assert len(lists) == 16
    for student, truth in instance.preferences.items():
        for lie in lists:
            reported = {**instance.preferences, student: lie}
            got = algorithm.deferred_acceptance(
                Instance(reported, instance.capacity, instance.scores), 7
            ).match.get(student)
            assert rank(truth, got) >= rank(truth, honest[student]), (student, lie)


# --- determinism ------------------------------------------------------------------------------


@PROPERTY
@given(instances(), SEEDS)
def test_the_same_seed_gives_the_same_match_whatever_the_order(instance, seed):
    first = algorithm.deferred_acceptance(instance, seed)
    again = algorithm.deferred_acceptance(instance, seed)
    shuffled = algorithm.deferred_acceptance(reordered(instance), seed)
    assert first.match == again.match == shuffled.match
    assert first.outcomes == again.outcomes == shuffled.outcomes


@PROPERTY
@given(instances(), SEEDS, SEEDS)
def test_seeds_only_decide_ties(instance, seed, other_seed):
    """Without ties in any OPD's scores the seed changes nothing; with ties, any seed still gives
    a stable match (under its own lottery)."""
    assert (
        blocking_pairs(
            instance, algorithm.deferred_acceptance(instance, other_seed).match, other_seed
        )
        == []
    )
    untied = Instance(
        instance.preferences,
        instance.capacity,
        {p: {s: score * 100 + s for s, score in sc.items()} for p, sc in instance.scores.items()},
    )
    one = algorithm.deferred_acceptance(untied, seed)
    two = algorithm.deferred_acceptance(untied, other_seed)
    assert one.match == two.match and one.outcomes == two.outcomes


# --- truthful outcomes ------------------------------------------------------------------------


@PROPERTY
@given(instances(), SEEDS)
def test_each_outcome_tells_the_truth(instance, seed):
    result = algorithm.deferred_acceptance(instance, seed)
    ties = algorithm.lottery(instance.preferences, seed)
    pairs = {(s, p) for s, choices in instance.preferences.items() for p in choices}
    assert set(result.outcomes) == pairs
    for student, listed in instance.preferences.items():
        choices = list(listed)
        got = result.match.get(student)
        cut = choices.index(got) if got is not None else len(choices)
        for position in choices[:cut]:
            outcome = result.outcomes[student, position]
            if outcome == UNACCEPTABLE:
                assert student not in instance.scores[position]
            elif outcome == NO_SEATS:
                assert instance.capacity[position] <= 0
            else:
                assert outcome == FILLED, (student, position, outcome)
                taken = holders(result, position)
                assert len(taken) == instance.capacity[position]  # full …
                assert all(  # … of applicants the OPD ranks higher
                    key(instance, ties, t, position) > key(instance, ties, student, position)
                    for t in taken
                )
        if got is not None:
            assert result.outcomes[student, got] == MATCHED
            assert result.choice(instance, student) == cut + 1
            assert all(result.outcomes[student, p] == NOT_REACHED for p in choices[cut + 1 :])
        else:
            assert NOT_REACHED not in {result.outcomes[student, p] for p in choices}


# --- sizes: only what is a theorem ------------------------------------------------------------


def maximum_placements(instance: Instance) -> int:
    """The most students any match could place (augmenting paths on the acceptable pairs)."""
    edges = {
        s: [p for p in c if s in instance.scores[p] and instance.capacity[p] > 0]
        for s, c in instance.preferences.items()
    }
    seats: dict[int, list[int]] = {p: [] for p in instance.capacity}

    def augment(student, seen) -> bool:
        for position in edges[student]:
            if position in seen:
                continue
            seen.add(position)
            if len(seats[position]) < instance.capacity[position]:
                seats[position].append(student)
                return True
            for i, holder in enumerate(seats[position]):
                if augment(holder, seen):
                    seats[position][i] = student
                    return True
        return False

    return sum(augment(s, set()) for s in instance.preferences)


@PROPERTY
@given(instances(), SEEDS)
def test_sizes_compared_with_the_most_possible_and_with_first_come_first_served(instance, seed):
    result = algorithm.deferred_acceptance(instance, seed)
    most = maximum_placements(instance)
    assert most >= len(result.match) and 2 * len(result.match) >= most  # a stable match is maximal
    rush = algorithm.first_come_first_served(instance, seed)
    assert 2 * len(rush) >= most
    if not blocking_pairs(instance, rush, seed):
        # Rural hospitals theorem: every stable match places the same students; and deferred
        # acceptance gives each of them the best place any stable match could.
        assert set(rush) == set(result.match)
        for student, position in rush.items():
            choices = list(instance.preferences[student])
            assert choices.index(result.match[student]) <= choices.index(position)


# --- a worked example -------------------------------------------------------------------------


def classic() -> Instance:
    a, b, c = 1, 2, 3
    x, y, z = 10, 20, 30
    return Instance(
        preferences={a: [x, y, z], b: [y, z, x], c: [z, x, y]},
        capacity={x: 1, y: 1, z: 1},
        scores={x: {b: 3, c: 2, a: 1}, y: {c: 3, a: 2, b: 1}, z: {a: 3, b: 2, c: 1}},
    )


def test_the_classic_three_by_three_round():
    """The textbook cyclic example: each student's first choice ranks them last, and the
    position they rank last ranks them first. Three matches are stable; students proposing get
    the one where everybody has their first choice."""
    a, b, c = 1, 2, 3
    x, y, z = 10, 20, 30
    instance = classic()
    result = algorithm.deferred_acceptance(instance, seed=2026)
    assert result.match == {a: x, b: y, c: z}
    assert result.proposals == 3
    assert result.outcomes == {
        (a, x): MATCHED, (a, y): NOT_REACHED, (a, z): NOT_REACHED,
        (b, y): MATCHED, (b, z): NOT_REACHED, (b, x): NOT_REACHED,
        (c, z): MATCHED, (c, x): NOT_REACHED, (c, y): NOT_REACHED,
    }  # fmt: skip
    # The OPDs' favourite match (everybody at their last choice) and the one in between are
    # stable too, but the students' favourite is what students proposing gives.
    assert sorted(stable_matches(instance, 2026), key=lambda m: m[a]) == [
        {a: x, b: y, c: z},
        {a: y, b: z, c: x},
        {a: z, b: x, c: y},
    ]
    assert opds_proposing(instance, 2026) == {a: z, b: x, c: y}
    # When b wants x first too, x keeps b (its favourite) and turns a away to a's second.
    crowded = Instance({**instance.preferences, b: [x, y, z]}, instance.capacity, instance.scores)
    result = algorithm.deferred_acceptance(crowded, seed=2026)
    assert result.match == {a: y, b: x, c: z}
    assert result.outcomes[a, x] == FILLED and result.outcomes[a, y] == MATCHED
    assert algorithm.summary(crowded, result.match) == {
        "students": 3, "placed": 3, "first": 2, "top3": 3, "unplaced": 0, "seats": 3,
        "unfilled": 0,
    }  # fmt: skip


def test_a_tie_goes_to_the_lower_lottery_number_of_the_seed():
    instance = Instance(
        preferences={1: [10], 2: [10], 3: [10]}, capacity={10: 2}, scores={10: {1: 5, 2: 5, 3: 5}}
    )
    for seed in (0, 1, 2, 3, 4):
        ties = algorithm.lottery([1, 2, 3], seed)
        loser = max(ties, key=ties.get)
        result = algorithm.deferred_acceptance(instance, seed)
        assert set(result.match) == {1, 2, 3} - {loser}
        assert result.outcomes[loser, 10] == FILLED
