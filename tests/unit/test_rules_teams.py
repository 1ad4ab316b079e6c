import random

from app.rules.teams import form_teams


def test_sizes_within_one_and_capacities_respected():
    plan = form_teams(range(23), team_count=5, team_size=5)
    sizes = sorted(len(t) for t in plan.teams)
    assert plan.problem is None and sizes == [4, 4, 5, 5, 5]
    assert sorted(s for t in plan.teams for s in t) == list(range(23))


def test_wishes_are_kept_when_possible():
    plan = form_teams(range(8), team_count=2, team_size=4, wishes=[(0, 7), (1, 6), (2, 5)])
    where = {s: i for i, t in enumerate(plan.teams) for s in t}
    assert where[0] == where[7] and where[1] == where[6] and where[2] == where[5]
    assert plan.kept_wishes == 3
    assert sorted(len(t) for t in plan.teams) == [4, 4]


def test_a_group_larger_than_a_team_is_split_and_balance_holds():
    chain = [(i, i + 1) for i in range(5)]  # six friends, teams of three
    plan = form_teams(range(9), team_count=3, team_size=3, wishes=chain)
    assert sorted(len(t) for t in plan.teams) == [3, 3, 3]
    assert plan.kept_wishes >= 3


def test_infeasible_input_is_explained():
    plan = form_teams(range(11), team_count=2, team_size=5)
    assert "11 étudiant·es pour 2 équipe(s) de 5 au plus (10 places)" in plan.problem
    assert plan.teams == []
    assert form_teams(range(3), team_count=0, team_size=3).problem


def test_random_inputs_always_balanced():
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(1, 40)
        count = rng.randint(1, 8)
        size = -(-n // count) + rng.randint(0, 2)
        wishes = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, n))]
        plan = form_teams(range(n), count, size, wishes)
        sizes = [len(t) for t in plan.teams]
        assert max(sizes) - min(sizes) <= 1 and max(sizes) <= size
        assert sorted(s for t in plan.teams for s in t) == list(range(n))
