"""CSV and XLSX exports of the lists staff use."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _decimal_comma(value: Decimal | float) -> str:
    """``42913.00`` -> ``42913,00``: the decimal separator French spreadsheets read a number
    by. No thousands separator: « 42 913,00 » is only a number to a spreadsheet whose own
    separator is that very space (plain, no-break or narrow no-break, depending on the
    system), text to the others; without one, every French spreadsheet reads a number.
    Never in scientific notation; a float by its shortest representation."""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        value = Decimal(repr(value))
    return format(value, "f").replace(".", ",")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, float)):
        return _decimal_comma(value)
    text = str(value)
    # Formula injection: a cell starting with = + - @ is read as a formula by spreadsheets.
    if text[:1] in ("=", "+", "-", "@") and not isinstance(value, (int, float, Decimal)):
        return "'" + text
    return text


def export_response(
    fmt: str, filename: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> Response:
    """``fmt`` is ``csv`` or ``xlsx``; anything else is treated as csv.

    The CSV is for a spreadsheet in French: ``;`` between cells, UTF-8 with a byte order
    mark, amounts and hours (``Decimal``, ``float``) with a decimal comma, dates in ISO
    form. Identifiers (a SIRET, a postcode, a phone number) are strings and written exactly
    as they are; the XLSX keeps them as text cells and the numbers as numbers."""
    if fmt == "xlsx":
        # Write-only: rows are streamed to the file, not kept as cell objects (a university's
        # 20,000 rows in half the time and a fraction of the memory).
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(filename[:31])
        for i, _ in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = 22
        ws.append(list(headers))
        for row in rows:
            ws.append([
                v if isinstance(v, (int, float, Decimal, date, datetime)) and not isinstance(v, bool)
                else _cell_text(v)
                for v in row
            ])
        buf = io.BytesIO()
        wb.save(buf)
        body, mime, ext = buf.getvalue(), XLSX_MIME, "xlsx"
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=";")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_cell_text(v) for v in row])
        body, mime, ext = "\ufeff" + buf.getvalue(), CSV_MIME, "csv"
    resp = Response(body, mimetype=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    return resp
