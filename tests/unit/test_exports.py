"""CSV for a spreadsheet in French, read back as a spreadsheet (or Python's csv) would."""
import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from app.web.exports import export_response


def _read_csv(resp) -> list[list[str]]:
    raw = resp.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel then reads the accents
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


ROW = ("Société Générale", "35200632000044", "06 12 34 56 78", Decimal("42913.00"),
       Decimal("7.5"), 3.5, 12, date(2027, 4, 8), None, True, "=1+1", Decimal("-4.20"))


def test_csv_amounts_and_hours_have_a_decimal_comma_identifiers_stay_text():
    resp = export_response("csv", "essai", ["Nom", "SIRET", "Téléphone", "Montant", "Heures",
                                            "Moyenne", "Nombre", "Date", "Vide", "Actif",
                                            "Formule", "Écart"], [ROW])
    assert resp.mimetype == "text/csv"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="essai.csv"'
    header, row = _read_csv(resp)
    assert header[0] == "Nom" and header[4] == "Heures"
    assert row == ["Société Générale", "35200632000044", "06 12 34 56 78", "42913,00", "7,5",
                   "3,5", "12", "08/04/2027", "", "oui", "'=1+1", "-4,20"]


def test_csv_numbers_are_never_in_scientific_notation():
    resp = export_response("csv", "x", ["a", "b", "c"],
                           [(Decimal("1E+3"), Decimal("0.00001"), 1e-05)])
    assert _read_csv(resp)[1] == ["1000", "0,00001", "0,00001"]


def test_xlsx_keeps_numbers_as_numbers_and_identifiers_as_text():
    resp = export_response("xlsx", "essai", ["Nom", "SIRET", "Montant"],
                           [("A", "35200632000044", Decimal("42913.00"))])
    ws = load_workbook(io.BytesIO(resp.get_data())).active
    assert ws["B2"].value == "35200632000044" and ws["B2"].data_type == "s"
    assert ws["C2"].value == 42913 and ws["C2"].data_type == "n"
