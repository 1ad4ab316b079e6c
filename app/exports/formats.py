"""CSV and XLSX exports of the lists staff use: the one place that knows the formats.

The files' bodies, for a download (app/web/exports.py) or a background export
(app/exports/services.py) alike.

The CSV is written for French Excel, which opens it with a double click:

- ``;`` between fields, UTF-8 with a byte order mark (without it Excel reads cp1252);
- amounts and hours (``Decimal``, ``float``) with a decimal comma and no thousands separator
  (« 1764,00 », « 17,5 »), dates as ``dd/mm/yyyy``, booleans « oui » / « non »;
- identifiers (SIRET, phone numbers, postcodes) are written as they are stored, as plain text.
  A CSV has no types: Excel still turns a long digit string into a number when it opens the
  file (a SIRET's leading zero is lost, 14 digits show as 1,23E+13). The usual workarounds make
  the file wrong for every other reader (``="01234567890123"`` is a formula, a leading tab or
  apostrophe is data), so the CSV stays plain and exact — LibreOffice, Python and Excel's own
  « Données > À partir d'un fichier texte » (column as Texte) read it right — and the XLSX is
  the file to open in Excel: there those values are text cells formatted ``@``.

A text cell starting with ``=``, ``+``, ``-`` or ``@`` is prefixed with an apostrophe so that a
spreadsheet does not run it as a formula (formula injection), except in the XLSX for values
that only look like numbers, which are text cells there and never evaluated.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from copy import copy
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

FORMATS = ("csv", "xlsx")
CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Text that a spreadsheet would read as a number or a date: SIRET, phone numbers, postcodes.
_LOOKS_NUMERIC = re.compile(r"\+?\d[\d .\-/]*")
_FORMULA_START = ("=", "+", "-", "@")


def _guarded(text: str) -> str:
    return "'" + text if text[:1] in _FORMULA_START else text


def _decimal_text(value: Decimal | float) -> str:
    """Plain notation with a decimal comma: Decimal("1764.00") → « 1764,00 », 17.5 → « 17,5 »."""
    if isinstance(value, float):
        value = Decimal(repr(value))  # the shortest text of the float, not its binary expansion
    text = str(value)
    if "E" in text:  # str() writes 1E+3 and 1E-7: Excel wants the plain digits
        text = format(value, "f")
    return text.replace(".", ",")


def csv_text(value) -> str:
    """One CSV field for French Excel."""
    if isinstance(value, str):
        return _guarded(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, date):  # strftime is five times slower
        text = f"{value.day:02d}/{value.month:02d}/{value.year}"
        if isinstance(value, datetime):
            text += f" {value.hour:02d}:{value.minute:02d}"
        return text
    if isinstance(value, (Decimal, float)):
        return _decimal_text(value)
    if isinstance(value, int):
        return str(value)
    return _guarded(str(value))


def _number_format(value) -> str:
    if isinstance(value, datetime):
        return "dd/mm/yyyy hh:mm"
    if isinstance(value, date):
        return "dd/mm/yyyy"
    places = -value.as_tuple().exponent if value.is_finite() else 0
    return "0." + "0" * places if places > 0 else "0"


class _Cells:
    """XLSX values: numbers and dates typed (dates shown dd/mm/yyyy, an amount with its
    decimals), identifiers as text cells. Each number format's style is made once and copied:
    setting ``number_format`` on every cell costs a third of the file's time."""

    def __init__(self, ws):
        self.ws = ws
        self.styles: dict[str, object] = {}

    def formatted(self, value, number_format: str) -> WriteOnlyCell:
        style = self.styles.get(number_format)
        if style is None:
            template = WriteOnlyCell(self.ws)
            template.number_format = number_format
            style = self.styles[number_format] = template._style
        cell = WriteOnlyCell(self.ws)
        cell._style = copy(style)
        cell.value = value  # after the style: a date keeps the French format
        return cell

    def __call__(self, value):
        if value is None:
            return None
        if isinstance(value, bool):
            return "oui" if value else "non"
        if isinstance(value, (date, Decimal)):
            return self.formatted(value, _number_format(value))
        if isinstance(value, (int, float)):
            return value
        text = str(value)
        if _LOOKS_NUMERIC.fullmatch(text):
            # a string cell (never a number, never a formula), formatted as text so that it
            # stays text when someone edits it
            return self.formatted(text, "@")
        return _guarded(text)


def xlsx_body(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    # Write-only: rows are streamed to the file, not kept as cell objects (a university's
    # 20,000 rows in half the time and a fraction of the memory).
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(filename[:31])
    for i, _ in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 22
    ws.append(list(headers))
    cell = _Cells(ws)
    for row in rows:
        ws.append([cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_body(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    buf = io.StringIO()
    buf.write("\ufeff")  # the BOM: Excel reads the file as UTF-8
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return buf.getvalue()
