"""``bulletins tick`` from the browser: every scheduled job due now, run once by the serving
process. The jobs are idempotent, so running them again sends nothing twice."""

from __future__ import annotations

import logging

from flask import Blueprint, g, render_template

from bulletins.errors import BulletinsError
from web.auth import staff_only
from web.services import services

log = logging.getLogger(__name__)

jobs = Blueprint("jobs", __name__)


@jobs.get("/jobs")
@staff_only
def form():
    return render_template("jobs.html", runs=None, error=None, available=_available())


@jobs.post("/jobs")
@staff_only
def run():
    """Run the jobs due now, as ``bulletins tick`` does, and list each one's outcome."""
    run_jobs = services().run_jobs
    if run_jobs is None:
        return render_template("jobs.html", runs=None, error=None, available=False), 404
    try:
        runs = list(run_jobs())
    except BulletinsError as error:
        return render_template("jobs.html", runs=None, error=str(error), available=True), 503
    failed = [outcome.name for outcome in runs if outcome.error]
    log.info("%s ran the jobs due from the console; %d failed", g.viewer.slack_user_id, len(failed))
    return render_template("jobs.html", runs=runs, failed=failed, error=None, available=True)


def _available() -> bool:
    return services().run_jobs is not None
