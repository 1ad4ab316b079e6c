"""Pagination of a SELECT: one COUNT query and one page query, whatever the size."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

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


def page_number(name: str = "page") -> int:
    try:
        value = int(request.args.get(name, 1))
    except (TypeError, ValueError):
        return 1
    return max(1, min(value, 100_000))


def paginate(stmt: Select, page: int, per_page: int, *, scalars: bool = True) -> Page:
    total = db.session.execute(
        select(func.count()).select_from(stmt.order_by(None).subquery())
    ).scalar_one()
    pages = max(1, math.ceil(total / per_page))
    page = min(page, pages)
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique().scalars() if scalars else result.all())
    return Page(items=items, total=total, page=page, per_page=per_page)


def page_url(number: int) -> str:
    """The current URL with its filters, at page ``number``."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)
