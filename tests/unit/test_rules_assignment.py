import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.assignment import Teacher, Tutee, preference, suggest


def test_capacities_are_never_exceeded_and_loads_stay_within_one():
    rng = random.Random(7)
    tutees = [Tutee(i, rng.choice(["archives", "data", "documentation"])) for i in range(120)]
    teachers = [Teacher(100 + j, capacity=12) for j in range(15)]
    s = suggest(tutees, teachers)
    assert s.problem is None and s.unassigned == []
    assert len(s.assignment) == 120
    assert max(s.loads.values()) - min(s.loads.values()) <= 1
    assert all(load <= 12 for load in s.loads.values())


def test_small_capacities_take_what_they_can_and_others_balance():
    teachers = [Teacher(1, capacity=2), Teacher(2, capacity=10), Teacher(3, capacity=10)]
    s = suggest([Tutee(i) for i in range(12)], teachers)
    assert s.loads[1] == 2 and abs(s.loads[2] - s.loads[3]) <= 1
    assert sum(s.loads.values()) == 12


def test_existing_loads_are_taken_into_account():
    teachers = [Teacher(1, capacity=10, load=4), Teacher(2, capacity=10, load=0)]
    s = suggest([Tutee(i) for i in range(4)], teachers)
    assert s.loads == {1: 4, 2: 4}


def test_preferences_are_favoured_when_balance_allows():
    teachers = [Teacher(1, 5, domains=frozenset({"data"})),
                Teacher(2, 5, domains=frozenset({"archives"}))]
    s = suggest([Tutee(10, "archives"), Tutee(11, "data")], teachers)
    assert s.assignment == {10: 2, 11: 1}
    volunteer = [Teacher(1, 5), Teacher(2, 5, volunteered=frozenset({20}))]
    assert suggest([Tutee(20)], volunteer).assignment == {20: 2}


def test_infeasible_input_is_explained_and_the_rest_assigned():
    s = suggest([Tutee(i) for i in range(7)], [Teacher(1, 2), Teacher(2, 3)])
    assert "il manque 2 place(s)" in s.problem
    assert len(s.assignment) == 5 and len(s.unassigned) == 2
    assert s.loads == {1: 2, 2: 3}


def test_preference_score():
    t = Teacher(1, 5, domains=frozenset({"data"}), cities=frozenset({"Lyon"}),
                taught=frozenset({3}))
    assert preference(t, Tutee(3, "data", "lyon")) == 7
    assert preference(t, Tutee(4, "archives", "Paris")) == 0


def _reference(tutees, teachers):
    """The rule as stated, scoring every teacher for every student (slow, obviously right)."""
    pool = [Teacher(t.id, t.capacity, t.load, t.domains, t.cities, t.taught, t.volunteered)
            for t in teachers]
    order = sorted(tutees, key=lambda s: (
        -max((preference(t, s) for t in pool if t.room), default=0), s.id))
    assignment, unassigned = {}, []
    for tutee in order:
        open_teachers = [t for t in pool if t.room]
        if not open_teachers:
            unassigned.append(tutee.id)
            continue
        lowest = min(t.load for t in open_teachers)
        chosen = max((t for t in open_teachers if t.load == lowest),
                     key=lambda t: (preference(t, tutee), t.room, -t.id))
        chosen.load += 1
        assignment[tutee.id] = chosen.id
    return assignment, unassigned, {t.id: t.load for t in pool}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_indexed_suggestion_is_the_rule_as_stated(data):
    domains, cities = ["archives", "data", "documentation"], ["Lyon", "lyon", "Metz", "Paris"]
    n_tutees = data.draw(st.integers(0, 40))
    tutees = [Tutee(i, data.draw(st.sampled_from([None] + domains)),
                    data.draw(st.sampled_from([None] + cities))) for i in range(n_tutees)]
    ids = st.sets(st.integers(0, max(0, n_tutees - 1)), max_size=4)
    teachers = [Teacher(100 + j, capacity=data.draw(st.integers(0, 8)),
                        load=data.draw(st.integers(0, 8)),
                        domains=frozenset(data.draw(st.sets(st.sampled_from(domains)))),
                        cities=frozenset(data.draw(st.sets(st.sampled_from(cities)))),
                        taught=frozenset(data.draw(ids)), volunteered=frozenset(data.draw(ids)))
                for j in range(data.draw(st.integers(0, 8)))]
    s = suggest(tutees, teachers)
    assert (s.assignment, s.unassigned, s.loads) == _reference(tutees, teachers)
