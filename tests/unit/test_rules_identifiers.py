from app.rules.identifiers import luhn_valid, siret_problem


def test_luhn_accepts_valid_keys_and_rejects_altered_ones():
    assert luhn_valid("73282932000074")  # a real SIRET
    assert not luhn_valid("73282932000075")
    assert not luhn_valid("")
    assert not luhn_valid("7328293200007A")


def test_siret_accepts_spaces_and_checks_length_and_key():
    assert siret_problem("732 829 320 00074") is None
    assert "14 chiffres" in siret_problem("7328293200007")
    assert "14 chiffres" in siret_problem("ABCDEFGHIJKLMN")
    assert "clé de contrôle" in siret_problem("73282932000075")


def test_la_poste_sirets_use_their_own_key():
    assert siret_problem("35600000000010") is None  # digit sum 15, divisible by 5
    assert siret_problem("35600000000011") is not None
