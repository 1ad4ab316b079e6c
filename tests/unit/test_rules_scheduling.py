from datetime import datetime, timedelta

from app.rules.scheduling import Candidate, Placed, Slot, conflict, schedule

DAY = datetime(2027, 9, 6, 9, 0)


def slots(n, rooms=("A101",), minutes=30):
    return [Slot(DAY + timedelta(minutes=minutes * i), minutes, room)
            for room in rooms for i in range(n)]


def test_every_student_with_their_tutor_and_no_double_booking():
    candidates = [Candidate(i, tutor_id=100 + i % 3) for i in range(12)]
    result = schedule(candidates, slots(8, rooms=("A101", "B202")), teachers=[100, 101, 102, 103])
    assert result.unplaced == {} and result.problem is None
    assert len(result.placed) == 12
    for p in result.placed:
        assert p.tutor_id == next(c.tutor_id for c in candidates if c.id == p.candidate_id)
        assert p.second_id != p.tutor_id
    for a in result.placed:
        for b in result.placed:
            if a is b or a.slot.starts_at != b.slot.starts_at:
                continue
            assert a.slot.room != b.slot.room
            assert not {a.tutor_id, a.second_id} & {b.tutor_id, b.second_id}


def test_unavailabilities_are_respected():
    busy = {100: [(DAY, DAY + timedelta(hours=2))]}
    result = schedule([Candidate(1, 100)], slots(8), teachers=[100, 101], unavailable=busy)
    assert result.placed[0].slot.starts_at >= DAY + timedelta(hours=2)


def test_infeasible_input_is_explained():
    result = schedule([Candidate(i, 100) for i in range(5)], slots(3), teachers=[100, 101])
    assert "5 soutenances à placer pour 3 créneau(x) libre(s)" in result.problem
    assert len(result.placed) == 3 and len(result.unplaced) == 2


def test_a_tutor_cannot_be_in_two_rooms():
    result = schedule([Candidate(1, 100), Candidate(2, 100)], slots(1, rooms=("A", "B")),
                      teachers=[100, 101, 102])
    assert len(result.placed) == 1 and len(result.unplaced) == 1


def test_conflict_reasons():
    booked = [Placed(1, Slot(DAY, 30, "A"), 100, 101)]
    assert "salle A" in conflict(Slot(DAY, 30, "A"), 102, 103, booked, {})
    assert "membre du jury" in conflict(Slot(DAY, 30, "B"), 101, 103, booked, {})
    assert conflict(Slot(DAY + timedelta(minutes=30), 30, "A"), 100, 101, booked, {}) is None
    assert conflict(Slot(DAY, 30, "A"), 100, 101, booked, {}, ignore=1) is None
    assert "indisponible" in conflict(Slot(DAY, 30, "B"), 102, 103, [],
                                      {103: [(DAY, DAY + timedelta(hours=1))]})
    assert "deux enseignant" in conflict(Slot(DAY, 30, "B"), 102, 102, [], {})
