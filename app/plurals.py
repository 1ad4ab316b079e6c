"""A count in French words: « 0 convention validée », « 1 convention validée », « 2
conventions validées ». The texts are written in French, whose singular covers 0 and 1;
gettext without a catalog for the user's language takes only 1 as singular. A catalog of
another language applies its own rule to the real count."""
from __future__ import annotations

from flask_babel import get_locale, get_translations


def count_text(singular: str, plural: str, n: int, **variables) -> str:
    """``ngettext`` with French's rule for the French texts; ``%(num)d`` is ``n``."""
    locale = get_locale()
    form = (1 if abs(n) <= 1 else 2) if locale is None or locale.language == "fr" else n
    return get_translations().ngettext(singular, plural, form) % {"num": n, **variables}
