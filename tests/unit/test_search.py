from app.search import fold, terms


def test_fold_removes_accents_and_case():
    assert fold("Données ÉLECTRONIQUES  d’Archivistique") == "donnees electroniques d’archivistique"
    assert fold(None) == ""


def test_terms_are_folded_words_and_bounded():
    assert terms("  ARCHIV   données ") == ["archiv", "donnees"]
    assert len(terms("a " * 50)) == 8
