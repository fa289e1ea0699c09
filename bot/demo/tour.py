"""The demo's index, written as a tour of the product: the teams' facts, each week, the
monthly digest, the mentors' pulse, the end-of-cohort questionnaires, their results and
the evaluation snapshot, then the data. Its words are in ``demo.po``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.demo.evaluation import EndRecord
from bot.demo.pages import WeekRecord, labels, names
from bot.demo.sample import mentors, sample_roster
from bot.demo.sample_facts import IMPORTED, TYPED
from bot.demo.screens.pages import Link, Section, index_html, index_markdown
from bot.standin.workspace import SlackWorkspace
from bulletins.dates import format_day, format_moment, week_start
from bulletins.db.models import Campaign
from bulletins.i18n import gettext
from bulletins.roster.csv_file import team_slug
from evaluation.campaigns import counts, survey_of


@dataclass
class DemoResult:
    """Where the demo wrote what, and what happened each week."""

    out: Path
    index: Path
    csv: Path
    database: Path
    weeks: list[WeekRecord] = field(default_factory=list)
    end: EndRecord | None = None
    console: list[Link] = field(default_factory=list)  # pages of the web console


def write_index(result: DemoResult, workspace: SlackWorkspace) -> None:
    """``index.html`` and ``index.md`` linking every page, the CSV and the database."""
    locale = workspace.services.settings.locale
    title = gettext(locale, "Bulletins demo")
    intro = gettext(
        locale,
        "What Slack would have shown during %(weeks)s weeks of a sample cohort and at its "
        "end, played through the app's real HTTP endpoint with the built-in Slack stand-in.",
        weeks=len(result.weeks),
    )
    sections = [_facts(result, locale)]
    people = {team_slug(name): name for name in names(workspace).values()}
    sections += [_week(record, locale, people) for record in result.weeks]
    sections += _monthly(result, workspace) + _pulse(result, workspace)
    sections += _end(result, workspace) + _console(result, locale) + [_data(result, locale)]
    result.index.write_text(index_html(title, intro, sections, labels(workspace)), encoding="utf-8")
    (result.out / "index.md").write_text(index_markdown(title, intro, sections), encoding="utf-8")


def _pages(result: DemoResult, stem: str) -> list[tuple[WeekRecord, Link]]:
    """Each week's page named ``stem`` (``staff``, ``form-facts``…)."""
    return [(r, link) for r in result.weeks for link in r.pages if Path(link[1]).stem == stem]


def _facts(result: DemoResult, locale: str) -> Section:
    lead = gettext(
        locale,
        "Before the first week, the programme team imported the facts sheets of %(imported)s "
        "teams (tools, public code, open data, trainings); during the weeks, %(typed)s updated "
        "theirs in Slack with /bulletin facts.",
        imported=len(IMPORTED),
        typed=gettext(locale, "%(a)s and %(b)s", a=list(TYPED)[0], b=list(TYPED)[1]),
    )
    links = [
        (f"{link[0]} ({gettext(locale, 'week of %(week)s', week=week_start(r.week, locale))})",
         *link[1:])
        for r, link in _pages(result, "form-facts")
    ]  # fmt: skip
    if (result.out / "snapshot" / "team-facts.csv").is_file():
        label = gettext(locale, "The teams' facts, as open data (CSV)")
        links.append((label, "snapshot/team-facts.csv", None))
    return Section(gettext(locale, "The teams' facts sheets"), links, lead)


def _week(record: WeekRecord, locale: str, people: dict[str, str]) -> Section:
    heading = gettext(
        locale,
        "Week of %(start)s to %(end)s",
        start=format_day(record.week.monday, locale, "d MMMM"),
        end=format_day(record.week.sunday, locale, "d MMMM y"),
    )
    main = [link for link in record.pages if not Path(link[1]).stem.startswith("dm-")]
    dms = [_person(link, people) for link in record.pages if Path(link[1]).stem.startswith("dm-")]
    more = gettext(locale, "Direct messages (reminders, pulse, confirmations):")
    return Section(heading, main, record.counts(locale) + ".", more, dms)


def _person(link: Link, people: dict[str, str]) -> Link:
    """A DM's link labelled with the person's name only."""
    label, href, markdown = link
    return people.get(Path(href).stem.removeprefix("dm-"), label), href, markdown


def _monthly(result: DemoResult, workspace: SlackWorkspace) -> list[Section]:
    """The monthly digest in the staff channel, with its two charts."""
    locale, found = workspace.services.settings.locale, _pages(result, "staff")
    if not found:
        return []
    record, page = found[0]
    files = [f for f in workspace.standin.files.values() if f.completed]
    folder = str(record.week)
    links = [page] + [(f.title or f.filename, f"{folder}/{f.filename}", None) for f in files]
    month = next(d for d in map(record.week.day, range(1, 8)) if d.day <= 7)
    heading = gettext(
        locale,
        "%(month)s: the programme team's monthly digest",
        month=format_day(month, locale, "MMMM y").capitalize(),
    )
    lead = gettext(
        locale,
        "On the first working day of the month, the scheduler posts the previous month's "
        "digest in the programme team's channel, then its two charts in the thread.",
    )
    return [Section(heading, links, lead)]


def _pulse(result: DemoResult, workspace: SlackWorkspace) -> list[Section]:
    """A mentor's pulse answered in its message, another's still waiting, the results."""
    record = next((r for r in result.weeks if r.pulse), None)
    if record is None:
        return []
    locale, people = workspace.services.settings.locale, names(workspace)
    rows = mentors(sample_roster())
    answered = next(r for r in rows if r.slack_user_id in record.pulse)
    waiting = next((r for r in rows if r.slack_user_id not in record.pulse), None)
    texts = [
        (answered, gettext(locale, "The pulse answered by %(name)s, its message updated",
                           name=answered.name)),
    ]  # fmt: skip
    if waiting is not None:
        texts.append(
            (
                waiting,
                gettext(locale, "The pulse as %(name)s got it, not answered", name=waiting.name),
            )
        )
    links: list[Link] = []
    for row, text in texts:
        stem = f"{record.week}/dm-{team_slug(people.get(row.slack_user_id, row.name))}"
        links.append((text, f"{stem}.html", f"{stem}.md"))
    links += result.end.results.get("pulse-mentors", []) if result.end else []
    return [Section(gettext(locale, "The mentors' pulse"), links, _pulse_lead(workspace))]


def _pulse_lead(workspace: SlackWorkspace) -> str:
    services, locale = workspace.services, workspace.services.settings.locale
    with services.sessions() as session:
        query = select(Campaign).where(Campaign.survey_id == "pulse-mentors")
        campaign = session.scalars(query.order_by(Campaign.id)).first()
        if campaign is None:
            return ""
        done = counts(session, campaign)
        launched = services.calendar.local(campaign.launched_at)
    return gettext(
        locale,
        "Launched by the scheduler on %(when)s: %(finished)s of %(invited)s mentors answered "
        "its three questions with the buttons of its direct message.",
        when=format_moment(launched, locale),
        finished=done.finished,
        invited=done.invited,
    )


def _end(result: DemoResult, workspace: SlackWorkspace) -> list[Section]:
    end, locale = result.end, workspace.services.settings.locale
    if end is None:
        return []
    rates = []
    with workspace.services.sessions() as session:
        for campaign in session.scalars(select(Campaign).where(Campaign.survey_id.like("end-%"))):
            done = counts(session, campaign)
            rates.append(
                gettext(
                    locale,
                    "%(survey)s: %(finished)s of %(invited)s",
                    survey=survey_of(campaign).title.get(locale),
                    finished=done.finished,
                    invited=done.invited,
                )
            )
    lead = gettext(
        locale,
        "The questionnaires launched on %(launched)s for fellows and mentors, answered page "
        "by page in their modal; a reminder on %(reminded)s to those who had not finished "
        "(answered: %(rates)s).",
        launched=format_moment(end.launched, locale),
        reminded=format_moment(end.reminded, locale) if end.reminded else "—",
        rates=", ".join(rates),
    )
    questionnaires = Section(gettext(locale, "End of cohort: the questionnaires"), end.pages, lead)
    return [questionnaires, _results(result, workspace)]


def _results(result: DemoResult, workspace: SlackWorkspace) -> Section:
    end, locale, k = (
        result.end,
        workspace.services.settings.locale,
        workspace.services.settings.anonymity_k,
    )
    assert end is not None
    links = [
        link for survey in ("end-fellows", "end-mentors") for link in end.results.get(survey, [])
    ]
    labels_by_name = {
        "snapshot.html": gettext(locale, "The evaluation snapshot (one page, prints on A4)"),
        "snapshot.pdf": gettext(locale, "The evaluation snapshot as a PDF (as Slack shows it)"),
        "README.md": gettext(locale, "The snapshot's open data: what each file holds"),
    }
    for path in end.snapshot:
        if path.name in labels_by_name:
            markdown = "snapshot/snapshot.md" if path.name == "snapshot.html" else None
            links.append((labels_by_name[path.name], f"snapshot/{path.name}", markdown))
    lead = gettext(
        locale,
        "What bulletins survey results and bulletins snapshot write; a group of fewer than "
        "%(k)s answers is never shown.",
        k=k,
    )
    return Section(gettext(locale, "End of cohort: results and evaluation snapshot"), links, lead)


def _console(result: DemoResult, locale: str) -> list[Section]:
    if not result.console:
        return []
    lead = gettext(
        locale,
        "bulletins serve also serves a web console under /app/: people sign in with Slack "
        "(here, the stand-in) and see, in a browser or on a phone, what their role allows.",
    )
    return [Section(gettext(locale, "The web console"), result.console, lead)]


def _data(result: DemoResult, locale: str) -> Section:
    data: list[Link] = [
        (gettext(locale, "All bulletins, as CSV for spreadsheets"), result.csv.name, None),
        (gettext(locale, "The SQLite database"), result.database.name, None),
    ]
    return Section(gettext(locale, "Data"), data)
