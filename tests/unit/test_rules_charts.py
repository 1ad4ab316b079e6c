import re
from decimal import Decimal

from app.rules.charts import bar_chart, fr_number, share_chart, shares


def words(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


RATINGS = {"reached": "Atteint", "partly": "Partiellement atteint", "not": "Non atteint"}


def test_labels_are_escaped_and_chart_is_a_table():
    html = bar_chart("Stages <par> domaine", [("<script>alert(1)</script>", 3)])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "style=" not in html
    # a screen reader reads a captioned table: each row's header is its label, the bar is
    # hidden from it and the figure is written out
    assert "<caption>Stages &lt;par&gt; domaine</caption>" in html
    assert '<th scope="row">&lt;script&gt;alert(1)&lt;/script&gt;</th>' in html
    assert 'aria-hidden="true"' in html and '<span class="value">3</span>' in html


def test_bars_are_proportional_and_carry_their_value():
    html = bar_chart("x", [("a", 10), ("b", 5)], ("Domaine", "Stages"))
    assert 'width="100"' in html and 'width="50"' in html
    assert '<th scope="col">Domaine</th><th scope="col">Stages</th>' in html
    assert '<th scope="row">a</th>' in html and '<span class="value">10</span>' in html
    assert '<th scope="row">b</th>' in html and '<span class="value">5</span>' in html


def test_values_are_written_the_french_way():
    assert fr_number(1250) == "1\u202f250"
    assert fr_number(3.5) == "3,5" and fr_number(4.0) == "4"
    assert fr_number(Decimal("42913.004"), 2) == "42\u202f913,00"
    html = bar_chart("x", [("a", 2.5)])
    assert '<span class="value">2,5</span>' in html


def test_empty_data_says_so():
    assert "aucune donnée" in bar_chart("x", [])
    assert "aucune donnée" in share_chart("x", [], {"reached": "Atteint"})


def test_shares_add_up_to_a_hundred():
    assert shares([1, 1, 1]) == [34, 33, 33]
    assert shares([2, 1, 0]) == [67, 33, 0]
    assert sum(shares([7, 13, 22])) == 100
    assert shares([0, 0]) == [0, 0]


def test_share_chart_stacks_parts_with_counts_shares_and_base():
    html = share_chart("Objectifs atteints par promotion", [("BUT3", {"reached": 30, "not": 10})],
                       RATINGS, ("Promotion", "Objectifs"))
    assert 'width="75"' in html and 'x="75"' in html and 'width="25"' in html
    assert "Atteint : 30 (75\u202f%)" in words(html)
    assert "Partiellement atteint : 0 (0\u202f%)" in words(html)
    assert "Non atteint : 10 (25\u202f%)" in words(html)
    assert "sur 40 objectifs évalués" in html
    assert '<th scope="row">BUT3</th>' in html and "style=" not in html
    one = share_chart("x", [("BUT2", {"partly": 1})], RATINGS)
    assert "sur 1 objectif évalué<" in one
