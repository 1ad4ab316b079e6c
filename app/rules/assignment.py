"""Suggested assignment of academic tutors: capacities, preferences, balance. Pure function.

Each student, those with the strongest preference first, goes to a teacher with room, in
this order:

1. a teacher who volunteered for that student (« volontaire »);
2. a teacher who ticked the student as taught (« l’a eu·e en cours »);
3. among the least loaded teachers, one whose domains or cities match the student's
   internship (« domaine : archives », « ville : Lyon »);
4. the least loaded teacher (« charge la plus faible (n/limite) »).

Among several volunteers (or several who taught the student) the least loaded is chosen,
then the best fit. Steps 3 and 4 keep the balance: starting from equal loads, loads never
differ by more than one unless a capacity, a volunteer or a taught student decides.
Every proposal carries its ``Reason``, shown to the coordinator next to it.
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


VOLUNTEER, TAUGHT, PREFERENCE, LOAD = "volunteer", "taught", "preference", "load"


@dataclass(frozen=True)
class Reason:
    """Why a student goes to that teacher: ``kind`` is the step of the order that decided;
    ``domain``/``city`` what matched (step 3); ``load``/``capacity`` the teacher's when
    chosen (before this student)."""
    kind: str
    load: int
    capacity: int
    domain: str | None = None
    city: str | None = None

    def text(self, domain_label=lambda code: code) -> str:
        if self.kind == VOLUNTEER:
            return "volontaire"
        if self.kind == TAUGHT:
            return "l’a eu·e en cours"
        if self.kind == PREFERENCE:
            parts = []
            if self.domain:
                parts.append(f"domaine : {domain_label(self.domain).lower()}")
            if self.city:
                parts.append(f"ville : {self.city}")
            return ", ".join(parts)
        return f"charge la plus faible ({self.load}/{self.capacity})"

    def __str__(self) -> str:
        return self.text()


@dataclass
class Suggestion:
    assignment: dict[int, int] = field(default_factory=dict)   # tutee id -> teacher id
    unassigned: list[int] = field(default_factory=list)
    problem: str | None = None
    loads: dict[int, int] = field(default_factory=dict)        # teacher id -> load after
    reasons: dict[int, Reason] = field(default_factory=dict)   # tutee id -> why that teacher


def _matched(teacher: Teacher, tutee: Tutee) -> tuple[str | None, str | None]:
    """The tutee's domain and city where the teacher's preferences name them."""
    domain = tutee.domain if tutee.domain and tutee.domain in teacher.domains else None
    city = tutee.city if tutee.city and tutee.city.casefold() in {
        c.casefold() for c in teacher.cities} else None
    return domain, city


def reason_for(kind: str, teacher: Teacher, tutee: Tutee) -> Reason:
    domain, city = _matched(teacher, tutee) if kind == PREFERENCE else (None, None)
    return Reason(kind, teacher.load, teacher.capacity, domain, city)


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


def _shortage(tutees: int, room: int) -> str | None:
    """The coordinator's message when there are more students than free places."""
    if tutees <= room:
        return None
    return (f"{tutees} étudiant·es à répartir pour {room} place(s) libre(s) : "
            f"il manque {tutees - room} place(s). Relevez des capacités ou "
            "ajoutez des tuteurs ; les autres sont répartis.")


def _order(tutees: list[Tutee], fits: dict[int, list[tuple[Teacher, int]]]) -> list[Tutee]:
    """Students with a strong preference first, so that balance does not erase it."""
    def best_score(tutee: Tutee) -> int:
        return max((score for t, score in fits[tutee.id] if t.room), default=0)

    return sorted(tutees, key=lambda s: (-best_score(s), s.id))


class _Loads:
    """The teachers with room, lowest load first, then most room, then smallest id: the top is
    whom a student with no preference gets. Entries left behind by a change of load are
    skipped when they surface."""

    def __init__(self, pool: list[Teacher]):
        self.by_id = {t.id: t for t in pool}
        self.heap = [(t.load, -t.room, t.id) for t in pool if t.room]
        heapq.heapify(self.heap)

    def top(self) -> Teacher | None:
        heap, by_id = self.heap, self.by_id
        while heap and (by_id[heap[0][2]].load != heap[0][0] or not by_id[heap[0][2]].room):
            heapq.heappop(heap)
        return by_id[heap[0][2]] if heap else None

    def took_one(self, teacher: Teacher) -> None:
        teacher.load += 1
        if teacher.room:
            heapq.heappush(self.heap, (teacher.load, -teacher.room, teacher.id))


def _named(open_fits: list[tuple[Teacher, int]], tutee_id: int) -> tuple[str, Teacher] | None:
    """Steps 1 and 2: the least loaded volunteer, else the least loaded who taught the
    student; among equals the best fit, then the most room, then the smallest id."""
    for step, names in ((VOLUNTEER, lambda t: tutee_id in t.volunteered),
                        (TAUGHT, lambda t: tutee_id in t.taught)):
        named = [(t.load, -score, -t.room, t.id, t) for t, score in open_fits if names(t)]
        if named:
            return step, min(named, key=lambda c: c[:4])[4]
    return None


def _balanced(open_fits: list[tuple[Teacher, int]], least_loaded: Teacher) -> tuple[str, Teacher]:
    """Steps 3 and 4: among the least loaded the best fit, else the least loaded."""
    preferred = [(score, t.room, -t.id, t) for t, score in open_fits
                 if t.load == least_loaded.load]
    if preferred:
        return PREFERENCE, max(preferred, key=lambda c: c[:3])[3]
    return LOAD, least_loaded


def suggest(tutees: Iterable[Tutee], teachers: Iterable[Teacher]) -> Suggestion:
    tutees = list(tutees)
    pool = [Teacher(t.id, t.capacity, t.load, t.domains, t.cities, t.taught, t.volunteered)
            for t in teachers]
    result = Suggestion(problem=_shortage(len(tutees), sum(t.room for t in pool)))
    fitting = _fitting(pool)
    fits = {tutee.id: fitting(tutee) for tutee in tutees}
    loads = _Loads(pool)
    for tutee in _order(tutees, fits):
        least_loaded = loads.top()
        if least_loaded is None:
            result.unassigned.append(tutee.id)
            continue
        open_fits = [(t, score) for t, score in fits[tutee.id] if t.room]
        kind, chosen = (_named(open_fits, tutee.id)
                        or _balanced(open_fits, least_loaded))
        result.reasons[tutee.id] = reason_for(kind, chosen, tutee)
        loads.took_one(chosen)
        result.assignment[tutee.id] = chosen.id
    result.loads = {t.id: t.load for t in pool}
    return result
