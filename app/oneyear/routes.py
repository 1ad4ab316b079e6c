from __future__ import annotations

from app.extensions import limiter
from app.oneyear import bp, services
from app.oneyear.forms import OneYearForm
from app.web.actions import action
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
        with action(form) as act:
            services.answer(survey, form.data)
        if isinstance(act.failure, services.AlreadyAnswered):  # the link sent twice at once
            return render("oneyear/refused.html", message=act.failure.message, status=409)
        if act.ok:
            return render("oneyear/thanks.html", consent=survey.consent)
    return render("oneyear/form.html", form=form, survey=survey, i=survey.internship,
                  token=token)
