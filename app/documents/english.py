"""The English version of the convention, for a host abroad (RULES.md §5: the host signs a
bilingual version): the same parties and articles, the facts in English, the free texts as
written."""
from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer

from app.documents.data import ConventionDoc
from app.documents.layout import (
    NB,
    P,
    S,
    _e,
    _free_text,
    _label,
    _or_blank,
    _title_block,
    _typo,
)

ARTICLE_TITLES_EN = (
    "Purpose of the agreement",
    "Dates and length of presence",
    "Activities and skills to be acquired",
    "Supervision",
    "Gratification and terms of payment",
    "Social protection",
    "Leave and authorised absences",
    "Suspension and termination",
    "Validation of the internship if interrupted",
    "Benefits",
    "Internal rules and discipline",
    "Confidentiality and intellectual property",
    "Certificate of internship",
    "Declaration",
    "Applicable law and disputes",
)


def _article_en(n: int, body: list[Flowable]) -> list[Flowable]:
    heading = P(f"Article{NB}{n} — {ARTICLE_TITLES_EN[n - 1]}", "article")
    return [CondPageBreak(2.5 * cm), heading, *body]


def _as_written(text: str | None) -> list[Flowable]:
    """A free text of the French version, reproduced as the parties wrote it."""
    return [P("<i>As written in the French version:</i>", "left"), *_free_text(text)]


def _english_part(d: ConventionDoc) -> list[Flowable]:
    """The English version: the same parties and the same fifteen articles as the French one,
    with the facts in English; the French version prevails."""
    en = d.english
    host_where = f"{_e(d.host_address)}, {_e(en.host_country)}"
    group = f", group {_e(d.student_group)}" if d.student_group else ""
    story: list[Flowable] = [
        PageBreak(),
        _title_block([P("INTERNSHIP AGREEMENT — ENGLISH VERSION", "title"),
                      P(f"No. {_e(d.number)} — academic year {_e(d.year_label)}", "subtitle"),
                      P("Translation of the French agreement above, which prevails in case of "
                        "discrepancy (French Education Code, articles L124-1 to L124-20 and "
                        "D124-1 to D124-9).", "note")]),
        Spacer(1, 0.3 * cm),
        P("Between the undersigned", "section"),
        P("The educational institution", "party"),
        P(f"<b>{_e(d.school_name)}</b> — {_e(d.department)}<br/>"
          f"{_e(', '.join(filter(None, [d.school_address, 'France'])))}<br/>represented by "
          f"{_or_blank(d.school_representative)}, head of department, "
          "acting on behalf of the institution,", "party_body"),
        P("hereinafter “the institution”;", "party_body"),
        P("The host organisation", "party"),
        P(f"<b>{_e(d.host_name)}</b><br/>{host_where}<br/>"
          f"Registration number (host country): {_or_blank(d.host_identifier)}<br/>"
          f"represented by {_or_blank(d.host_representative)}, acting as "
          f"{_or_blank(d.host_representative_position)},", "party_body"),
        P("hereinafter “the host organisation”;", "party_body"),
        P("The student", "party"),
        P(f"<b>{_e(d.student_name)}</b>, enrolled in {_e(d.student_cohort)}{group} of the "
          f"programme {_e(d.programme_title)}<br/>email: {_e(d.student_email)},", "party_body"),
        P("hereinafter “the student”.", "party_body"),
        Spacer(1, 0.2 * cm),
        P("The parties have agreed as follows.", "left"),
    ]
    story += _article_en(1, [
        P("This agreement governs the relations between the institution, the host organisation "
          "and the student for the internship described below, under articles L124-1 et seq. "
          "and D124-1 et seq. of the French Education Code."),
        P("The internship is a temporary period of professional practice during which the "
          "student acquires professional skills and applies what they have learnt in view of "
          "their degree. It is an integral part of the programme "
          f"<b>{_e(d.programme_title)}</b>, whose annual teaching volume is "
          f"<b>{_e(en.programme_hours)}</b>."),
        P(f"<b>Subject of the internship:</b> {_e(d.subject)}", "left"),
    ])
    special = ("Presence at night, on Sundays or on public holidays: "
               f"{_e(d.special_hours)}." if d.special_hours else
               "No presence at night or on Sundays is planned.")
    holidays = ("Public holidays during the internship are worked; they are counted in the "
                "presence above." if d.holidays_worked else
                "Public holidays are not worked; they are deducted from the presence above.")
    story += _article_en(2, [
        P(f"The internship runs from <b>{_e(en.start_date)}</b> to <b>{_e(en.end_date)}</b>, "
          f"that is {_e(en.duration)}."),
        P("The student’s total effective presence in the host organisation is "
          f"<b>{d.presence_days} day{'s' if d.presence_days != 1 else ''}</b>, that is "
          f"<b>{_e(en.presence_hours)}</b> (seven hours of presence count as one day). It may "
          "not exceed six months, that is 924 hours, per host organisation and per academic "
          "year (article L124-5)."),
        P(f"Weekly presence: <b>{_e(en.weekly_hours)}</b>, {_e(en.work_days)}, "
          f"{_e(en.daily_hours)} a day. The timetable is annexed."),
        P(f"{special} {holidays}"),
        P("The host organisation’s rules on maximum daily and weekly presence, daily and weekly "
          "rest and public holidays apply to the student (article L124-14)."),
    ])
    body3 = [P("Activities entrusted", "label"), *_as_written(d.activities),
             *_label("Skills to be acquired or developed"), *_as_written(d.skills)]
    objectives = [o for o in d.objectives if o and o.strip()]
    if objectives:
        body3 += _label("Objectives of the internship (as written)")
        for n, objective in enumerate(objectives, 1):
            body3.append(Paragraph(_typo(_e(objective)), S["bullet"], bulletText=f"{n}."))
    body3.append(P("The activities are consistent with the programme and the skills it aims "
                   "at; they may only be changed by an amendment."))
    story += _article_en(3, body3)
    tutor = f"<b>{_e(d.host_tutor_name)}</b>" + (
        f", {_e(d.host_tutor_position)}" if d.host_tutor_position else "")
    contact = " — ".join(_e(x) for x in (d.host_tutor_email, d.host_tutor_phone) if x)
    story += _article_en(4, [
        P(f"The host organisation’s tutor: {tutor}" + (f"<br/>{contact}" if contact else "")
          + "<br/>The tutor welcomes the student, organises their activities and ensures that "
          "the educational terms of this agreement are respected.", "left"),
        P(f"The academic tutor appointed by the institution: <b>{_e(d.academic_tutor_name)}</b>"
          "<br/>The academic tutor follows the internship and ensures its consistency with "
          "the programme.", "left"),
        *_label("Supervision arrangements"), *_as_written(d.supervision),
        P("Any difficulty arising during the internship is reported without delay to the "
          "academic tutor and to the institution."),
    ])
    body5 = [P(f"<b>Agreed gratification:</b> {_e(en.gratification)}."),
             P("The host organisation being located abroad, the French legal minimum "
               "gratification does not bind it" + (
                   f"; it is given for information: {_e(en.legal_minimum)}."
                   if en.legal_minimum else ".")),
             P(_e(en.host_rule)),
             *_label("Terms of payment"), *_as_written(d.payment_terms),
             P("The gratification is not a salary. If the agreement is suspended or terminated, "
               "it is due in proportion to the effective presence. Expenses incurred by the "
               "student for the internship are reimbursed under the host organisation’s rules.")]
    story += _article_en(5, body5)
    story += _article_en(6, [
        *_as_written(d.social_protection),
        P("The student keeps their French social security scheme. In the event of an accident "
          "to the student during the internship or on the way to it, the host organisation "
          "informs the institution without delay. The student holds an insurance covering "
          "their civil liability."),
        P("Before leaving, the student makes sure of their health cover, takes out a "
          "repatriation insurance and registers with the French foreign ministry’s travel "
          "service « Ariane »."),
    ])
    story += _article_en(7, [
        *_as_written(d.leave_conditions),
        P("The student is entitled to leave and authorised absences equivalent to those of "
          "employees in case of pregnancy, paternity or adoption (article L124-13), and may be "
          "absent for the classes, examinations and defences of the programme. Any other "
          "absence is reported to the host organisation and to the institution."),
    ])
    story += _article_en(8, [
        P("The internship may be suspended or ended early by any party, in particular for a "
          "serious breach by another party or for a compelling reason, after informing the other "
          "parties and, where possible, discussing it with them. The decision is notified in "
          "writing and states when it takes effect."),
        P("Any suspension, interruption, extension or change of the terms of this agreement "
          "requires an amendment signed by the parties."),
    ])
    story += _article_en(9, [
        P("When the internship is interrupted because of illness, accident, pregnancy, "
          "paternity or adoption, or, with the institution’s agreement, because the educational "
          "terms of this agreement were not respected or the host organisation ended it, the "
          "institution validates the internship even if it did not reach its planned length, "
          "or offers the student another way of validating their programme. The end of the "
          "internship may be postponed by an amendment."),
    ])
    story += _article_en(10, [
        P("The student has access to the staff restaurant or meal vouchers on the same terms as "
          "the host organisation’s employees, and to the payment of transport costs "
          "(article L124-13)."),
        *_label("Planned benefits"), *_as_written(d.benefits),
    ])
    body11 = [P("The student is subject to the host organisation’s rules on discipline, working "
                "hours, health and safety.")]
    if d.internal_rules:
        body11 += [*_label("Applicable rules"), *_as_written(d.internal_rules)]
    else:
        body11.append(P("The host organisation’s internal rules are given to the student on "
                        "arrival."))
    body11.append(P("Only the institution may take disciplinary action against the student; "
                    "the host organisation informs it of any breach and provides the facts."))
    story += _article_en(11, body11)
    story += _article_en(12, [
        P("The student undertakes not to disclose, during and after the internship, the "
          "information they learn during it that is marked as confidential. Their report and "
          "defence respect this confidentiality; the host organisation may ask that they are "
          "not published."),
        P("When the student creates during the internship a work protected by the French "
          "Intellectual Property Code, any use by the host organisation requires their consent; "
          "any transfer of rights is the subject of a separate written contract."),
    ])
    story += _article_en(13, [
        P("At the end of the internship, the host organisation gives the student a certificate "
          "of internship stating the total effective length of the internship and the total "
          "gratification paid (article D124-9 of the French Education Code). The institution "
          "sends it a pre-filled model, which the host organisation completes, signs and gives "
          "to the student."),
    ])
    story += _article_en(14, [
        P("The internship is not a job (article L124-7 of the French Education Code). The host "
          "organisation declares that the student is not hosted to perform a regular task "
          "corresponding to a permanent position, to cope with a temporary increase in "
          "activity, to fill a seasonal job, or to replace an absent employee or one whose "
          "contract is suspended."),
    ])
    story += _article_en(15, [
        P("This agreement is governed by French law, which the host organisation, located "
          "abroad, accepts. The parties seek an amicable settlement of any dispute; failing "
          "that, it is brought before the competent French court."),
    ])
    return story
