"""The demo's teams' facts sheets: most imported by the programme team (as ``bulletins facts
import`` does, through ``record_facts``), two typed in Slack by a team member with
``/bulletin facts``, through the app's real HTTP endpoint.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot import ids
from bot.demo.filing import WAIT, DemoError, await_view, submit
from bot.demo.sample_facts import TYPED, imported_facts
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import Team, TeamFacts
from evaluation.facts.sheets import record_facts

COUNT_FIELDS = ("people_hired", "trainings_count")


def import_facts(workspace: SlackWorkspace, now: datetime) -> int:
    """Record the imported sheets at ``now``, as an import (no person); returns how many."""
    sheets = imported_facts()
    with workspace.services.sessions.begin() as session:
        teams = {t.name: t for t in session.scalars(select(Team).where(Team.name.in_(sheets)))}
        for name, values in sheets.items():
            record_facts(session, teams[name], None, values, now, source="import")
    return len(sheets)


def type_facts(workspace: SlackWorkspace, user_id: str, team: Team) -> None:
    """Type ``/bulletin facts``, fill in the modal with the team's new values, submit it."""
    since = len(workspace.standin.calls)
    response = workspace.driver.command(user_id, "facts", "/bulletin")
    if response.status != 200:
        raise DemoError(f"/bulletin facts answered HTTP {response.status}: {response.text[:200]}")
    view = await_view(workspace, since, ids.FACTS_VIEW, "/bulletin facts")
    submit(workspace, user_id, view, facts_values(view, TYPED[team.name]))
    _await_typed(workspace, team)


def facts_values(view: dict[str, Any], typed: dict[str, str]) -> dict[str, dict]:
    """Every input of the facts modal, as Slack sends them all: ``typed`` or cleared."""
    values: dict[str, dict] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        name = block["block_id"]
        value: Any = typed.get(name)
        if value is None and name in COUNT_FIELDS:
            value = "0"
        elif value is None and block["element"]["type"] == "plain_text_input":
            value = ""
        values[name] = {ids.input_id(name): value}
    return values


def _await_typed(workspace: SlackWorkspace, team: Team) -> None:
    def recorded() -> bool:
        with workspace.services.sessions() as session:
            query = select(TeamFacts.id).where(
                TeamFacts.team_id == team.id, TeamFacts.recorded_by_id.is_not(None)
            )
            return session.scalar(query) is not None

    try:
        workspace.wait_for(recorded, timeout=WAIT)
    except AssertionError:
        raise DemoError(f"the facts of {team.name} were submitted but not recorded") from None
