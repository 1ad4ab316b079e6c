"""The preparation checklist of an internship abroad and the advice per country."""
from datetime import date

from app.rules import abroad

ALL_DONE = {"passport_on": date(2027, 1, 5), "insurance_file_id": 1, "liability_file_id": 2,
            "ariane_on": date(2027, 3, 1), "contact_abroad": "Ana, +34 600",
            "contact_france": "Parents, 06", "departure_on": date(2027, 4, 5),
            "return_on": date(2027, 7, 3)}


def test_nothing_done_lists_every_mandatory_item_in_order():
    assert abroad.missing({}, abroad.DEFAULT_MANDATORY, erasmus=False) == [
        "passport", "insurance", "liability", "ariane", "contacts"]


def test_learning_agreement_only_for_erasmus_and_needs_three_signatures():
    assert "learning_agreement" not in abroad.applicable(False)
    values = dict(ALL_DONE, la_student_on=date(2027, 2, 1), la_school_on=date(2027, 2, 3))
    assert abroad.missing(values, abroad.DEFAULT_MANDATORY, erasmus=True) == [
        "learning_agreement"]
    values["la_host_on"] = date(2027, 2, 10)
    assert abroad.missing(values, abroad.DEFAULT_MANDATORY, erasmus=True) == []


def test_an_item_with_two_fields_needs_both():
    values = dict(ALL_DONE, contact_france="  ")
    assert abroad.missing(values, ["contacts"], erasmus=False) == ["contacts"]


def test_only_the_year_mandatory_items_are_missing():
    assert abroad.missing({}, ["ariane"], erasmus=False) == ["ariane"]
    assert abroad.missing({}, [], erasmus=False) == []


def test_progress_counts_the_applicable_items():
    assert abroad.progress({}, False) == abroad.Progress(0, 6)
    p = abroad.progress(ALL_DONE, True)
    assert (p.done, p.total, p.percent) == (6, 7, 85)


def test_levels_warn_or_block():
    assert abroad.effect(None) == "none"
    assert abroad.effect("vigilance") == "none"
    assert abroad.effect("unless_imperative") == "warn"
    assert abroad.effect("forbidden") == "block"


def test_stored_setting_parses_known_codes_and_defaults():
    assert abroad.parse_mandatory(None) == abroad.DEFAULT_MANDATORY
    assert abroad.parse_mandatory("") == ()
    assert abroad.parse_mandatory("ariane,bogus,travel") == ("ariane", "travel")


def test_tips_grouped_by_city_then_kind_in_guide_order():
    from types import SimpleNamespace as T

    tips = [T(city="Madrid", kind="housing"), T(city=None, kind="paperwork"),
            T(city="Barcelona", kind="dont"), T(city="Madrid", kind="do"),
            T(city="Madrid", kind="housing")]
    groups = abroad.grouped(tips, lambda t: t.city, lambda t: t.kind)
    assert [city for city, _ in groups] == ["", "Barcelona", "Madrid"]
    madrid = dict(groups)["Madrid"]
    assert [kind for kind, _ in madrid] == ["do", "housing"]
    assert len(madrid[1][1]) == 2
