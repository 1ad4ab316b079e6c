from __future__ import annotations

from app.errors import DomainError
from app.extensions import db, limiter
from app.oneyear import bp, services
from app.oneyear.forms import OneYearForm
from app.web.render import render


@bp.route("/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def answer(token: str):
    """The questionnaire, opened from the emailed link: no account needed."""
    try:
        survey = services.survey_for_token(token)
    except services.LinkRefused as err:
        return render("oneyear/refused.html", message=err.message, status=410)
    form = OneYearForm()
    if form.validate_on_submit():
        try:
            services.answer(survey, form.data)
        except services.AlreadyAnswered as err:  # the same link sent twice at once
            return render("oneyear/refused.html", message=err.message, status=409)
        except DomainError as err:
            db.session.rollback()
            form.attach(err)
        else:
            return render("oneyear/thanks.html", consent=survey.consent)
    return render("oneyear/form.html", form=form, survey=survey, i=survey.internship,
                  token=token)
