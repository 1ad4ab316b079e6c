"""The English part of the convention for a host abroad (RULES.md §5): the same parties and
the same articles as the French one, which prevails; document.py puts it after the French
articles and before the signatures, so that both parts are signed once."""
from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer

from app.conventions import document as fr
from app.conventions.document import BLANK, P, S, _e, _free_text, _label, _or_blank

TITLES = (
    "Purpose of the agreement",
    "Dates and time of presence",
    "Activities and skills to acquire",
    "Supervision",
    "Gratification (intern pay) and payment",
    "Social protection",
    "Leave and authorised absences",
    "Suspension and termination",
    "Validation of an interrupted internship",
    "Benefits",
    "Internal rules and discipline",
    "Confidentiality and intellectual property",
    "Internship certificate",
    "Declaration",
    "Applicable law and disputes",
)


def _article(n: int, body: list[Flowable]) -> list[Flowable]:
    return [CondPageBreak(2.5 * cm), P(f"Article {n} — {TITLES[n - 1]}", "article"), *body]


def title(d: fr.ConventionDoc) -> list[Flowable]:
    return [PageBreak(), fr._title_block([
        P(_e(d.school_name), "subtitle"),
        P("INTERNSHIP AGREEMENT — ENGLISH VERSION", "title"),
        P(f"No. {_e(d.number)} — academic year {_e(d.year_label)}", "subtitle"),
        P("French Education Code, articles L124-1 to L124-20 and D124-1 to D124-9. This "
          "translation is given to the host organisation; the French version above prevails.",
          "note"),
    ]), Spacer(1, 0.3 * cm)]


def parties(d: fr.ConventionDoc) -> list[Flowable]:
    where = _e(d.host_address) + (f", {_e(d.host_country)}" if d.host_country else "")
    identifier_label = ("Identifier (register of the country)" if d.abroad
                        else "SIRET")
    group = f", group {_e(d.student_group)}" if d.student_group else ""
    return [
        P("Between the undersigned", "section"),
        P("The school", "party"),
        P(f"<b>{_e(d.school_name)}</b> — {_e(d.department)}<br/>{_e(d.school_address)}<br/>"
          f"represented by {_or_blank(d.school_representative)}, head of department, acting "
          "on behalf of the school,", "party_body"),
        P("hereinafter “the school”;", "party_body"),
        P("The host organisation", "party"),
        P(f"<b>{_e(d.host_name)}</b><br/>{where}<br/>{identifier_label}: "
          f"{_or_blank(d.host_identifier)}<br/>represented by "
          f"{_or_blank(d.host_representative)}, as {_or_blank(d.host_representative_position)},",
          "party_body"),
        P("hereinafter “the host organisation”;", "party_body"),
        P("The student", "party"),
        P(f"<b>{_e(d.student_name)}</b>, enrolled in {_e(d.student_cohort)}{group} of the "
          f"programme {_e(d.programme_title)}<br/>email: {_e(d.student_email)},", "party_body"),
        P("hereinafter “the student”.", "party_body"),
        Spacer(1, 0.2 * cm),
        P("The parties have agreed as follows.", "left"),
    ]


def articles(d: fr.ConventionDoc) -> list[Flowable]:
    story: list[Flowable] = []
    story += _article(1, [
        P("This agreement governs the relations between the school, the host organisation and "
          "the student for the internship described below, under articles L124-1 et seq. and "
          "D124-1 et seq. of the French Education Code."),
        P("The internship is a temporary period in a professional environment during which the "
          "student acquires professional skills and applies what the programme taught, towards "
          f"the degree. It is an integral part of the programme <b>{_e(d.programme_title)}</b>, "
          f"whose yearly teaching volume is <b>{_e(d.programme_hours)}</b> (as stated in "
          "French)."),
        P(f"<b>Subject of the internship (as stated in French):</b> {_e(d.subject)}", "left"),
    ])
    special = (f"Presence at night, on Sundays or public holidays (as stated in French): "
               f"{_e(d.special_hours)}." if d.special_hours else
               "No presence at night or on Sundays is planned.")
    holidays = ("Public holidays during the internship are worked and counted above."
                if d.holidays_worked else
                "Public holidays are not worked and are deducted from the presence above.")
    story += _article(2, [
        P(f"The internship runs from <b>{_e(d.start_date)}</b> to <b>{_e(d.end_date)}</b> "
          f"(dates as written in French; duration: {_e(d.duration)})."),
        P(f"The student's total effective presence at the host organisation is "
          f"<b>{d.presence_days} days</b>, i.e. <b>{_e(d.presence_hours)}</b> (seven hours of "
          "presence count as one day). It may not exceed six months, i.e. 924 hours, per host "
          "organisation and academic year (article L124-5)."),
        P(f"Weekly presence: <b>{_e(d.weekly_hours)}</b>, {_e(d.work_days)}, "
          f"{_e(d.daily_hours)} a day (as written in French). The schedule is annexed."),
        P(f"{special} {holidays}"),
        P("The host organisation's rules on maximum daily and weekly presence, daily and weekly "
          "rest and public holidays apply to the student (article L124-14)."),
    ])
    body3: list[Flowable] = [P("Activities entrusted (as written in French)", "label"),
                             *_free_text(d.activities),
                             *_label("Skills to acquire or develop"), *_free_text(d.skills)]
    objectives = [o for o in d.objectives if o and o.strip()]
    if objectives:
        body3 += _label("Objectives of the internship")
        for n, objective in enumerate(objectives, 1):
            body3.append(Paragraph(_e(objective), S["bullet"], bulletText=f"{n}."))
    body3.append(P("The activities are consistent with the programme and the skills it aims "
                   "at; they may only be changed by an amendment."))
    story += _article(3, body3)
    tutor = ", ".join(_e(x) for x in (d.host_tutor_name, d.host_tutor_position) if x)
    contact = " — ".join(_e(x) for x in (d.host_tutor_email, d.host_tutor_phone) if x)
    story += _article(4, [
        P(f"The host organisation's tutor: <b>{tutor or BLANK}</b>"
          + (f"<br/>{contact}" if contact else "") + "<br/>The tutor welcomes the student, "
          "organises the activities and ensures the educational terms of this agreement are "
          "respected.", "left"),
        P(f"The academic tutor appointed by the school: <b>{_or_blank(d.academic_tutor_name)}"
          "</b><br/>The academic tutor follows the internship and ensures it is consistent "
          "with the programme.", "left"),
        *_label("Supervision arrangements (as written in French)"),
        *_free_text(d.supervision),
        P("Any difficulty during the internship is reported without delay to the academic "
          "tutor and to the school."),
    ])
    body5: list[Flowable] = [P(
        "Under French law a gratification is due when the presence exceeds two months in the "
        "academic year (more than 44 days, i.e. 308 hours). The host organisation being "
        "abroad, the French legal minimum does not bind it; it is given as information"
        + (f": {_e(d.legal_minimum)} (French figures)." if d.legal_minimum else "."))]
    body5.append(P(f"<b>Agreed gratification (as written in French):</b> {_e(d.gratification)}."))
    if d.host_country_rule:
        body5.append(P(f"<b>Rule of the host country ({_e(d.host_country)}), for information:"
                       f"</b> {_e(d.host_country_rule)}"))
    body5 += [*_label("Payment terms (as written in French)"), *_free_text(d.payment_terms),
              P("The gratification is not a salary. If the agreement is suspended or "
                "terminated, it is due pro rata to the effective presence. Expenses incurred "
                "by the student for the internship are refunded under the host organisation's "
                "rules.")]
    story += _article(5, body5)
    story += _article(6, [
        *_free_text(d.social_protection, "body"),
        P("The student keeps their French social security scheme. In the event of an accident "
          "during the internship or on the way, the host organisation informs the school "
          "without delay. The student holds a civil liability insurance."),
        P("Before leaving, the student checks their health cover, takes out a repatriation "
          "insurance and registers on « Ariane », the travel service of the French Ministry "
          "for Foreign Affairs."),
    ])
    story += _article(7, [
        *_free_text(d.leave_conditions, "body"),
        P("The student is entitled to leave and authorised absences equivalent to those of "
          "employees for pregnancy, paternity or adoption (article L124-13). The student may be "
          "absent for the classes, examinations and defences of the programme. Any other "
          "absence is reported to the host organisation and to the school."),
    ])
    story += _article(8, [
        P("Any party may suspend or end the internship early, in particular for a serious "
          "breach of another party's obligations or for a compelling reason, after informing "
          "the other parties and, where possible, discussing it with them. The decision is "
          "notified in writing with its effective date."),
        P("Any suspension, interruption, extension or change of the terms of this agreement is "
          "the subject of an amendment signed by the parties."),
    ])
    story += _article(9, [
        P("When the internship is interrupted because of illness, accident, pregnancy, "
          "paternity or adoption, or, with the school's agreement, because the educational "
          "terms of this agreement were not respected or the host organisation ended it, the "
          "school validates the internship even if it did not reach its planned length, or "
          "offers the student another way of validating the programme. The end of the "
          "internship may be postponed by an amendment."),
    ])
    story += _article(10, [
        P("The student has access to the staff restaurant or meal vouchers under the same "
          "conditions as the host organisation's employees, and to the payment of transport "
          "costs (article L124-13)."),
        *_label("Benefits (as written in French)"), *_free_text(d.benefits),
    ])
    story += _article(11, [
        P("The student follows the host organisation's rules on discipline, working hours, "
          "health and safety; its internal rules are made known to the student on arrival."),
        P("Only the school may take a disciplinary measure against the student; the host "
          "organisation informs it of any breach and provides the facts."),
    ])
    story += _article(12, [
        P("The student undertakes not to disclose, during and after the internship, "
          "information learnt during it and marked as confidential. The report and the "
          "defence respect this confidentiality; the host organisation may ask that they are "
          "not circulated."),
        P("When the student creates during the internship a work protected by French "
          "intellectual property law, any use by the host organisation requires the student's "
          "agreement; any transfer of rights is the subject of a separate written contract."),
    ])
    story += _article(13, [
        P("At the end of the internship, the host organisation gives the student an "
          "internship certificate stating the total effective length of the internship and "
          "the total gratification paid (article D124-9). The school sends a pre-filled model, "
          "which the host organisation completes, signs and gives to the student."),
    ])
    story += _article(14, [
        P("An internship is not a job (article L124-7). The host organisation declares that the "
          "student is not taken on to perform a regular task of a permanent post, to meet a "
          "temporary increase in activity, to hold a seasonal job or to replace an absent "
          "employee or one whose contract is suspended."),
    ])
    story += _article(15, [
        P("This agreement is governed by French law, which the host organisation, located "
          "abroad, accepts. The parties seek an amicable solution to any dispute; failing "
          "that, it is brought before the competent French court."),
    ])
    return story


def part(d: fr.ConventionDoc) -> list[Flowable]:
    """The whole English part: title, parties, articles."""
    return [*title(d), *parties(d), *articles(d)]
