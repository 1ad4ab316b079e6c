"""The running year's mobility grants and one student leaving abroad, her budget month by
month."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.demo.steps import Cast, internship_data
from app.extensions import db
from app.hosts.models import Host


def seed_abroad(cast: Cast, year, today: date) -> int:
    """The year's mobility grants (Erasmus+ by group of countries, the region's) and one
    student leaving for a host abroad: an Erasmus+ grant given in two parts, a regional one
    waiting for the secretariat, and her budget month by month."""
    from app.budget import services as budget
    from app.grants import services as grants
    from app.internships import services as internships
    from app.internships.models import Internship

    r = year.start_year + 1
    erasmus = grants.save_programme(year, grants.ProgrammeData(
        name=f"Erasmus+ stage {r}", funder="erasmus", deadline=date(r, 2, 15),
        first_part_percent=70, max_months=None,
        description="Contrat de mobilité (Learning Agreement for Traineeships) signé par "
                    "l’étudiant·e, l’organisme et le département avant le départ.",
        rates=[grants.RateData("Groupe 1", "Danemark, Finlande, Irlande, Islande, Norvège, "
                                           "Suède, Luxembourg, Suisse, Royaume-Uni", "600"),
               grants.RateData("Groupe 2", "Allemagne, Autriche, Belgique, Espagne, Italie, "
                                           "Pays-Bas, Portugal, Grèce", "540"),
               grants.RateData("Groupe 3", "*", "480")]))
    region = grants.save_programme(year, grants.ProgrammeData(
        name="Aide régionale à la mobilité internationale", funder="region",
        deadline=date(r, 3, 1), first_part_percent=100, max_months=3, description=None,
        rates=[grants.RateData("Tous pays", "", "300")]))
    from app.hosts import services as hosts

    host = db.session.execute(select(Host).where(Host.country != "France")
                              .order_by(Host.id)).scalars().first()
    if host is None:
        host = hosts.create_host(hosts.HostData(
            name="Arxiu Municipal de Barcelona", city="Barcelone", country="Espagne",
            address="Via Laietana 50", foreign_id="P0801900B", headcount=40,
            sector="Archives municipales", website="https://ajuntament.barcelona.cat/arxiu"))
    taken = select(Internship.student_id).where(Internship.academic_year_id == year.id)
    student = db.session.execute(
        select(User).where(User.role == "student", User.cohort == "BUT3",
                           User.track == "initial", User.active.is_(True),
                           User.id.not_in(taken))
        .order_by(User.id.desc())).scalars().first()
    if host is None or student is None:
        return 0
    if host.headcount is None:
        host.headcount = 25
    data = internship_data(cast, host, year.earliest_start, 14, 3)
    data.host_tutor_name = data.host_tutor_name or "Marta Puig"
    data.host_tutor_email = data.host_tutor_email or "marta.puig@example.es"
    internship, _ = internships.create_internship(student, data)
    on = min(today, erasmus.deadline - timedelta(days=20))
    granted = grants.apply(student, internship, erasmus, "Logement en colocation prévu : "
                           "environ 600 € par mois.", on)
    grants.decide(cast.secretariat, granted, True, str(granted.requested_amount),
                  grants.default_payments(granted), "Bon séjour !", granted.version_id)
    grants.apply(student, internship, region, "",
                 min(today, region.deadline - timedelta(days=20)))
    months = [m for m, _ in budget.view(internship, today).gratification]
    for category, label, amount, timing in (
            ("travel", "Billet aller", "180", "before"),
            ("insurance", "Assurance rapatriement", "95", "before"),
            ("housing", "Chambre en colocation", "600", "monthly"),
            ("daily", "Repas et transports", "320", "monthly"),
            ("travel", "Billet retour", "160", f"{months[-1]:%Y-%m}")):
        budget.add_line(student, internship, {"category": category, "label": label,
                                              "amount": amount, "timing": timing}, months)
    return 2
