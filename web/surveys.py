"""The programme team's survey pages: the campaigns and their progress, launching a survey,
a campaign's results and its open data, as ``bulletins survey`` gives them."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from bulletins.errors import BulletinsError
from bulletins.people import UnknownCohort, find_cohort
from evaluation.campaigns import (
    CampaignExists,
    NobodyToInvite,
    UnknownSurvey,
    available_surveys,
    campaigns,
    counts,
    find_survey,
    is_open,
    launch,
)
from evaluation.results.document import result_blocks
from evaluation.results.export import open_answers
from evaluation.results.tally import UnknownCampaign, campaign_results, find_campaign
from evaluation.snapshot.files import file_stem
from web.auth import staff_only
from web.downloads import download
from web.i18n import gettext as _
from web.services import services

log = logging.getLogger(__name__)

surveys = Blueprint("surveys", __name__)


@surveys.get("/surveys")
@staff_only
def listing():
    found = services()
    now = found.clock()
    with found.sessions() as db:
        rows = [
            (c.key, c.anonymous, counts(db, c), is_open(c, now), found.calendar.local(c.closes_at))
            for c in campaigns(db)
        ]
    offered = sorted(
        (survey_id, survey.title.get(g.locale))
        for survey_id, survey in available_surveys(found.settings).items()
    )
    return render_template("surveys.html", campaigns=rows, surveys=offered)


@surveys.post("/surveys/launch")
@staff_only
def start():
    """Launch a survey now, as ``bulletins survey launch``: one invitation to each person of
    its audience, never twice (a survey runs once per cohort, or per month and cohort)."""
    found = services()
    survey_id = request.form.get("survey", "")
    cohort_name = request.form.get("cohort", "").strip()
    try:
        survey = find_survey(found.settings, survey_id)
        with found.sessions.begin() as db:
            cohort = find_cohort(db, cohort_name) if cohort_name else None
            campaign = launch(
                db, survey, cohort=cohort, now=found.clock(),
                calendar=found.calendar, settings=found.settings,
            )  # fmt: skip
            key, invited = campaign.key, counts(db, campaign).invited
    except UnknownSurvey:
        flash(("error", _("Choose one of the surveys listed.")))
    except UnknownCohort:
        flash(("error", _("No cohort is called “%(name)s”.", name=cohort_name)))
    except (CampaignExists, IntegrityError):
        again = _("This survey was already launched for this cohort: nothing was sent again.")
        flash(("error", again))
    except NobodyToInvite:
        flash(("error", _("Nobody to invite to this survey today: nothing was launched.")))
    except BulletinsError as error:
        flash(("error", str(error)))
    else:
        log.info("%s launched %s from the console", g.viewer.slack_user_id, key)
        flash(("done", _("Launched %(key)s; invitations sent: %(num)s.", key=key, num=invited)))
    return redirect(url_for("surveys.listing"))


def _campaign(db, key: str):
    try:
        return find_campaign(db, None, key)
    except UnknownCampaign:
        abort(404)


@surveys.get("/surveys/<path:key>/results")
@staff_only
def results(key: str):
    """A campaign's results as ``bulletins survey results`` gives them: the same figures,
    the same groups withheld under the anonymity threshold."""
    found = services()
    with found.sessions() as db:
        campaign = _campaign(db, key)
        blocks = result_blocks(campaign_results(db, campaign, found.settings.anonymity_k), g.locale)
    return render_template("results.html", key=key, blocks=blocks)


@surveys.get("/surveys/<path:key>/answers.csv")
@staff_only
def answers(key: str):
    """The anonymized answers as open data, as ``bulletins survey results --format csv``."""
    found = services()
    with found.sessions() as db:
        exported = open_answers(db, _campaign(db, key), found.settings.anonymity_k)
    return download(exported.csv, f"{file_stem(key)}.csv", "text/csv")
