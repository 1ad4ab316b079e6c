"""Numbers typed by people, read as the database can hold them."""
from __future__ import annotations

import re

INT_MAX = 2**31 - 1  # the databases' INTEGER columns
_ASCII_INT = re.compile(r"\s*[+-]?[0-9]{1,20}\s*")


def int_or_none(raw) -> int | None:
    """A form or query value as an int; None when missing, not written in ASCII digits
    (``"²"`` and ``"١٢"`` are digits to Python, not to the database) or beyond what an
    INTEGER column holds (an id that large would fail in the database, not be "not found")."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str) and _ASCII_INT.fullmatch(raw):
        value = int(raw)
    else:
        return None
    return value if -INT_MAX <= value <= INT_MAX else None
