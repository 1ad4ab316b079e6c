"""What the coordinator reads of a suggestion the property test leaves out
(app/rules/assignment.py): the whole shortage message, and no message when places suffice."""
from app.rules.assignment import Teacher, Tutee, suggest


def test_the_shortage_message_counts_free_places_only():
    s = suggest([Tutee(i) for i in range(5)], [Teacher(1, 4, load=3), Teacher(2, 2)])
    assert s.problem == ("5 étudiant·es à répartir pour 3 place(s) libre(s) : il manque 2 "
                         "place(s). Relevez des capacités ou ajoutez des tuteurs ; les autres "
                         "sont répartis.")
    assert s.unassigned == [3, 4] and s.loads == {1: 4, 2: 2}


def test_exactly_enough_places_or_no_student_is_no_problem():
    s = suggest([Tutee(i) for i in range(3)], [Teacher(1, 4, load=1)])
    assert s.problem is None and s.loads == {1: 4}
    empty = suggest([], [])
    assert empty.problem is None and empty.assignment == {} and empty.loads == {}
