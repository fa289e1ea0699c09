"""The teams' facts as an open-data CSV (``team-facts.csv``) with its Table Schema, titled
and described in French as schema.data.gouv.fr publishes them.

One row per team of the cohort, by name, as its facts sheet stood at the snapshot's moment.
The number of people hired is left out, and so is the sheet's free note: per team, they
would be about named people. Lists (links, topics) are separated by `` | ``. UTF-8,
comma-separated, as data.gouv.fr recommends.
"""

from __future__ import annotations

from bulletins.cycle.export import safe_csv
from bulletins.db.models import ToolStatus
from bulletins.i18n import gettext
from evaluation.results.fields import TABLE_SCHEMA
from evaluation.snapshot.facts_section import FactsPart, TeamFactsRow

LOCALE = "fr"  # the open-data portal's language
SEPARATOR = " | "
LINKS = 'Web links, separated by " | ".'


def _fields() -> list[tuple[str, str, str, dict]]:
    """(name, title, description, type and constraints) of each column, in order."""
    statuses = [status.value for status in ToolStatus]
    return [
        ("team", "Team (challenge)", "The team's name in the cohort.", {"type": "string"}),
        ("administration", "Host administration", "The administration hosting the team.",
         {"type": "string"}),
        ("recorded_on", "Facts recorded on",
         "The day the facts sheet used was recorded; empty when the team had none.",
         {"type": "date"}),
        ("tool_status", "Tool status",
         "in_production: running in the administration; planned: with a planned date; "
         "abandoned; unknown: not declared.",
         {"type": "string", "constraints": {"enum": statuses}}),
        ("tool_planned_on", "Planned production date",
         "For a planned tool, the day it is planned to go into production.", {"type": "date"}),
        ("repositories", "Public code repositories", LINKS, {"type": "string"}),
        ("libraries", "Libraries published", LINKS, {"type": "string"}),
        ("datasets", "Open datasets published", LINKS, {"type": "string"}),
        ("contributions", "Contributions to other open-source projects", LINKS,
         {"type": "string"}),
        ("trainings_count", "Trainings organised",
         "How many trainings the team organised.",
         {"type": "integer", "constraints": {"minimum": 0}}),
        ("training_topics", "Training topics", "Topics, separated by \" | \".",
         {"type": "string"}),
        ("accessibility_audit", "Accessibility audit",
         "true when the tool had an accessibility audit, false when not, empty when not known.",
         {"type": "boolean"}),
    ]  # fmt: skip


def facts_schema(cohort: str) -> dict:
    """The Table Schema of :func:`facts_csv`'s file."""
    fields = [
        {
            "name": name,
            "title": gettext(LOCALE, title),
            "description": gettext(LOCALE, description),
        }
        | kind
        for name, title, description, kind in _fields()
    ]
    return {
        "$schema": TABLE_SCHEMA,
        "name": "team-facts",
        "title": gettext(LOCALE, "Facts declared by the teams of %(cohort)s", cohort=cohort),
        "description": gettext(
            LOCALE,
            "One row per team: its tool, its open code and data, its trainings, as declared "
            "by the team. The number of people hired is not published, as it would be about "
            "named people.",
        ),
        "fields": fields,
        "primaryKey": ["team"],
        "missingValues": [""],
    }


def facts_csv(facts: FactsPart) -> str:
    """One row per team, columns as :func:`facts_schema` describes them; what the teams typed
    never runs as a spreadsheet formula (:func:`bulletins.cycle.export.safe_csv`)."""
    return safe_csv([name for name, *_ in _fields()], [_cells(row) for row in facts.rows])


def _cells(row: TeamFactsRow) -> list[object]:
    audit = "" if row.accessibility_audit is None else str(row.accessibility_audit).lower()
    return [
        row.team,
        row.administration or "",
        row.recorded_on.isoformat() if row.recorded_on else "",
        row.tool_status,
        row.tool_planned_on.isoformat() if row.tool_planned_on else "",
        SEPARATOR.join(row.repositories),
        SEPARATOR.join(row.libraries),
        SEPARATOR.join(row.datasets),
        SEPARATOR.join(row.contributions),
        row.trainings_count,
        SEPARATOR.join(row.training_topics),
        audit,
    ]
