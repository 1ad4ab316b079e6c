from tests.conventions.conftest import convention, internship, year_2026  # noqa: F401
