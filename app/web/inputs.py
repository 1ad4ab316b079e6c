"""What comes from the client, made safe in one place before any route reads it.

- Form and query parameters (``request.form``, ``request.args``, ``request.values`` and the
  WTForms forms built on them) lose the C0 control characters but tab, CR and LF (PostgreSQL
  refuses NUL in text; the others are never typed), and searches (``q``, ``…_q``) are cut to
  ``MAX_SEARCH`` characters.
- Path parameters: ``<int:…>`` stops at ``INT_MAX`` (an id beyond the INTEGER columns is
  not found, not a database error), and text parameters hold no control character.
- ``query_args()`` gives the current query for links (pagination, exports) without the
  keys ``url_for`` keeps for itself.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from flask import request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter

from app.rules.parsing import INT_MAX

MAX_SEARCH = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# ``url_for``'s own arguments: a query key with one of these names must not reach it
URL_FOR_KEYS = frozenset({"endpoint", "values", "_external", "_scheme", "_anchor", "_method",
                          "_external_host"})


def clean_text(value: str) -> str:
    """``value`` without the control characters that no field holds."""
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def _clean(key, value):
    if isinstance(value, str):
        value = clean_text(value)
        if key == "q" or (isinstance(key, str) and key.endswith("_q")):
            value = value[:MAX_SEARCH]
    return value


class CleanParameters(ImmutableMultiDict):
    """The parameters of a request, cleaned as they are parsed (files are left as they are)."""

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        if isinstance(mapping, MultiDict):
            pairs = mapping.items(multi=True)
        elif isinstance(mapping, Mapping):
            pairs = ((k, v) for k, vs in mapping.items()
                     for v in (vs if isinstance(vs, (list, tuple)) else [vs]))
        else:
            pairs = mapping
        cleaned = []
        for key, value in pairs:
            key = clean_text(key) if isinstance(key, str) else key
            cleaned.append((key, _clean(key, value)))
        super().__init__(cleaned)


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` up to what an INTEGER column holds: a larger id is simply not found.
    ASCII digits only (Python's ``\\d`` takes any script's)."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=INT_MAX if max is None else max, signed=signed)


class CleanStringConverter(UnicodeConverter):
    """A text path segment without control characters (a token, a format)."""

    regex = r"[^/\x00-\x1f\x7f]+"

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        if length is not None:
            size = f"{{{int(length)}}}"
        else:
            size = f"{{{int(minlength)},{'' if maxlength is None else int(maxlength)}}}"
        self.regex = f"[^/\\x00-\\x1f\\x7f]{size}"


def register(app) -> None:
    """After the extensions (htmx-flask brings its own request class, kept as the base), and
    before any blueprint adds its rules."""
    app.request_class = type("CleanRequest", (app.request_class,),
                             {"parameter_storage_class": CleanParameters})
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = CleanStringConverter
    app.url_map.converters["string"] = CleanStringConverter


def query_args(*drop: str) -> dict[str, str]:
    """The current query string (first value of each key) for a link to a page of the same
    list, without ``url_for``'s own keys, the current rule's arguments and ``drop``."""
    taken = URL_FOR_KEYS | set(request.view_args or {}) | set(drop)
    if request.url_rule is not None:
        taken |= set(request.url_rule.arguments)
    return {k: v for k, v in request.args.items()
            if k not in taken and not k.startswith("_")}
