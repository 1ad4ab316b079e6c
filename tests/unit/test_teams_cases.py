"""Exact teams for the cases the balance tests do not pin down (app/rules/teams.py): a group
that fits nowhere whole, a group larger than a team, wishes that name no student, the
problems explained."""
from app.rules.teams import form_teams


def test_a_pair_that_fits_nowhere_whole_is_split_over_the_emptiest_teams():
    plan = form_teams(range(6), team_count=2, team_size=3, wishes=[(0, 1), (2, 3), (4, 5)])
    assert plan.teams == [[0, 1, 4], [2, 3, 5]]
    assert (plan.kept_wishes, plan.total_wishes) == (2, 3)


def test_a_group_larger_than_a_team_is_cut_into_team_sized_pieces_in_order():
    plan = form_teams(range(7), team_count=3, team_size=3,
                      wishes=[(0, 1), (1, 2), (2, 3), (3, 4)])
    assert plan.teams == [[0, 1, 2], [3, 4], [5, 6]]
    assert (plan.kept_wishes, plan.total_wishes) == (3, 4)


def test_largest_groups_go_first_to_the_emptiest_team_lowest_number_first():
    plan = form_teams([5, 3, 9, 1, 7, 3], team_count=2, team_size=4, wishes=[(9, 7)])
    # five students (the repeated 3 counts once): the first team is to reach three
    assert plan.teams == [[5, 7, 9], [1, 3]]
    assert plan.problem is None and plan.kept_wishes == 1


def test_wishes_with_oneself_are_dropped_and_unknown_students_ignored():
    plan = form_teams(range(4), team_count=2, team_size=2,
                      wishes=[(1, 1), (0, 42), (2, 3)])
    assert plan.teams == [[2, 3], [0, 1]]
    assert (plan.kept_wishes, plan.total_wishes) == (1, 2)


def test_the_problems_are_explained_and_no_team_is_formed():
    for count, size in ((0, 3), (2, 0), (-1, -1)):
        plan = form_teams(range(3), team_count=count, team_size=size, wishes=[(0, 1)])
        assert plan.problem == "Il faut au moins une équipe d’au moins une personne."
        assert plan.teams == [] and plan.total_wishes == 1 and plan.kept_wishes == 0
    plan = form_teams(range(7), team_count=2, team_size=3)
    assert plan.problem == ("7 étudiant·es pour 2 équipe(s) de 3 au plus (6 places) : "
                            "ajoutez des équipes ou agrandissez-les.")
    assert plan.teams == []


def test_no_student_gives_empty_teams():
    plan = form_teams([], team_count=3, team_size=2, wishes=[(1, 2)])
    assert plan.problem is None and plan.teams == [[], [], []]
    assert (plan.kept_wishes, plan.total_wishes) == (0, 1)
