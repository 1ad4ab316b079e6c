import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.rules.assignment import Reason, Teacher, Tutee, preference, suggest


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


def test_a_volunteer_then_a_teacher_who_taught_the_student_come_before_the_balance():
    """The issue's case: a volunteer and a taught student both went to another teacher,
    less loaded. Now they go to the teacher who asked or knows them, while there is room."""
    teachers = [Teacher(1, 12, load=0), Teacher(2, 12, load=5, volunteered=frozenset({10})),
                Teacher(3, 12, load=7, taught=frozenset({11}), domains=frozenset({"data"})),
                Teacher(4, 12, load=0, domains=frozenset({"archives"}))]
    s = suggest([Tutee(10, "archives"), Tutee(11, "archives"), Tutee(12, "archives"),
                 Tutee(13, "data")], teachers)
    assert s.assignment == {10: 2, 11: 3, 12: 4, 13: 1}
    assert [s.reasons[i].text() for i in (10, 11, 12, 13)] == [
        "volontaire", "l’a eu·e en cours", "domaine : archives",
        "charge la plus faible (0/12)"]
    # the volunteer also wins over a teacher who taught the student
    both = [Teacher(1, 5, taught=frozenset({20})), Teacher(2, 5, load=3,
                                                       volunteered=frozenset({20}))]
    s = suggest([Tutee(20)], both)
    assert s.assignment == {20: 2} and s.reasons[20].kind == "volunteer"


def test_a_full_volunteer_gives_way_and_the_reason_says_why_the_other():
    teachers = [Teacher(1, 3, load=3, volunteered=frozenset({1})),
                Teacher(2, 3, load=1, cities=frozenset({"Lyon"})), Teacher(3, 3, load=2)]
    s = suggest([Tutee(1, "data", "lyon")], teachers)
    assert s.assignment == {1: 2}
    assert s.reasons[1].text(lambda code: {"data": "Données"}[code]) == "ville : lyon"
    s = suggest([Tutee(1, "data", None)], teachers)
    assert s.assignment == {1: 2} and str(s.reasons[1]) == "charge la plus faible (1/3)"


def test_among_several_volunteers_the_least_loaded_then_the_best_fit():
    teachers = [Teacher(1, 5, load=2, volunteered=frozenset({1})),
                Teacher(2, 5, load=1, volunteered=frozenset({1})),
                Teacher(3, 5, load=1, volunteered=frozenset({1}), domains=frozenset({"data"}))]
    assert suggest([Tutee(1, "data")], teachers).assignment == {1: 3}


def test_a_domain_match_does_not_unbalance_the_loads():
    """Step 3 chooses among the least loaded only: a teacher who likes archives gets them
    while the loads stay within one."""
    teachers = [Teacher(1, 12, domains=frozenset({"archives"})), Teacher(2, 12),
                Teacher(3, 12)]
    s = suggest([Tutee(i, "archives") for i in range(9)], teachers)
    assert s.loads == {1: 3, 2: 3, 3: 3}
    assert sum(r.kind == "preference" for r in s.reasons.values()) == 3


def test_preference_score():
    t = Teacher(1, 5, domains=frozenset({"data"}), cities=frozenset({"Lyon"}),
                taught=frozenset({3}))
    assert preference(t, Tutee(3, "data", "lyon")) == 7
    assert preference(t, Tutee(4, "archives", "Paris")) == 0


def _reference(tutees, teachers):
    """The rule as stated, scoring every teacher for every student (slow, obviously right):
    a volunteer with room, else one who taught the student, else among the least loaded
    the best domain/city match, else the least loaded."""
    pool = [Teacher(t.id, t.capacity, t.load, t.domains, t.cities, t.taught, t.volunteered)
            for t in teachers]
    order = sorted(tutees, key=lambda s: (
        -max((preference(t, s) for t in pool if t.room), default=0), s.id))
    assignment, unassigned, reasons = {}, [], {}
    for tutee in order:
        open_teachers = [t for t in pool if t.room]
        if not open_teachers:
            unassigned.append(tutee.id)
            continue
        volunteers = [t for t in open_teachers if tutee.id in t.volunteered]
        taught = [t for t in open_teachers if tutee.id in t.taught]
        named = volunteers or taught
        if named:
            chosen = min(named, key=lambda t: (t.load, -preference(t, tutee), -t.room, t.id))
            kind = "volunteer" if volunteers else "taught"
            domain = city = None
        else:
            lowest = min(t.load for t in open_teachers)
            chosen = max((t for t in open_teachers if t.load == lowest),
                         key=lambda t: (preference(t, tutee), t.room, -t.id))
            domain = tutee.domain if tutee.domain in chosen.domains else None
            city = tutee.city if tutee.city and tutee.city.lower() in {
                c.lower() for c in chosen.cities} else None
            kind = "preference" if (domain or city) else "load"
        reasons[tutee.id] = Reason(kind, chosen.load, chosen.capacity, domain, city)
        chosen.load += 1
        assignment[tutee.id] = chosen.id
    return assignment, unassigned, {t.id: t.load for t in pool}, reasons


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
    assert (s.assignment, s.unassigned, s.loads, s.reasons) == _reference(tutees,
                                                                          teachers)
