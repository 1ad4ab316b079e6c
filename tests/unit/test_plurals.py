"""Counts in French words: 0 and 1 take the singular (« 0 relance envoyée »), as French
writes them, although gettext without a catalog takes only 1 as singular."""
from app.plurals import count_text


def test_zero_and_one_are_singular_in_french(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        texts = [count_text("%(num)d relance envoyée", "%(num)d relances envoyées", n)
                 for n in (0, 1, 2, 31)]
    assert texts == ["0 relance envoyée", "1 relance envoyée", "2 relances envoyées",
                     "31 relances envoyées"]


def test_other_placeholders_are_filled_too(app):
    with app.app_context():
        assert count_text("%(num)d souhait respecté sur %(total)d",
                          "%(num)d souhaits respectés sur %(total)d", 3, total=4) == (
            "3 souhaits respectés sur 4")
