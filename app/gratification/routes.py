"""Simulator page (open to hosts without an account) and the JSON endpoint."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request

from app.errors import DomainError
from app.extensions import limiter
from app.gratification import bp, services
from app.rules.calendar import WEEKDAY_CODES, WEEKDAY_LABELS, ZONES
from app.web.render import render
from app.years.services import rate_on


@bp.get("/simulateur")
@limiter.limit("120 per minute")
def simulator():
    today = date.today()
    result = error = None
    if request.args.get("start") or request.args.get("end"):
        try:
            result = services.run(services.parse(request.args, today))
        except services.ParameterError as err:
            error = err
        except DomainError as err:
            error = services.ParameterError("rate", err.message)
    try:
        default_rate = rate_on(today)
    except DomainError:
        default_rate = None
    return render("gratification/simulator.html", block="simulation", result=result,
                  error=error, args=request.args, default_rate=default_rate,
                  weekdays=list(zip(WEEKDAY_CODES, WEEKDAY_LABELS, strict=False))[:6], zones=ZONES)


@bp.get("/api/v1/gratification")
@limiter.limit("300 per minute")
def api():
    try:
        result = services.run(services.parse(request.args, date.today()))
    except services.ParameterError as err:
        return jsonify(error={"parameter": err.parameter, "message": err.message}), 400
    except DomainError as err:
        return jsonify(error={"parameter": "rate", "message": err.message}), 400
    return jsonify(services.as_json(result))
