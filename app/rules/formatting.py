"""French wording of dates, hours and amounts for documents and messages built outside a
request (services, PDFs, the CLI). Babel with the fr_FR locale, as the templates' filters."""
from __future__ import annotations

import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALE = "fr_FR"


def fr_date(day: date) -> str:
    """1er avril 2027, 8 avril 2027."""
    text = format_date(day, "d MMMM y", locale=LOCALE)
    return "1er" + text[1:] if day.day == 1 else text


def hours_text(hours: Decimal) -> str:
    """35 heures, 17,5 heures, 1 heure."""
    value = Decimal(hours)
    shown = format_decimal(value, format="#,##0.##", locale=LOCALE)
    return f"{shown} heure{'s' if value >= 2 else ''}"


def money_text(amount: Decimal | int | float) -> str:
    """1 764,00 € (to the cent, half up as the gratification is computed)."""
    cents = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format_currency(cents, "EUR", locale=LOCALE)


def period_text(start: date, end: date) -> str:
    """« le 1er mai 2026 » for one day, else « du 8 avril 2027 au 30 juin 2027 »."""
    if start == end:
        return f"le {fr_date(start)}"
    return f"du {fr_date(start)} au {fr_date(end)}"


def month_text(day: date) -> str:
    """« avril 2027 »."""
    return format_date(day, "MMMM y", locale=LOCALE)


def duration_text(start: date, end: date) -> str:
    """« 13 semaines », « 12 semaines et 4 jours »: one way to state a length everywhere."""
    whole, days = divmod((end - start).days + 1, 7)
    text = f"{whole} semaine{'s' if whole > 1 else ''}" if whole else ""
    if days:
        text += (" et " if text else "") + f"{days} jour{'s' if days > 1 else ''}"
    return text


def de(word: str) -> str:
    """« de Léa », « d’Enzo », « d’approuver »: the elided form before a vowel or a mute h."""
    return ("d’" if word[:1].lower() in "aàâeéèêëiîïoôuûyh" else "de ") + word


def room_text(room: str) -> str:
    """« salle B204 », and « Salle des actes » as it is: never « salle Salle B204 »."""
    room = (room or "").strip()
    return room if room.lower().startswith(("salle", "amphi", "auditorium")) else f"salle {room}"


def address_text(address: str | None, city: str | None) -> str:
    """« 365 rue du Forez, 30000 Nîmes »: the city after the street only when the address
    does not already end with it (never « 30000 Nîmes, Nîmes »)."""
    address, city = (address or "").strip().rstrip(","), (city or "").strip()
    if not city or _folded(address).endswith(_folded(city)):
        return address
    return f"{address}, {city}" if address else city


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def parse_euros(text: str | None) -> Decimal | None:
    """« 1 494,50 », « 1494.5 », « 540 € » -> Decimal('1494.50')…; None when it is not an
    amount (empty, letters, several commas, infinite)."""
    raw = (text or "").strip().removesuffix("€").strip()
    for space in (" ", "\u00a0", "\u202f"):
        raw = raw.replace(space, "")
    if raw.count(",") + raw.count(".") > 1:
        return None
    try:
        value = Decimal(raw.replace(",", "."))
    except ArithmeticError:
        return None
    return value.quantize(Decimal("0.01")) if value.is_finite() else None


# The English version of a convention for a host abroad (RULES.md §5): the same facts in the
# words of an English reader.
EN_LOCALE = "en_GB"
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def en_date(day: date) -> str:
    """8 April 2027."""
    return format_date(day, "d MMMM y", locale=EN_LOCALE)


def en_hours(hours: Decimal) -> str:
    """35 hours, 17.5 hours, 1 hour."""
    value = Decimal(hours)
    shown = format_decimal(value, format="#,##0.##", locale=EN_LOCALE)
    return f"{shown} hour{'s' if value != 1 else ''}"


def en_money(amount: Decimal) -> str:
    """€1,494.00"""
    from babel.numbers import format_currency

    return format_currency(Decimal(amount), "EUR", locale=EN_LOCALE)


def en_days(days) -> str:
    """Monday to Friday; Monday, Wednesday and Friday."""
    days = sorted(days)
    if days == list(range(5)):
        return "Monday to Friday"
    if days == list(range(6)):
        return "Monday to Saturday"
    names = [EN_WEEKDAYS[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def en_duration(start: date, end: date) -> str:
    """« 13 weeks », « 12 weeks and 4 days »: as :func:`duration_text` counts them."""
    whole, days = divmod((end - start).days + 1, 7)
    text = f"{whole} week{'s' if whole > 1 else ''}" if whole else ""
    if days:
        text += (" and " if text else "") + f"{days} day{'s' if days > 1 else ''}"
    return text


def en_country(name: str) -> str:
    """A country as the intranet writes it (in French) in English: « Espagne » -> « Spain »;
    a name Babel does not know stays as written."""
    from babel import Locale

    french = {v.casefold(): k for k, v in Locale("fr").territories.items()}
    code = french.get((name or "").strip().casefold())
    return Locale("en").territories.get(code, name) if code else name


def french_typography(text: str) -> str:
    """« N'est pas valide » -> « N’est pas valide »; « Ce champ est requis. » -> « Ce champ
    est obligatoire. » (the intranet's words); a space before « : ; ? ! » made non-breaking."""
    text = text.replace("'", "\u2019").replace("Ce champ est requis", "Ce champ est obligatoire")
    for mark in (":", ";", "?", "!"):
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text
