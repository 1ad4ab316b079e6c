"""The budget planner: the student enters expected costs; the income is what the intranet
computes (the gratification month by month, the grants' payments); the tutor reads it when
the student shares it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app import links
from app.accounts.models import User
from app.budget.models import BudgetLine, BudgetPlan
from app.errors import DomainError
from app.extensions import db
from app.grants.models import GrantApplication
from app.internships.models import Internship
from app.notifications.services import notify
from app.rules import budget as rules
from app.rules.formatting import de, month_text, parse_euros

MAX_LINES = 60
MAX_AMOUNT = Decimal("99999.99")


def plan_of(internship: Internship) -> BudgetPlan | None:
    return db.session.get(BudgetPlan, internship.id)


def _tutor(internship: Internship) -> User | None:
    from app.tutoring.services import tutor_of

    return tutor_of(internship.student, internship.academic_year)


def can_edit(user: User, internship: Internship) -> bool:
    return user.role == "student" and internship.student_id == user.id


def can_view(user: User, internship: Internship) -> bool:
    """The student; their current tutor once the student shares it. Nobody else: a budget
    is private."""
    if can_edit(user, internship):
        return True
    plan = plan_of(internship)
    if plan is None or not plan.shared_with_tutor or user.role != "teacher":
        return False
    tutor = _tutor(internship)
    return tutor is not None and tutor.id == user.id


def _plan_for_writing(student: User, internship: Internship) -> BudgetPlan:
    if not can_edit(student, internship):
        raise DomainError(_("Ce budget n’est pas le vôtre."))
    plan = plan_of(internship)
    if plan is None:
        plan = BudgetPlan(internship_id=internship.id)
        db.session.add(plan)
    return plan


def timings(internship: Internship, months: list[date]) -> dict[str, str]:
    """When a cost may fall: before departure, every month, or one month of the stay."""
    out = {rules.BEFORE: "Avant le départ", rules.EVERY_MONTH: "Chaque mois du stage"}
    out.update({rules.month_key(m): month_text(m) for m in months})
    return out


def add_line(student: User, internship: Internship, data: dict, months: list[date]
             ) -> BudgetLine:
    plan = _plan_for_writing(student, internship)
    category = data.get("category")
    if category not in rules.CATEGORIES:
        raise DomainError(_("Choisissez le poste de dépense."), "category")
    label = (data.get("label") or "").strip()
    if len(label) > 120:
        raise DomainError(_("Détail : 120 caractères au plus."), "label")
    amount = parse_euros(str(data.get("amount") or ""))
    if amount is None or not Decimal(0) < amount <= MAX_AMOUNT:
        raise DomainError(_("Montant : un nombre d’euros de plus de 0, par exemple 450 ou "
                            "450,50."), "amount")
    timing = data.get("timing")
    if timing not in timings(internship, months):
        raise DomainError(_("Choisissez quand la dépense tombe."), "timing")
    if len(plan.lines) >= MAX_LINES:
        raise DomainError(_("Un budget compte au plus %(lines)s lignes : regroupez-en.",
                          lines=MAX_LINES))
    line = BudgetLine(category=category, label=label or None,
                      amount=amount.quantize(Decimal("0.01")), timing=timing)
    plan.lines.append(line)
    db.session.commit()
    return line


def remove_line(student: User, internship: Internship, line_id: int) -> None:
    plan = _plan_for_writing(student, internship)
    line = next((x for x in plan.lines if x.id == line_id), None)
    if line is None:
        raise DomainError(_("Cette ligne n’existe plus : le budget a été rechargé."))
    plan.lines.remove(line)
    db.session.commit()


def share(student: User, internship: Internship, shared: bool) -> BudgetPlan:
    plan = _plan_for_writing(student, internship)
    was = plan.shared_with_tutor
    plan.shared_with_tutor = shared
    if shared and not was:
        notify([_tutor(internship)], f"{student.full_name} partage avec vous le budget "
                                     f"de son stage.",
               links.path("budget.show", internship_id=internship.id))
    db.session.commit()
    return plan


@dataclass
class View:
    months: list[rules.Month]
    gratification: list[tuple[date, Decimal]]
    income: Decimal
    costs: Decimal
    balance: Decimal
    lines: list[BudgetLine]
    pending_grants: list[GrantApplication]
    shared: bool
    agreed: bool


def view(internship: Internship, today: date) -> View:
    """The plan as the page shows it, computed from the internship's own figures."""
    from app.internships.services import gratification_of

    result = gratification_of(internship, today)
    gratification = rules.gratification_by_month(
        result.months, internship.agreed_amount, internship.agreed_unit, result.due,
        binding=not internship.is_abroad)
    applications = list(db.session.execute(select(GrantApplication).where(
        GrantApplication.internship_id == internship.id,
        GrantApplication.status.in_(("granted", "submitted")))).scalars())
    grants = [(f"{a.programme.name} — {p.label}", p.due_on, p.amount)
              for a in applications if a.status == "granted" for p in a.payments]
    plan = plan_of(internship)
    lines = list(plan.lines) if plan else []
    costs = [rules.Cost(x.category, x.label or "", Decimal(x.amount), x.timing) for x in lines]
    months = rules.plan(internship.start_date, gratification, grants, costs)
    income, spent, balance = rules.totals(months)
    return View(months, gratification, income, spent, balance, lines,
                [a for a in applications if a.status == "submitted"],
                bool(plan and plan.shared_with_tutor), internship.agreed_amount is not None)


def who(internship: Internship) -> str:
    return f"Budget du stage {de(internship.student.full_name)}"
