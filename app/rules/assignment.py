"""Suggested assignment of academic tutors: capacities, balance, preferences. Pure function.

Greedy on the students with the fewest good options first: each goes to a teacher with the
lowest load among those with room, the preference score breaking ties. Starting from equal
loads, loads never differ by more than one unless a capacity stops a teacher.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Tutee:
    id: int
    domain: str | None = None
    city: str | None = None


@dataclass
class Teacher:
    id: int
    capacity: int
    load: int = 0
    domains: frozenset[str] = frozenset()
    cities: frozenset[str] = frozenset()
    taught: frozenset[int] = frozenset()
    volunteered: frozenset[int] = frozenset()

    @property
    def room(self) -> int:
        return max(0, self.capacity - self.load)


def preference(teacher: Teacher, tutee: Tutee) -> int:
    """How well a teacher fits a student: volunteering, having taught them, domain, city."""
    score = 0
    if tutee.id in teacher.volunteered:
        score += 8
    if tutee.id in teacher.taught:
        score += 4
    if tutee.domain and tutee.domain in teacher.domains:
        score += 2
    if tutee.city and tutee.city.casefold() in {c.casefold() for c in teacher.cities}:
        score += 1
    return score


@dataclass
class Suggestion:
    assignment: dict[int, int] = field(default_factory=dict)   # tutee id -> teacher id
    unassigned: list[int] = field(default_factory=list)
    problem: str | None = None
    loads: dict[int, int] = field(default_factory=dict)        # teacher id -> load after


def suggest(tutees: Iterable[Tutee], teachers: Iterable[Teacher]) -> Suggestion:
    tutees = list(tutees)
    pool = [Teacher(t.id, t.capacity, t.load, t.domains, t.cities, t.taught, t.volunteered)
            for t in teachers]
    room = sum(t.room for t in pool)
    result = Suggestion()
    if len(tutees) > room:
        result.problem = (f"{len(tutees)} étudiant·es à répartir pour {room} place(s) libre(s) : "
                          f"il manque {len(tutees) - room} place(s). Relevez des capacités ou "
                          "ajoutez des tuteurs ; les autres sont répartis.")

    def best_score(tutee: Tutee) -> int:
        return max((preference(t, tutee) for t in pool if t.room), default=0)

    # Students with a strong preference go first, so that balance does not erase it.
    order = sorted(tutees, key=lambda s: (-best_score(s), s.id))
    for tutee in order:
        open_teachers = [t for t in pool if t.room]
        if not open_teachers:
            result.unassigned.append(tutee.id)
            continue
        lowest = min(t.load for t in open_teachers)
        candidates = [t for t in open_teachers if t.load == lowest]
        chosen = max(candidates, key=lambda t: (preference(t, tutee), t.room, -t.id))
        chosen.load += 1
        result.assignment[tutee.id] = chosen.id
    result.loads = {t.id: t.load for t in pool}
    return result
