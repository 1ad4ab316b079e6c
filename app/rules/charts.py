"""Charts drawn on the server as HTML tables with bars. Pure functions, no script, no style
attribute (the CSP allows neither).

A chart is a ``<table>`` with a caption: each row is a label (a row header), its bar and its
figure written out, so a screen reader reads the table and a phone shows the text at its own
size. A bar is a small SVG hidden from assistive technology (the figure beside it says the
same), stretched to its cell by CSS; its length is a presentation attribute."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

COLORS = {"bar": "#0172ad", "reached": "#2f855a", "partly": "#d69e2e", "not": "#c53030"}
NNBSP = "\u202f"  # the narrow no-break space of French numbers: 1 250, 71 %


def fr_number(value: float | Decimal, digits: int | None = None) -> str:
    """``1250`` -> « 1 250 », ``3.5`` -> « 3,5 »: integers as integers, other values with
    ``digits`` decimals (one by default, the trailing zero dropped)."""
    if digits is None:
        digits = 0 if isinstance(value, int) or float(value).is_integer() else 1
    text = f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP):,f}"
    return text.replace(",", NNBSP).replace(".", ",")


def shares(counts: Sequence[int]) -> list[int]:
    """Whole percentages of ``counts`` that add up to 100 (largest remainders first)."""
    total = sum(counts)
    if not total:
        return [0 for _ in counts]
    exact = [100 * c / total for c in counts]
    out = [int(e) for e in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in by_remainder[:100 - sum(out)]:
        out[i] += 1
    return out


def _bar(parts: Sequence[tuple[float, str]]) -> str:
    """One bar of 100 units: ``parts`` are (length, colour) laid end to end."""
    x, rects = 0.0, []
    for length, color in parts:
        if length > 0:
            rects.append(f'<rect x="{x:g}" y="0" width="{length:g}" height="10" '
                         f'fill="{color}"/>')
            x += length
    return ('<svg class="bar" aria-hidden="true" focusable="false" viewBox="0 0 100 10" '
            'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg">'
            + "".join(rects) + "</svg>")


def _swatch(color: str) -> str:
    return ('<svg class="swatch" aria-hidden="true" focusable="false" viewBox="0 0 10 10" '
            f'xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10" fill="{color}"/>'
            '</svg>')


def _empty(caption: str) -> str:
    return f'<p class="chart-empty"><strong>{escape(caption)}</strong> — aucune donnée.</p>'


def _table(caption: str, columns: Sequence[str], rows: list[str], classes: str = "") -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    return (f'<table class="chart{" " + classes if classes else ""}">'
            f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f'<tbody>{"".join(rows)}</tbody></table>')


def bar_chart(caption: str, rows: Sequence[tuple[str, float]],
              columns: Sequence[str] = ("Élément", "Nombre"),
              fmt: Callable[[float], str] = fr_number) -> str:
    """Horizontal bars, one row per label, lengths proportional to the values, each with its
    label and its value written out."""
    if not rows:
        return _empty(caption)
    top = max(v for _, v in rows) or 1
    body = []
    for label, value in rows:
        length = round(100 * float(value) / float(top), 1) if value > 0 else 0
        body.append(f'<tr><th scope="row">{escape(str(label))}</th><td><div class="bar-cell">'
                    f'{_bar([(length, COLORS["bar"])])}'
                    f'<span class="value">{escape(fmt(value))}</span></div></td></tr>')
    return _table(caption, columns, body)


def share_chart(caption: str, rows: Sequence[tuple[str, dict[str, int]]],
                labels: dict[str, str], columns: Sequence[str] = ("Groupe", "Répartition"),
                unit: tuple[str, str] = ("objectif évalué", "objectifs évalués")) -> str:
    """One stacked bar per group, then each part written out with its count and its share,
    and the number of items the shares are taken from (« sur 42 objectifs évalués »)."""
    if not rows:
        return _empty(caption)
    body = []
    for label, parts in rows:
        counts = [parts.get(key, 0) for key in labels]
        total = sum(counts)
        pcts = shares(counts)
        exact = [100 * c / total if total else 0 for c in counts]
        bar = _bar([(round(e, 2), COLORS.get(key, COLORS["bar"]))
                    for e, key in zip(exact, labels, strict=False)])
        items = "".join(
            f'<li>{_swatch(COLORS.get(key, COLORS["bar"]))}{escape(labels[key])} : '
            f'<span class="figure">{fr_number(n)} ({p}{NNBSP}%)</span></li>'
            for key, n, p in zip(labels, counts, pcts, strict=False))
        noun = unit[0] if total == 1 else unit[1]
        body.append(f'<tr><th scope="row">{escape(str(label))}</th><td>{bar}'
                    f'<ul class="parts">{items}</ul>'
                    f'<p class="base">sur {fr_number(total)} {escape(noun)}</p></td></tr>')
    return _table(caption, columns, body, "shares")


def balance_chart(caption: str, rows: Sequence[tuple[str, Decimal, Decimal, Decimal]],
                  fmt: Callable[[Decimal], str], colors: tuple[str, str] = (
                      COLORS["reached"], COLORS["not"])) -> str:
    """Month by month, two bars (income, costs) on one scale, then the month's figures and
    the running balance written out: ``rows`` are (label, income, costs, running)."""
    if not rows:
        return _empty(caption)
    top = max(max(Decimal(i), Decimal(c)) for _, i, c, _ in rows) or 1
    body = []
    for label, income, costs, running in rows:
        bars = "".join(
            f'<div class="bar-cell">{_bar([(round(100 * float(v) / float(top), 1), color)])}'
            f'<span class="value">{escape(name)} {escape(fmt(v))}</span></div>'
            for name, v, color in (("revenus", income, colors[0]),
                                   ("dépenses", costs, colors[1])))
        sign = "negative" if running < 0 else "positive"
        body.append(f'<tr><th scope="row">{escape(label)}</th><td>{bars}</td>'
                    f'<td class="num">{escape(fmt(Decimal(income) - Decimal(costs)))}</td>'
                    f'<td class="num {sign}">{escape(fmt(running))}</td></tr>')
    return _table(caption, ("Mois", "Revenus et dépenses", "Solde du mois", "Solde cumulé"),
                  body, "balance")
