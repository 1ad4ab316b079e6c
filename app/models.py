"""Every domain's models, imported once so that the metadata (and Alembic) sees them all."""
from app.abroad.models import CountryAdvice, Preparation, YearSetting  # noqa: F401
from app.accounts.models import User  # noqa: F401
from app.applications.models import Application, ApplicationEvent  # noqa: F401
from app.budget.models import BudgetLine, BudgetPlan  # noqa: F401
from app.conventions.models import Amendment, Convention, ConventionEvent  # noqa: F401
from app.defenses.models import Defense, DefenseSession, Unavailability  # noqa: F401
from app.evaluations.models import Evaluation  # noqa: F401
from app.exports.models import ExportJob  # noqa: F401
from app.feedback.models import CountryTip, Debrief, Feedback, GoodPractice, HostProposal  # noqa: F401
from app.figures.models import FiguresSnapshot  # noqa: F401
from app.files.models import StoredFile  # noqa: F401
from app.grants.models import GrantApplication, GrantPayment, GrantProgramme, GrantRate  # noqa: F401,E501
from app.hosts.models import Host, HostContact  # noqa: F401
from app.internships.models import Absence, Internship, InternshipEvent, Objective  # noqa: F401
from app.jobs.models import JobRun  # noqa: F401
from app.notifications.models import Notification, OutboxMail  # noqa: F401
from app.offers.models import Offer  # noqa: F401
from app.oneyear.models import OneYearSurvey  # noqa: F401
from app.tracks.models import Apprenticeship, Project, Team, TeamMember, TeamWish, TrackChange  # noqa: F401
from app.tutoring.models import FollowUp, TutorAssignment, TutorPreference, Volunteer  # noqa: F401
from app.years.models import AcademicYear, GratificationRate  # noqa: F401
