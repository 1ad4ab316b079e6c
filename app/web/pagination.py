"""Pagination of a SELECT: a COUNT, then the page (keys, then rows), whatever the size."""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import Select, func, inspect, select

from app.extensions import db

SEARCH_CAP = 1000  # rows counted for a search's pages (``paginate``'s ``cap``)


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int
    capped: bool = False  # more than ``total`` rows: only the first pages are counted

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    def window(self, around: int = 2) -> list[int | None]:
        """Page numbers to show, with ``None`` for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n in (1, self.pages) or abs(n - self.page) <= around:
                shown.append(n)
            elif shown and shown[-1] is not None:
                shown.append(None)
        return shown


def page_of(total: int, rows: Callable[[int, int], list], *, work_list: bool = False,
            name: str = "page") -> Page:
    """The page asked for (``name``) of a list whose service counts (``total``) and reads a
    slice (``rows(limit, offset)``) itself; a page past the end shows the last one."""
    per_page = current_app.config["WORK_LIST_PER_PAGE" if work_list else "PER_PAGE"]
    number = min(page_number(name), max(1, math.ceil(total / per_page)))
    return Page(items=rows(per_page, (number - 1) * per_page), total=total, page=number,
                per_page=per_page)


def page_number(name: str = "page") -> int:
    """The page asked for: in the address, or kept by a form that posts back to a list."""
    from app.rules.parsing import int_or_none

    value = int_or_none(request.values.get(name, "1"))
    return 1 if value is None else max(1, min(value, 100_000))


def _primary_key(stmt: Select):
    """The single-column primary key of ``select(Model)`` and its attribute's name, or None
    for any other SELECT."""
    described = stmt.column_descriptions
    if len(described) != 1 or described[0]["expr"] is not described[0]["entity"]:
        return None
    mapper = inspect(described[0]["entity"])
    if len(mapper.primary_key) != 1:
        return None
    column = mapper.primary_key[0]
    return column, mapper.get_property_by_column(column).key


def paginate(stmt: Select, page: int | None = None, per_page: int | None = None, *,
             work_list: bool = False, scalars: bool = True, cap: int | None = None) -> Page:
    """One page of ``stmt``, in its order: the page asked for in the request, of the size the
    configuration gives a list (``PER_PAGE``) or a year's working list (``work_list``).

    With ``cap``, rows are counted up to ``cap`` only (a broad search finds 100,000 rows and
    counting them all costs more than the page): past it, ``capped`` is set and the list
    offers its first ``cap`` rows.

    For ``select(Model)`` the page is found by a deferred join: first the keys of the page's
    rows, with the list's own joins, filters and order (an index serves that without reading
    the rows it skips, so page 2,000 costs about what page 1 does), then those rows only,
    with what they eager-load.
    """
    if page is None:
        page = page_number()
    if per_page is None:
        per_page = current_app.config["WORK_LIST_PER_PAGE" if work_list else "PER_PAGE"]
    counted = stmt.order_by(None) if cap is None else stmt.order_by(None).limit(cap + 1)
    total = db.session.execute(select(func.count()).select_from(counted.subquery())).scalar_one()
    capped = cap is not None and total > cap
    if capped:
        total = cap
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    offset = (page - 1) * per_page
    primary = _primary_key(stmt) if scalars else None
    if primary is not None:
        key, name = primary
        keys = list(db.session.execute(
            stmt.with_only_columns(key).limit(per_page).offset(offset)).scalars())
        # No ORDER BY here: the database fetches the rows by key instead of walking the
        # list's index; they are put back in the page's order.
        position = {k: n for n, k in enumerate(keys)}
        items = sorted(db.session.execute(stmt.order_by(None).where(key.in_(keys)))
                       .unique().scalars(), key=lambda item: position[getattr(item, name)]
                       ) if keys else []
        return Page(items=items, total=total, page=page, per_page=per_page, capped=capped)
    result = db.session.execute(stmt.limit(per_page).offset(offset))
    items = list(result.unique().scalars() if scalars else result.all())
    return Page(items=items, total=total, page=page, per_page=per_page, capped=capped)


def page_url(number: int) -> str:
    """The current URL with its filters, at page ``number`` (a query key that ``url_for``
    or the route would take for its own is left out)."""
    from app.web.inputs import query_args

    return url_for(request.endpoint, **(request.view_args or {}),
                   **query_args("page"), page=number)
