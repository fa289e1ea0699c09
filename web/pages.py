"""The pages everyone signed in has: home and key dates, their teams' bulletins week by
week with search, and their own data."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from sqlalchemy import select

from bulletins.cycle.search import excused_weeks, key_dates_ahead, search_bulletins
from bulletins.db.models import Cohort, Person, Team
from bulletins.rights.export import person_data, to_json
from evaluation.campaigns import is_open, survey_of
from evaluation.campaigns.asked import surveys_asked
from evaluation.facts.indicators import team_indicators
from evaluation.facts.sheets import current_facts
from web.auth import signed_in
from web.downloads import download
from web.services import services, today

pages = Blueprint("pages", __name__)

MAX_WORDS = 200  # characters searched for: a longer query is a mistake, not a search
SHOWN = 200  # bulletins on one page, newest first


def _words() -> str:
    return (request.args.get("q") or "").strip()[:MAX_WORDS]


def _readable_teams() -> list[Team]:
    """The teams the viewer may read: staff, every team of every cohort (the latest
    cohort's first); others, their own."""
    with services().sessions() as db:
        query = select(Team).join(Team.cohort).order_by(Cohort.starts_on.desc(), Team.name)
        if not g.viewer.staff:
            query = query.where(Team.id.in_(g.viewer.team_ids))
        teams = list(db.scalars(query))
        db.expunge_all()
    return teams


@pages.get("/")
def home():
    if g.viewer is None:
        return render_template("welcome.html", expired=g.get("expired", False))
    found = services()
    now = found.clock()
    with found.sessions() as db:
        dates = key_dates_ahead(db, g.viewer.team_ids, today().date())
        asked = [
            (
                survey_of(campaign).title.get(g.locale),
                finished,
                is_open(campaign, now),
                found.calendar.local(campaign.closes_at),
            )
            for campaign, finished in surveys_asked(db, g.viewer.person_id)
        ]
        db.expunge_all()
    return render_template("home.html", key_dates=dates, asked=asked)


@pages.get("/bulletins")
@signed_in
def search():
    """Words across every bulletin the viewer may read."""
    teams = _readable_teams()
    words = _words()
    with services().sessions() as db:
        found = search_bulletins(db, [team.id for team in teams], words, limit=SHOWN)
        db.expunge_all()
    return render_template(
        "search.html", teams=teams, words=words, bulletins=found, more=len(found) == SHOWN
    )


@pages.get("/teams/<int:team_id>")
@signed_in
def team(team_id: int):
    """One team's bulletins week by week, searchable; only for those who may read them."""
    if not g.viewer.can_read(team_id):
        abort(404)  # as for a team that does not exist: no hint of who is there
    words = _words()
    with services().sessions() as db:
        found = db.get(Team, team_id)
        if found is None:
            abort(404)
        bulletins = search_bulletins(db, [team_id], words)
        excuses = [] if words else excused_weeks(db, [team_id])
        facts = current_facts(db, [team_id])[team_id]
        indicators = team_indicators(db, found)
        db.expunge_all()
    return render_template(
        "team.html",
        team=found,
        words=words,
        bulletins=bulletins,
        excuses=excuses,
        facts=facts,
        indicators=indicators,
    )


@pages.get("/me")
@signed_in
def me():
    return render_template("me.html")


@pages.get("/me/data.json")
@signed_in
def my_data():
    """Everything the product holds about the viewer (their right of access)."""
    with services().sessions() as db:
        data = person_data(db, db.get(Person, g.viewer.person_id))
    return download(to_json(data), "my-data.json", "application/json")
