"""Template filters: French dates and amounts (Flask-Babel, fr_FR)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import format_date, format_datetime, format_decimal

from app.plurals import count_text
from app.rules.formatting import fr_date, money_text


def date_fr(value: date | None, fmt: str = "long") -> str:
    """8 avril 2027 (long) or 08/04/2027 (short)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMMM y 'à' HH:mm")
    if fmt == "short":
        return format_date(value, "dd/MM/y")
    return fr_date(value)


def month_fr(value: date | None) -> str:
    if value is None:
        return "—"
    return format_date(value, "MMMM y")


def money(value: Decimal | int | float | None) -> str:
    """1 764,00 €"""
    return "—" if value is None else money_text(value)


def number(value, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern)


def term(value, key: str) -> str:
    """A convention's term as people read it (« du lundi au vendredi », « 35 heures… »)."""
    from app.conventions.terms import plain, written

    return written(key, plain(value))


def register(app) -> None:
    from app.rules.formatting import de, duration_text, period_text, room_text

    app.add_template_filter(de, "de")
    app.add_template_filter(room_text, "room")
    app.add_template_filter(duration_text, "duration")
    app.add_template_filter(period_text, "period")
    app.add_template_filter(term, "term")
    app.add_template_filter(date_fr, "date_fr")
    app.add_template_filter(month_fr, "month_fr")
    app.add_template_filter(money, "money")
    app.add_template_filter(number, "number")

    from app.web.pagination import page_url

    app.add_template_global(page_url, "page_url")

    from app.web.inputs import query_args

    app.add_template_global(query_args, "query_args")
    app.add_template_global(count_text, "count_text")  # French plurals: 0 and 1 singular
