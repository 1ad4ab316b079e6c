"""What the convention document says, word for word."""


def test_the_convention_names_the_host_city_once(convention, as_role, make):
    from tests.conventions.test_lifecycle import pdf_text

    host = make.host(name="Archives du Gard", city="Nîmes", headcount=40,
                     address="365 rue du Forez, 30000 Nîmes")
    c = convention(host=host)
    resp = as_role("secretariat").get(f"/conventions/{c.id}/convention.pdf")
    assert resp.status_code == 200
    words = pdf_text(resp.data)
    assert "365 rue du Forez, 30000 Nîmes" in words
    assert "Nîmes, Nîmes" not in words and "Nîmes Nîmes" not in words
