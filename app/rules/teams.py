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


def form_teams(students: Iterable[int], team_count: int, team_size: int,
               wishes: Iterable[tuple[int, int]] = ()) -> TeamPlan:
    students = sorted(set(students))
    wishes = [(a, b) for a, b in wishes if a != b]
    plan = TeamPlan(total_wishes=len(wishes))
    if team_count < 1 or team_size < 1:
        plan.problem = "Il faut au moins une équipe d’au moins une personne."
        return plan
    if len(students) > team_count * team_size:
        plan.problem = (f"{len(students)} étudiant·es pour {team_count} équipe(s) de "
                        f"{team_size} au plus ({team_count * team_size} places) : ajoutez des "
                        "équipes ou agrandissez-les.")
        return plan
    # The sizes every team should reach: as even as possible.
    base, extra = divmod(len(students), team_count)
    targets = [base + (1 if i < extra else 0) for i in range(team_count)]
    groups = []
    for g in _groups(students, wishes):
        while len(g) > max(targets or [0]):
            groups.append(g[:max(targets)])
            g = g[max(targets):]
        if g:
            groups.append(g)
    groups.sort(key=lambda g: (-len(g), g[0]))
    teams: list[list[int]] = [[] for _ in range(team_count)]
    leftovers: list[int] = []
    for g in groups:
        fits = [i for i in range(team_count) if len(teams[i]) + len(g) <= targets[i]]
        if fits:
            best = min(fits, key=lambda i: (len(teams[i]), i))
            teams[best].extend(g)
        else:
            leftovers.extend(g)
    for s in leftovers:  # pieces of groups that fit nowhere whole
        best = min(range(team_count), key=lambda i: (len(teams[i]) - targets[i], i))
        teams[best].append(s)
    plan.teams = [sorted(t) for t in teams]
    where = {s: i for i, t in enumerate(plan.teams) for s in t}
    plan.kept_wishes = sum(1 for a, b in wishes
                           if a in where and b in where and where[a] == where[b])
    return plan
