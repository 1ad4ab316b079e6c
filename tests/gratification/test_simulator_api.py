import pytest

from tests.conftest import text

EXAMPLE = {"start": "2026-04-08", "end": "2026-06-30", "weekly_hours": "35", "rate": "4.50"}


def test_api_reference_example(client):
    data = client.get("/api/v1/gratification", query_string=EXAMPLE).get_json()
    assert data["days"] == 56 and data["hours"] == 392 and data["due"] is True
    assert data["threshold_date"] == "2026-06-15"
    assert (data["hourly_rate"], data["total"], data["smoothed_monthly"]) == (
        "4.50", "1764.00", "588.00")
    assert data["months"] == [
        {"month": "2026-04", "days": 17, "hours": 119, "amount": "535.50"},
        {"month": "2026-05", "days": 17, "hours": 119, "amount": "535.50"},
        {"month": "2026-06", "days": 22, "hours": 154, "amount": "693.00"},
    ]


def test_api_options(client):
    six_days = client.get("/api/v1/gratification", query_string={
        **EXAMPLE, "days": "mon,tue,wed,thu,fri,sat", "weekly_hours": "36"}).get_json()
    assert six_days["days"] > 56
    worked = client.get("/api/v1/gratification", query_string={
        **EXAMPLE, "holidays_worked": "1"}).get_json()
    assert worked["days"] == 60
    alsace = client.get("/api/v1/gratification", query_string={
        "start": "2026-03-30", "end": "2026-04-10", "weekly_hours": "35",
        "zone": "alsace-moselle"}).get_json()
    assert alsace["days"] == 8  # Good Friday and Easter Monday off
    short = client.get("/api/v1/gratification", query_string={
        "start": "2026-06-01", "end": "2026-06-30", "weekly_hours": "35"}).get_json()
    assert short["due"] is False and short["threshold_date"] is None


def test_api_uses_the_rate_table_by_default(client, db):
    from app.years.services import ensure_default_rates
    ensure_default_rates()
    data = client.get("/api/v1/gratification", query_string={
        "start": "2026-06-01", "end": "2026-06-30", "weekly_hours": "35"}).get_json()
    assert data["hourly_rate"] == "4.50"


@pytest.mark.parametrize("params, parameter", [
    ({"end": "2026-06-30", "weekly_hours": "35"}, "start"),
    ({**EXAMPLE, "start": "2026-02-30"}, "start"),
    ({**EXAMPLE, "end": "hier"}, "end"),
    ({**EXAMPLE, "end": "2026-04-01"}, "end"),
    ({**EXAMPLE, "end": "2030-01-01"}, "end"),
    ({**EXAMPLE, "weekly_hours": "abc"}, "weekly_hours"),
    ({**EXAMPLE, "weekly_hours": "60"}, "weekly_hours"),
    ({**EXAMPLE, "weekly_hours": "NaN"}, "weekly_hours"),
    ({**EXAMPLE, "days": "mon,funday"}, "days"),
    ({**EXAMPLE, "rate": "-1"}, "rate"),
    ({**EXAMPLE, "zone": "corse"}, "zone"),
    ({**EXAMPLE, "holidays_worked": "peut-être"}, "holidays_worked"),
])
def test_api_bad_parameters_answer_400_naming_the_parameter(client, params, parameter):
    resp = client.get("/api/v1/gratification", query_string=params)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["parameter"] == parameter
    assert resp.get_json()["error"]["message"]


def test_simulator_is_open_without_an_account(client):
    page = client.get("/simulateur")
    assert page.status_code == 200 and "Simulateur de gratification" in text(page)
    result = client.get("/simulateur", query_string={**EXAMPLE, "days": ["mon", "tue", "wed",
                                                                         "thu", "fri"]})
    body = text(result)
    assert "1\u202f764,00\xa0€" in body or "1\xa0764,00\xa0€" in body
    assert "15 juin 2026" in body and "Juin 2026" in body


def test_simulator_fragment_and_errors(client):
    frag = client.get("/simulateur", query_string={**EXAMPLE}, headers={"HX-Request": "true"})
    assert text(frag).lstrip().startswith('<section id="simulation"')
    bad = client.get("/simulateur", query_string={**EXAMPLE, "end": "2026-01-01"})
    assert "La date de fin précède la date de début." in text(bad)
    assert 'aria-invalid="true"' in text(bad)
