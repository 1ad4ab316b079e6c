from app.rules.charts import bar_chart, share_chart


def test_labels_are_escaped_and_svg_is_accessible():
    svg = bar_chart("Stages <par> domaine", [("<script>alert(1)</script>", 3)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and "<title" in svg and "style=" not in svg


def test_bars_are_proportional():
    svg = bar_chart("x", [("a", 10), ("b", 5)])
    assert 'width="270"' in svg and 'width="135"' in svg


def test_empty_data_says_so():
    assert "Aucune donnée" in bar_chart("x", [])
    assert "Aucune donnée" in share_chart("x", [], {"reached": "Atteint"})


def test_share_chart_stacks_parts():
    svg = share_chart("x", [("BUT3", {"reached": 3, "not": 1})],
                      {"reached": "Atteint", "partly": "Partiel", "not": "Non atteint"})
    assert 'width="270"' in svg and 'width="90"' in svg and "75 %" in svg
