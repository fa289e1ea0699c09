"""The rest of an evaluation snapshot in words and figures: key figures, the method's limits,
team facts and bulletin participation (see :mod:`evaluation.snapshot.view`)."""

from __future__ import annotations

from bulletins.cycle.status import Status
from bulletins.db.models import ToolStatus
from evaluation.snapshot.compose import Snapshot
from evaluation.snapshot.surveys_section import Share
from evaluation.snapshot.view import Table, Words

STATUS_LABELS = {
    Status.FILED: "On time",
    Status.LATE: "Late",
    Status.EXCUSED: "Excused",
    Status.SILENT: "Silent",
}
TOOL_LABELS = {
    ToolStatus.IN_PRODUCTION: "In production",
    ToolStatus.PLANNED: "Planned",
    ToolStatus.ABANDONED: "Abandoned",
    ToolStatus.UNKNOWN: "Not known",
}


def key_figures(snapshot: Snapshot, _: Words) -> list[tuple[str, str]]:
    """The few figures that open the report and the staff's message."""
    total = snapshot.participation.total
    figures = [
        (_("Teams"), str(snapshot.teams)),
        (_("Bulletins received, on time or late"), _.pct(total.rate)),
    ]
    for headline in snapshot.headlines:
        if headline.shares:
            figures.append((headline.label.get(_.locale), _by_group(headline.shares, _)))
    facts = snapshot.facts
    figures += [
        (_("Tools in production"), str(len(facts.with_status(ToolStatus.IN_PRODUCTION)))),
        (_("Teams with public code"), str(facts.public_code)),
        (_("Teams whose people were hired"), str(facts.teams_with("people_hired"))),
    ]
    return figures


def _by_group(shares: tuple[Share, ...], _: Words) -> str:
    withheld = _("withheld")
    return "; ".join(
        f"{_.role(s.role)} {withheld if s.withheld else _.out_of(s.count or 0, s.answered)}"
        for s in shares
    )


def limits(snapshot: Snapshot, _: Words) -> list[str]:
    """The method's limits, written out."""
    asked = sum(invited for c in snapshot.campaigns for role, done, invited in c.rates)
    finished = sum(done for c in snapshot.campaigns for role, done, invited in c.rates)
    found = [
        _(
            "Self-reported: the figures of the questionnaires are what respondents said, and "
            "the facts are declared by the teams themselves; neither is checked."
        ),
        _(
            "Response rates: %(finished)s of the %(asked)s people asked answered the "
            "end-of-cohort questionnaires; those who answer may differ from those who do not.",
            finished=finished,
            asked=asked,
        )
        if asked
        else _("No end-of-cohort questionnaire had been sent by then."),
        _(
            "Anonymity: a group with fewer than %(k)s answers (the threshold k) is withheld, "
            "and so is any total that would reveal it by difference.",
            k=snapshot.k,
        ),
        _facts_limit(snapshot, _),
        _(
            "Only what was recorded by the end of %(day)s counts. Anonymous answers carry no "
            "date: a questionnaire opened by then counts all the answers it has.",
            day=_.day(snapshot.as_of),
        ),
        _(
            "Bulletins: only the weeks the cohort ran count, each once its deadline has "
            "passed; an excused week is not expected, a silent one is."
        ),
    ]
    if snapshot.cohort_ends is None:
        found.append(
            _(
                "The cohort %(cohort)s has no end date: its weeks are counted up to %(day)s. "
                "Give its end when importing the roster (bulletins roster import --end).",
                cohort=snapshot.cohort,
                day=_.day(snapshot.as_of),
            )
        )
    return found


def _facts_limit(snapshot: Snapshot, _: Words) -> str:
    """How many teams declared their facts, and which did not."""
    facts, day = snapshot.facts, _.day(snapshot.as_of)
    if not facts.undeclared:
        return _(
            "Facts as declared by each of the %(teams)s teams by %(day)s.",
            teams=snapshot.teams,
            day=day,
        )
    return _(
        "Facts as declared by %(declared)s of the %(teams)s teams by %(day)s (not filled in: "
        "%(missing)s); a team without a facts sheet counts as not known.",
        declared=facts.declared,
        teams=snapshot.teams,
        day=day,
        missing=", ".join(facts.undeclared),
    )


def tools_table(snapshot: Snapshot, _: Words) -> Table:
    facts = snapshot.facts
    table = Table([_("Tool"), _("Teams"), _("Which")])
    for status, label in TOOL_LABELS.items():
        rows = facts.with_status(status)
        names = ", ".join(row.team for row in rows) if status != ToolStatus.UNKNOWN else ""
        table.rows.append([_(label), str(len(rows)), names])
    return table


def planned_table(snapshot: Snapshot, _: Words) -> Table:
    table = Table([_("Team"), _("Planned for")])
    for row in snapshot.facts.planned:
        when = _.day(row.tool_planned_on) if row.tool_planned_on else _("no date")
        table.rows.append([row.team, when])
    return table


def openness_table(snapshot: Snapshot, _: Words) -> Table:
    facts, teams = snapshot.facts, str(snapshot.teams)
    table = Table([_("What"), _("How many"), _("Teams")])
    lines = [
        ("Public code repositories", "repositories"),
        ("Libraries published", "libraries"),
        ("Open datasets published", "datasets"),
        ("Contributions to other open-source projects", "contributions"),
        ("Trainings organised", "trainings_count"),
        ("People hired or kept by their administration", "people_hired"),
    ]
    for label, name in lines:
        share = _("%(n)s of %(total)s", n=facts.teams_with(name), total=teams)
        table.rows.append([_(label), _.count(facts.total(name)), share])
    return table


def topics_table(snapshot: Snapshot, _: Words) -> Table:
    table = Table([_("Training topic"), _("Teams")])
    table.rows = [[topic, str(count)] for topic, count in snapshot.facts.topics]
    return table


def participation_table(snapshot: Snapshot, _: Words) -> Table:
    part = snapshot.participation
    labels = [_(label) for label in STATUS_LABELS.values()]
    table = Table([_("Team"), *labels, _("Rate")])
    for team in (*part.teams, part.total):
        name = team.team or _("All teams")
        counts = [_.count(team.counts[status]) for status in STATUS_LABELS]
        table.rows.append([name, *counts, _.pct(team.rate)])
    return table
