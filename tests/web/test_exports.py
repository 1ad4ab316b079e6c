"""Exports read back by independent readers: Python's csv module for the CSV (French Excel's
``;``, BOM, decimal comma, dd/mm/yyyy) and calamine (Rust) for the XLSX."""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from app.web.exports import export_response
from tests.conftest import text

SIRET = "01234567800002"  # a valid SIRET whose leading zero a number would lose
HEADERS = ["Montant", "Heures", "Date", "Horodatage", "Actif", "Inactif", "Vide", "SIRET",
           "Téléphone", "Code postal", "Nom", "Formule", "Entier", "Mille"]


def _rows():
    yield (Decimal("1764.00"), 17.5, date(2027, 4, 8), datetime(2027, 4, 8, 9, 5), True, False,
           None, SIRET, "+33 6 12 34 56 78", "01000", "Émile", "=HYPERLINK(1)", 1234567,
           Decimal("1E+3"))


def _csv_rows(resp):
    body = resp.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def _xlsx_rows(resp):
    assert resp.data[:2] == b"PK"
    return CalamineWorkbook.from_filelike(io.BytesIO(resp.data)).get_sheet_by_index(0).to_python()


def test_csv_for_french_excel(app):
    with app.test_request_context():
        resp = export_response("csv", "essai", HEADERS, _rows())
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    assert resp.headers["Content-Disposition"] == 'attachment; filename="essai.csv"'
    header, row = _csv_rows(resp)
    assert header == HEADERS
    assert row == ["1764,00", "17,5", "08/04/2027", "08/04/2027 09:05", "oui", "non", "",
                   SIRET, "'+33 6 12 34 56 78", "01000", "Émile", "'=HYPERLINK(1)", "1234567",
                   "1000"]


def test_xlsx_typed_cells_and_identifiers_as_text(app):
    with app.test_request_context():
        resp = export_response("xlsx", "essai", HEADERS, _rows())
    assert resp.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    header, row = _xlsx_rows(resp)
    assert header == HEADERS
    assert row[:7] == [1764.0, 17.5, date(2027, 4, 8), datetime(2027, 4, 8, 9, 5), "oui",
                       "non", ""]
    assert row[7:12] == [SIRET, "+33 6 12 34 56 78", "01000", "Émile", "'=HYPERLINK(1)"]
    assert row[12:] == [1234567, 1000]
    # what Excel shows: French dates, the amount's two decimals, identifiers formatted as text
    cells = next(load_workbook(io.BytesIO(resp.data)).active.iter_rows(min_row=2))
    assert cells[0].number_format == "0.00" and cells[2].number_format == "dd/mm/yyyy"
    assert {cells[i].number_format for i in (7, 8, 9)} == {"@"}
    assert {cells[i].data_type for i in (7, 8, 9)} == {"s"}


EXPORTS = ["/admin/utilisateurs/export", "/organismes/export", "/offres/export",
           "/stages/suivi/export", "/stages/export", "/candidatures/export",
           "/conventions/export", "/tutorat/export", "/alternants/export",
           "/statistiques/export"]


@pytest.mark.parametrize("path", EXPORTS)
def test_every_export_serves_both_formats_and_nothing_else(as_role, path):
    b = as_role("admin")
    resp = b.get(f"{path}.csv")
    assert resp.status_code == 200 and resp.data.startswith(b"\xef\xbb\xbf")
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert b.get(f"{path}.xlsx").data[:2] == b"PK"
    assert b.get(f"{path}.pdf").status_code == 404


def test_hosts_export_keeps_the_siret_leading_zero(as_role, make):
    make.host(name="Archives de l’Ain", city="Bourg-en-Bresse", siret=SIRET)
    b = as_role("secretariat")
    assert b.get("/organismes/export.ods").status_code == 404
    header, row = _csv_rows(b.get("/organismes/export.csv"))
    assert row[header.index("SIRET")] == SIRET
    header, row = _xlsx_rows(b.get("/organismes/export.xlsx"))
    assert row[header.index("SIRET")] == SIRET


def test_internships_export_amount_and_dates(as_role, make):
    from app.internships import services
    from app.years import services as years

    years.ensure_default_rates()
    years.create_year(years.YearData(start_year=2026))

    student = make.user("student", last_name="Exporté")
    services.create_internship(student, services.InternshipData(
        host_id=make.host().id, subject="Sujet", start_date=date(2027, 4, 8),
        end_date=date(2027, 6, 30), agreed_amount=Decimal("1764"), weekly_hours=Decimal("35")))
    b = as_role("secretariat")
    header, row = _csv_rows(b.get("/stages/export.csv?year=2026"))
    assert row[header.index("Gratification convenue")] == "1764,00"
    assert row[header.index("Début")] == "08/04/2027"
    assert row[header.index("Semaines")] == "12,0"
    assert text(b.get("/stages/export.csv?year=2026")).count(";") >= 2 * (len(header) - 1)
    header, row = _xlsx_rows(b.get("/stages/export.xlsx?year=2026"))
    assert row[header.index("Gratification convenue")] == 1764.0
    assert row[header.index("Début")] == date(2027, 4, 8)
