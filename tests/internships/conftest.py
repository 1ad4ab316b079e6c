import pytest

from app.years import services as years


@pytest.fixture
def year_2026(db):
    years.ensure_default_rates()
    return years.create_year(years.YearData(start_year=2026))
