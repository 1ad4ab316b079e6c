"""Charts drawn on the server as accessible SVG strings. Pure functions, no script, no style
attribute (the CSP allows neither): presentation attributes only."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import count
from xml.sax.saxutils import escape

_ids = count(1)
COLORS = {"bar": "#0172ad", "reached": "#2f855a", "partly": "#d69e2e", "not": "#c53030"}


def _frame(title: str, height: int, body: list[str], width: int = 640) -> str:
    n = next(_ids)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
            f'aria-labelledby="chart-{n}-title" class="chart">'
            f'<title id="chart-{n}-title">{escape(title)}</title>' + "".join(body) + "</svg>")


def bar_chart(title: str, rows: Sequence[tuple[str, float]],
              fmt: Callable[[float], str] = lambda v: f"{v:g}") -> str:
    """Horizontal bars, one row per label, lengths proportional to the values."""
    if not rows:
        return _frame(title, 40, ['<text x="10" y="25" font-size="14" fill="#555">'
                                  'Aucune donnée</text>'])
    label_w, bar_w, row_h = 250, 270, 26
    top = max(v for _, v in rows) or 1
    body = []
    for i, (label, value) in enumerate(rows):
        y = i * row_h + 6
        width = int(bar_w * value / top) if value > 0 else 0
        short = label if len(label) <= 30 else label[:29] + "…"
        body.append(f'<text x="{label_w - 8}" y="{y + 15}" font-size="13" text-anchor="end" '
                    f'fill="#222">{escape(short)}</text>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{width}" height="18" '
                    f'fill="{COLORS["bar"]}"><title>{escape(label)} : {escape(fmt(value))}'
                    '</title></rect>')
        body.append(f'<text x="{label_w + width + 6}" y="{y + 15}" font-size="13" '
                    f'fill="#222">{escape(fmt(value))}</text>')
    return _frame(title, len(rows) * row_h + 10, body)


def share_chart(title: str, rows: Sequence[tuple[str, dict[str, int]]],
                labels: dict[str, str]) -> str:
    """One stacked bar per group: the share of each part (reached / partly / not)."""
    if not rows:
        return _frame(title, 40, ['<text x="10" y="25" font-size="14" fill="#555">'
                                  'Aucune donnée</text>'])
    label_w, bar_w, row_h = 250, 360, 26
    body = []
    for i, (label, parts) in enumerate(rows):
        y = i * row_h + 6
        total = sum(parts.values()) or 1
        x = label_w
        body.append(f'<text x="{label_w - 8}" y="{y + 15}" font-size="13" text-anchor="end" '
                    f'fill="#222">{escape(label[:30])}</text>')
        for key in labels:
            width = round(bar_w * parts.get(key, 0) / total)
            if width:
                share = round(100 * parts.get(key, 0) / total)
                body.append(f'<rect x="{x}" y="{y}" width="{width}" height="18" '
                            f'fill="{COLORS.get(key, COLORS["bar"])}"><title>{escape(label)} — '
                            f'{escape(labels[key])} : {share} %</title></rect>')
                x += width
    legend_y = len(rows) * row_h + 16
    x = label_w
    for key, text in labels.items():
        body.append(f'<rect x="{x}" y="{legend_y - 11}" width="12" height="12" '
                    f'fill="{COLORS.get(key, COLORS["bar"])}"/>')
        body.append(f'<text x="{x + 16}" y="{legend_y}" font-size="12" fill="#222">'
                    f'{escape(text)}</text>')
        x += 16 + 8 * len(text) + 20
    return _frame(title, legend_y + 10, body)
