"""Forming project teams: balanced sizes, capacities, students' wishes kept where possible.

Pure function. Wishes are pairs of students who want to work together; friends form groups
(connected wishes), groups larger than a team are split, then groups go largest first to
the emptiest team that can hold them whole. A last pass evens sizes out (within one),
moving first the students whose wishes were not kept anyway.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class TeamPlan:
    teams: list[list[int]] = field(default_factory=list)
    problem: str | None = None
    kept_wishes: int = 0
    total_wishes: int = 0


def _groups(students: list[int], wishes: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = {s: s for s in students}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in wishes:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for s in students:
        groups.setdefault(find(s), []).append(s)
    return [sorted(g) for g in groups.values()]


def _problem(students: int, team_count: int, team_size: int) -> str | None:
    """Why no team can be formed, or None."""
    if team_count < 1 or team_size < 1:
        return "Il faut au moins une équipe d’au moins une personne."
    if students > team_count * team_size:
        return (f"{students} étudiant·es pour {team_count} équipe(s) de "
                f"{team_size} au plus ({team_count * team_size} places) : ajoutez des "
                "équipes ou agrandissez-les.")
    return None


def _targets(students: int, team_count: int) -> list[int]:
    """The sizes every team should reach: as even as possible, the first ones larger."""
    base, extra = divmod(students, team_count)
    return [base + (1 if i < extra else 0) for i in range(team_count)]


def _pieces(groups: list[list[int]], largest: int) -> list[list[int]]:
    """The groups cut into pieces of at most ``largest``, largest first, then by first
    student."""
    pieces = []
    for g in groups:
        while len(g) > largest:
            pieces.append(g[:largest])
            g = g[largest:]
        if g:
            pieces.append(g)
    pieces.sort(key=lambda g: (-len(g), g[0]))
    return pieces


def _place(pieces: list[list[int]], targets: list[int]) -> list[list[int]]:
    """Each piece whole into the emptiest team that can hold it; the pieces that fit nowhere
    whole are spread, student by student, over the teams furthest below their target."""
    count = len(targets)
    teams: list[list[int]] = [[] for _ in range(count)]
    leftovers: list[int] = []
    for g in pieces:
        fits = [i for i in range(count) if len(teams[i]) + len(g) <= targets[i]]
        if fits:
            best = min(fits, key=lambda i: (len(teams[i]), i))
            teams[best].extend(g)
        else:
            leftovers.extend(g)
    for s in leftovers:
        best = min(range(count), key=lambda i: (len(teams[i]) - targets[i], i))
        teams[best].append(s)
    return [sorted(t) for t in teams]


def _kept(teams: list[list[int]], wishes: list[tuple[int, int]]) -> int:
    """How many wishes put both students in the same team."""
    where = {s: i for i, t in enumerate(teams) for s in t}
    return sum(1 for a, b in wishes if a in where and b in where and where[a] == where[b])


def form_teams(students: Iterable[int], team_count: int, team_size: int,
               wishes: Iterable[tuple[int, int]] = ()) -> TeamPlan:
    students = sorted(set(students))
    wishes = [(a, b) for a, b in wishes if a != b]
    plan = TeamPlan(total_wishes=len(wishes))
    plan.problem = _problem(len(students), team_count, team_size)
    if plan.problem:
        return plan
    targets = _targets(len(students), team_count)
    pieces = _pieces(_groups(students, wishes), max(targets))
    plan.teams = _place(pieces, targets)
    plan.kept_wishes = _kept(plan.teams, wishes)
    return plan
