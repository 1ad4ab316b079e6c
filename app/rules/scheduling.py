"""Scheduling defences: each student before a jury of their academic tutor and a second
teacher; no teacher or room in two places at once; unavailabilities respected. Pure.

Greedy, most constrained student first: each takes the earliest free slot where the room
and the tutor are free and available, with the available second teacher who has the fewest
defences so far.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    minutes: int
    room: str
    session_id: int = 0

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Candidate:
    id: int          # internship id
    tutor_id: int
    earliest: date | None = None  # no defence before this day (the internship's end + gap)


@dataclass(frozen=True)
class Placed:
    candidate_id: int
    slot: Slot
    tutor_id: int
    second_id: int


@dataclass
class Schedule:
    placed: list[Placed] = field(default_factory=list)
    unplaced: dict[int, str] = field(default_factory=dict)   # candidate id -> reason
    problem: str | None = None


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def _free(teacher: int, slot: Slot, busy: dict[int, list[tuple[datetime, datetime]]]) -> bool:
    return not any(overlaps(slot.starts_at, slot.ends_at, s, e) for s, e in busy.get(teacher, ()))


def conflict(slot: Slot, tutor_id: int, second_id: int,
             booked: Iterable[Placed], unavailable: dict[int, list[tuple[datetime, datetime]]],
             ignore: int | None = None) -> str | None:
    """Why this jury cannot sit in this slot, or None. ``ignore``: the defence being moved."""
    if tutor_id == second_id:
        return "le jury compte deux enseignant·es différent·es"
    for p in booked:
        if p.candidate_id == ignore or not overlaps(slot.starts_at, slot.ends_at,
                                                    p.slot.starts_at, p.slot.ends_at):
            continue
        if p.slot.room == slot.room:
            return f"la salle {slot.room} est déjà prise à cette heure"
        for t in (tutor_id, second_id):
            if t in (p.tutor_id, p.second_id):
                return "un membre du jury a déjà une soutenance à cette heure"
    for t in (tutor_id, second_id):
        if not _free(t, slot, unavailable):
            return "un membre du jury est indisponible à cette heure"
    return None


def schedule(candidates: Iterable[Candidate], slots: Iterable[Slot], teachers: Iterable[int],
             unavailable: dict[int, list[tuple[datetime, datetime]]] | None = None,
             already: Iterable[Placed] = ()) -> Schedule:
    candidates = list(candidates)
    slots = sorted(slots, key=lambda s: (s.starts_at, s.room))
    teachers = sorted(set(teachers))
    unavailable = unavailable or {}
    result = Schedule()
    booked = list(already)
    load = {t: 0 for t in teachers}
    for p in booked:
        load[p.second_id] = load.get(p.second_id, 0) + 1
    if len(candidates) > len(slots) - len(booked):
        result.problem = (f"{len(candidates)} soutenances à placer pour "
                          f"{max(0, len(slots) - len(booked))} créneau(x) libre(s) : ajoutez "
                          "des journées ou des salles.")

    def allowed(c: Candidate, s: Slot) -> bool:
        return c.earliest is None or s.starts_at.date() >= c.earliest

    def options(c: Candidate) -> int:
        return sum(1 for s in slots if allowed(c, s) and _free(c.tutor_id, s, unavailable))

    for c in sorted(candidates, key=lambda c: (options(c), c.id)):
        placed = None
        for slot in slots:
            if not allowed(c, slot) or any(p.slot == slot for p in booked):
                continue
            if not _free(c.tutor_id, slot, unavailable):
                continue
            seconds = sorted((t for t in teachers if t != c.tutor_id),
                             key=lambda t: (load.get(t, 0), t))
            for second in seconds:
                if conflict(slot, c.tutor_id, second, booked, unavailable) is None:
                    placed = Placed(c.id, slot, c.tutor_id, second)
                    break
            if placed:
                break
        if placed is None:
            result.unplaced[c.id] = ("aucun créneau où le tuteur, un second enseignant et une "
                                     "salle sont libres")
            continue
        booked.append(placed)
        result.placed.append(placed)
        load[placed.second_id] = load.get(placed.second_id, 0) + 1
    return result
