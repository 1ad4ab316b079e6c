"""The convention's fifteen articles in French, each from what the convention states."""
from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Paragraph

from app.documents.data import ConventionDoc
from app.documents.layout import NB, P, S, _days, _e, _free_text, _label, _typo

ARTICLE_TITLES = (
    "Objet de la convention",
    "Dates et durée de présence",
    "Activités confiées et compétences à acquérir",
    "Encadrement",
    "Gratification et modalités de versement",
    "Protection sociale",
    "Congés et autorisations d’absence",
    "Suspension et résiliation",
    "Validation du stage en cas d’interruption",
    "Avantages",
    "Règlement intérieur et discipline",
    "Confidentialité et propriété intellectuelle",
    "Attestation de stage",
    "Déclaration",
    "Droit applicable et litiges",
)


def _article(n: int, body: list[Flowable]) -> list[Flowable]:
    heading = P(f"Article{NB}{n} — {ARTICLE_TITLES[n - 1]}", "article")
    return [CondPageBreak(2.5 * cm), heading, *body]


def _purpose(d: ConventionDoc) -> list[Flowable]:
    """Article 1 — Objet."""
    return [
        P("La présente convention règle les rapports entre l’établissement, l’organisme "
          "d’accueil et l’étudiant·e pour le stage décrit ci-dessous, dans le cadre des articles "
          "L124-1 et suivants et D124-1 et suivants du Code de l’éducation."),
        P("Le stage est une période temporaire de mise en situation en milieu professionnel au "
          "cours de laquelle l’étudiant·e acquiert des compétences professionnelles et met en "
          "œuvre les acquis de sa formation en vue de l’obtention de son diplôme. Il fait partie "
          f"intégrante du cursus de la formation <b>{_e(d.programme_title)}</b>, dont le volume "
          f"pédagogique annuel est de <b>{_e(d.programme_hours)}</b>."),
        P(f"<b>Sujet du stage :</b> {_e(d.subject)}", "left"),
    ]


def _dates_and_presence(d: ConventionDoc) -> list[Flowable]:
    """Article 2 — Dates et durée."""
    if d.special_hours:
        special = f"Présence de nuit, le dimanche ou un jour férié : {_e(d.special_hours)}."
    else:
        special = "Aucune présence de nuit ou le dimanche n’est prévue."
    holidays = ("Les jours fériés tombant pendant le stage sont travaillés ; ils sont comptés dans "
                "la présence ci-dessus." if d.holidays_worked else
                "Les jours fériés ne sont pas travaillés ; ils sont déduits de la présence "
                "ci-dessus.")
    return [
        P(f"Le stage se déroule du <b>{_e(d.start_date)}</b> au <b>{_e(d.end_date)}</b>, soit une "
          f"durée de {_e(d.duration)}."),
        P(f"La durée totale de présence effective de l’étudiant·e dans l’organisme d’accueil est "
          f"de <b>{_days(d.presence_days)}</b>, soit <b>{_e(d.presence_hours)}</b> (sept heures "
          "de présence comptent pour un jour). Elle ne peut excéder six mois, soit 924 heures, "
          "par organisme d’accueil et par année d’enseignement (article L124-5)."),
        P(f"Durée hebdomadaire de présence : <b>{_e(d.weekly_hours)}</b>, {_e(d.work_days)}, "
          f"{_e(d.daily_hours)} par jour. L’emploi du temps figure en annexe."),
        P(f"{special} {holidays}"),
        P("Les règles de l’organisme d’accueil relatives aux durées maximales de présence "
          "quotidienne et hebdomadaire, au repos quotidien et hebdomadaire et aux jours fériés "
          "s’appliquent à l’étudiant·e (article L124-14)."),
    ]


def _activities_and_skills(d: ConventionDoc) -> list[Flowable]:
    """Article 3 — Activités et compétences."""
    body: list[Flowable] = [P("Activités confiées", "label"), *_free_text(d.activities),
                             *_label("Compétences à acquérir ou à développer"),
                             *_free_text(d.skills)]
    objectives = [o for o in d.objectives if o and o.strip()]
    if objectives:
        body += _label("Objectifs du stage")
        for n, objective in enumerate(objectives, 1):
            body.append(Paragraph(_typo(_e(objective)), S["bullet"], bulletText=f"{n}."))
    body.append(P("Les activités confiées sont en cohérence avec la formation suivie et les "
                   "compétences qu’elle vise ; elles ne peuvent être modifiées que par avenant."))
    return body


def _supervision(d: ConventionDoc) -> list[Flowable]:
    """Article 4 — Encadrement."""
    tutor_bits = [f"<b>{_e(d.host_tutor_name)}</b>"]
    if d.host_tutor_position:
        tutor_bits.append(_e(d.host_tutor_position))
    contact = " — ".join(_e(x) for x in (d.host_tutor_email, d.host_tutor_phone) if x)
    academic = f"<b>{_e(d.academic_tutor_name)}</b>"
    if d.academic_tutor_email:
        academic += f" ({_e(d.academic_tutor_email)})"
    return [
        P("Le tuteur ou la tutrice de l’organisme d’accueil : " + ", ".join(tutor_bits)
          + (f"<br/>{contact}" if contact else "") + "<br/>Il ou elle accueille l’étudiant·e, "
          "organise ses activités et veille au respect des stipulations pédagogiques de la "
          "présente convention.", "left"),
        P(f"L’enseignant·e référent·e désigné·e par l’établissement : {academic}<br/>Il ou elle "
          "suit le déroulement du stage et s’assure de sa cohérence avec la formation.", "left"),
        *_label("Modalités d’encadrement"),
        *_free_text(d.supervision),
        P("Toute difficulté survenue pendant le stage est signalée sans délai à l’enseignant·e "
          "référent·e et à l’établissement."),
    ]


def _gratification(d: ConventionDoc) -> list[Flowable]:
    """Article 5 — Gratification."""
    body: list[Flowable] = []
    if d.gratification_due:
        body.append(P("La présence de l’étudiant·e dans l’organisme d’accueil dépassant deux mois "
                       "au cours de l’année d’enseignement (plus de 44 jours, soit plus de 308 "
                       "heures, consécutifs ou non), une gratification lui est due dès le premier "
                       "jour du stage (articles L124-6 et D124-6 du Code de l’éducation)."))
    else:
        body.append(P("La présence de l’étudiant·e dans l’organisme d’accueil ne dépassant pas "
                       "deux mois (308 heures ou moins), la gratification n’est pas obligatoire ; "
                       "l’organisme d’accueil peut néanmoins en verser une."))
    body.append(P(f"<b>Gratification convenue :</b> {_e(d.gratification)}."))
    if d.legal_minimum:
        if d.abroad:
            body.append(P("L’organisme d’accueil étant situé à l’étranger, le minimum légal "
                           "français ne s’impose pas à lui ; il est indiqué à titre "
                           f"d’information : {_e(d.legal_minimum)}."))
            if d.english:
                body.append(P(_e(d.english.host_rule_fr)))
        elif d.gratification_due:
            body.append(P(f"Minimum légal (article D124-8) : {_e(d.legal_minimum)}. La "
                           "gratification convenue ne peut lui être inférieure."))
        else:
            body.append(P(f"À titre indicatif, le minimum légal serait de {_e(d.legal_minimum)}."))
    elif d.abroad:
        body.append(P("L’organisme d’accueil étant situé à l’étranger, le minimum légal français "
                       "ne s’impose pas à lui."))
        if d.english:
            body.append(P(_e(d.english.host_rule_fr)))
    body += [
        *_label("Modalités de versement"),
        *_free_text(d.payment_terms),
        P("La gratification n’a pas le caractère d’un salaire. En cas de suspension ou de "
          "résiliation de la convention, elle est due au prorata de la durée de présence "
          "effective. Les frais engagés par l’étudiant·e pour les besoins du stage lui sont "
          "remboursés selon les règles de l’organisme d’accueil."),
    ]
    return body


def _social_protection(d: ConventionDoc) -> list[Flowable]:
    """Article 6 — Protection sociale."""
    body = [*_free_text(d.social_protection, "body"),
             P("L’étudiant·e conserve son régime de sécurité sociale. En cas d’accident "
               "survenant à l’étudiant·e au cours du stage ou du trajet, l’organisme d’accueil "
               "en informe l’établissement sans délai. L’étudiant·e justifie d’une assurance "
               "couvrant sa responsabilité civile.")]
    if d.abroad:
        body.append(P("Pour un stage à l’étranger, l’étudiant·e s’assure avant son départ de "
                       "sa couverture maladie, souscrit une assurance rapatriement et s’inscrit "
                       "sur le service « Ariane » du ministère des Affaires étrangères."))
    return body


def _leave(d: ConventionDoc) -> list[Flowable]:
    """Article 7 — Congés."""
    return [
        *_free_text(d.leave_conditions, "body"),
        P("L’étudiant·e bénéficie de congés et d’autorisations d’absence d’une durée équivalente à "
          "celle prévue pour les salariés en cas de grossesse, de paternité ou d’adoption "
          "(article L124-13). Il ou elle est autorisé·e à s’absenter pour les enseignements, "
          "examens et soutenances prévus par la formation. Toute autre absence est signalée à "
          "l’organisme d’accueil et à l’établissement."),
    ]


def _suspension_and_termination(d: ConventionDoc) -> list[Flowable]:
    """Article 8 — Suspension et résiliation."""
    return [
        P("Le stage peut être suspendu ou interrompu avant son terme par l’une des parties, "
          "notamment en cas de manquement grave d’une autre partie à ses obligations ou pour un "
          "motif impérieux, après information des autres parties et, dans la mesure du possible, "
          "un échange entre elles. La décision est notifiée par écrit et précise sa date d’effet."),
        P("Toute suspension, interruption, prolongation ou modification des termes de la présente "
          "convention fait l’objet d’un avenant signé par les parties."),
    ]


def _validation_if_interrupted(d: ConventionDoc) -> list[Flowable]:
    """Article 9 — Validation en cas d’interruption."""
    return [
        P("Lorsque le stage est interrompu pour un motif lié à la maladie, à un accident, à la "
          "grossesse, à la paternité ou à l’adoption, ou, en accord avec l’établissement, en cas "
          "de non-respect des stipulations pédagogiques de la présente convention ou de rupture à "
          "l’initiative de l’organisme d’accueil, l’établissement valide le stage, même s’il n’a "
          "pas atteint la durée prévue, ou propose à l’étudiant·e une modalité alternative de "
          "validation de sa formation. Un report de la fin du stage peut être convenu par "
          "avenant."),
    ]


def _benefits(d: ConventionDoc) -> list[Flowable]:
    """Article 10 — Avantages."""
    return [
        P("L’étudiant·e a accès au restaurant d’entreprise ou aux titres-restaurant dans les mêmes "
          "conditions que les salariés de l’organisme d’accueil, ainsi qu’à la prise en charge "
          "des frais de transport (article L124-13)."),
        *_label("Avantages prévus"),
        *_free_text(d.benefits),
    ]


def _internal_rules(d: ConventionDoc) -> list[Flowable]:
    """Article 11 — Règlement intérieur."""
    body = [P("L’étudiant·e est soumis·e aux règles de l’organisme d’accueil en matière de "
                "discipline, d’horaires, de santé et de sécurité.")]
    if d.internal_rules:
        body += [*_label("Règles applicables"), *_free_text(d.internal_rules)]
    else:
        body.append(P("Le règlement intérieur de l’organisme d’accueil est porté à la "
                        "connaissance de l’étudiant·e dès son arrivée."))
    body.append(P("Seul l’établissement peut prendre une sanction disciplinaire à l’égard de "
                    "l’étudiant·e ; l’organisme d’accueil l’informe de tout manquement et lui en "
                    "communique les éléments."))
    return body


def _confidentiality(d: ConventionDoc) -> list[Flowable]:
    """Article 12 — Confidentialité."""
    return [
        P("L’étudiant·e s’engage à ne pas divulguer les informations dont il ou elle a "
          "connaissance pendant le stage et qui lui sont signalées comme confidentielles, pendant "
          "le stage et après. Son rapport et sa soutenance respectent cette confidentialité ; "
          "l’organisme d’accueil peut demander qu’ils ne soient pas diffusés."),
        P("Lorsque l’étudiant·e crée pendant le stage une œuvre protégée par le Code de la "
          "propriété intellectuelle, toute utilisation par l’organisme d’accueil suppose son "
          "accord ; une éventuelle cession de droits fait l’objet d’un contrat écrit distinct."),
    ]


def _certificate(d: ConventionDoc) -> list[Flowable]:
    """Article 13 — Attestation."""
    return [
        P("À la fin du stage, l’organisme d’accueil délivre à l’étudiant·e une attestation de "
          "stage mentionnant la durée effective totale du stage et le montant total de la "
          "gratification versée (article D124-9 du Code de l’éducation). L’établissement lui en "
          "adresse un modèle prérempli, que l’organisme complète, signe et remet à l’étudiant·e."),
    ]


def _declaration(d: ConventionDoc) -> list[Flowable]:
    """Article 14 — Déclaration."""
    return [
        P("Le stage n’est pas un emploi (article L124-7 du Code de l’éducation). L’organisme "
          "d’accueil déclare que l’étudiant·e n’est accueilli·e ni pour exécuter une tâche "
          "régulière correspondant à un poste de travail permanent, ni pour faire face à un "
          "accroissement temporaire de son activité, ni pour occuper un emploi saisonnier, ni "
          "pour remplacer un salarié ou un agent absent ou dont le contrat est suspendu."),
    ]


def _applicable_law(d: ConventionDoc) -> list[Flowable]:
    """Article 15 — Droit applicable."""
    return [
        P("La présente convention est régie par le droit français"
          + (", que l’organisme d’accueil, situé à l’étranger, accepte" if d.abroad else "")
          + ". Les parties recherchent une solution amiable à tout différend ; à défaut, il est "
          "porté devant la juridiction française compétente."),
    ]


_ARTICLE_BODIES = (
    _purpose, _dates_and_presence, _activities_and_skills, _supervision, _gratification,
    _social_protection, _leave, _suspension_and_termination, _validation_if_interrupted, _benefits,
    _internal_rules, _confidentiality, _certificate, _declaration, _applicable_law,
)


def _articles(d: ConventionDoc) -> list[Flowable]:
    """The fifteen articles, each with the heading of ``ARTICLE_TITLES``."""
    story: list[Flowable] = []
    for n, body in enumerate(_ARTICLE_BODIES, 1):
        story += _article(n, body(d))
    return story
