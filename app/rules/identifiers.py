"""Checks of French identifiers."""
from __future__ import annotations


def luhn_valid(digits: str) -> bool:
    """The Luhn key of a string of digits (used by SIREN and SIRET numbers)."""
    if not digits or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normalize_siret(value: str | None) -> str:
    return "".join((value or "").split())


def siret_problem(value: str | None) -> str | None:
    """None when ``value`` is a valid SIRET (spaces allowed), else the reason in French."""
    siret = normalize_siret(value)
    if not siret.isdigit() or len(siret) != 14:
        return "Le SIRET compte exactement 14 chiffres."
    # La Poste's establishments use a different key: sum of digits divisible by 5.
    if siret.startswith("356000000"):
        if sum(int(c) for c in siret) % 5 == 0:
            return None
        return "Ce SIRET n’est pas valide (clé de contrôle incorrecte)."
    if not luhn_valid(siret):
        return "Ce SIRET n’est pas valide (clé de contrôle incorrecte)."
    return None
