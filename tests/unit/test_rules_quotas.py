from datetime import date

from app.rules.quotas import host_quota, tutor_can_take_another, weeks_between, weeks_over_quota


def test_quota_edges_19_vs_20_staff_and_rounding_up():
    assert host_quota(0) == 3
    assert host_quota(19) == 3
    assert host_quota(20) == 3     # 15 % of 20 = 3
    assert host_quota(21) == 4     # 3.15 rounded up
    assert host_quota(100) == 15
    assert host_quota(101) == 16   # 15.15 rounded up


def test_weeks_between_counts_calendar_weeks():
    weeks = weeks_between(date(2027, 4, 8), date(2027, 4, 20))  # Thu to Tue
    assert weeks == [date(2027, 4, 5), date(2027, 4, 12), date(2027, 4, 19)]


def test_weeks_over_quota_names_only_the_crowded_weeks():
    others = [(date(2027, 4, 5), date(2027, 4, 16)), (date(2027, 4, 12), date(2027, 4, 30)),
              (date(2027, 4, 12), date(2027, 4, 14))]
    over = weeks_over_quota(date(2027, 4, 8), date(2027, 5, 7), others, quota=3)
    assert over == [date(2027, 4, 12)]
    assert weeks_over_quota(date(2027, 4, 8), date(2027, 5, 7), others, quota=4) == []


def test_tutor_limit():
    assert tutor_can_take_another(2)
    assert not tutor_can_take_another(3)


def test_room_and_period_and_length_words():
    from datetime import date

    from app.rules.formatting import de, duration_text, period_text, room_text

    assert room_text("B204") == "salle B204" and room_text("Salle B204") == "Salle B204"
    assert period_text(date(2026, 5, 1), date(2026, 5, 1)) == "le 1er mai 2026"
    assert period_text(date(2027, 4, 8), date(2027, 6, 30)) == "du 8 avril 2027 au 30 juin 2027"
    assert duration_text(date(2027, 4, 8), date(2027, 7, 7)) == "13 semaines"
    assert duration_text(date(2027, 4, 8), date(2027, 7, 4)) == "12 semaines et 4 jours"
    assert (de("Enzo"), de("Océane"), de("Léa"), de("envoyer")) == (
        "d’Enzo", "d’Océane", "de Léa", "d’envoyer")
