"""The evaluation snapshot: the real EIG 3 roster (15 teams), a year and a half of bulletins,
facts sheets and the two end-of-cohort questionnaires answered through the campaigns API;
every headline figure checked against counts made here from the raw answers."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import fmean

import pytest
from babel.numbers import format_decimal, format_percent
from pypdf import PdfReader
from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from bench.snapshot import fake_answers, populate
from bot.standin.databases import counting
from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.collation import by_name
from bulletins.config import Settings, settings_from_dict
from bulletins.cycle.jobs import JobContext
from bulletins.db import make_engine, make_session_factory, upgrade
from bulletins.db.models import (
    Bulletin,
    Cohort,
    Indicator,
    IndicatorValue,
    Membership,
    OutboxMessage,
    Person,
    Team,
    TeamFacts,
    WeekExcuse,
)
from bulletins.i18n import translations
from bulletins.outbox.files import FileUpload, filename_for
from evaluation import campaigns
from evaluation.facts.sheets import FactsInput, record_facts
from evaluation.snapshot.compose import build_snapshot, end_of
from evaluation.snapshot.files import SnapshotNotWritten, file_stem, write_snapshot
from evaluation.snapshot.job import evaluation_snapshot
from evaluation.snapshot.opendata import _fields
from evaluation.snapshot.pdf import render_pdf
from evaluation.snapshot.render import render_html, render_markdown
from evaluation.snapshot.view import RANK_NOTE, ROLE_LABELS, WITHHELD_NOTE, Words
from evaluation.snapshot.view_parts import STATUS_LABELS, TOOL_LABELS
from evaluation.surveys.loading import (
    SHIPPED_SURVEYS,
    load_surveys,
)
from tests.support.programme import COHORT_START, load_eig3, paris

AS_OF = date(2027, 6, 30)
LAUNCH = paris(2027, 6, 1, 9, 0)
ANSWERING = paris(2027, 6, 3, 10, 0)
FELLOWS_ANSWERING, MENTORS_ANSWERING = 20, 12
DIGEST_MONTHLY = {"every_week", "most_weeks", "sometimes"}
STATUSES = ("in_production", "planned", "abandoned", "unknown")


def settings_with(k: int) -> Settings:
    return settings_from_dict({"surveys": {"anonymity_k": k}})


@dataclass
class World:
    engine: Engine
    calendar: ProgrammeCalendar
    answers: dict[str, list[dict]]  # by role, as given
    statuses: dict[str, dict[str, int]]  # team name → status → weeks
    moods: dict[str, list[int]]  # team name → moods of its bulletins counted by AS_OF
    tools: dict[str, str]  # team name → tool status as of AS_OF


def _weeks(calendar: ProgrammeCalendar) -> list[IsoWeek]:
    before, weeks, week = end_of(calendar, AS_OF), [], IsoWeek.of(COHORT_START)
    while calendar.deadline(week) < before:
        weeks.append(week)
        week = week.next()
    return weeks


def _bulletins(
    session: Session, calendar: ProgrammeCalendar, teams: list[Team]
) -> tuple[dict, dict]:
    """Filed, late, excused or silent by a fixed pattern; returns the counts and the moods
    per team."""
    counts: dict[str, dict[str, int]] = {}
    moods: dict[str, list[int]] = {}
    rows, excuses = [], []
    for i, team in enumerate(teams):
        author = next(m.person_id for m in team.memberships if m.role == "fellow")
        counts[team.name] = dict.fromkeys(("filed", "late", "excused", "silent"), 0)
        moods[team.name] = []
        for j, week in enumerate(_weeks(calendar)):
            draw = (i * 7 + j * 3) % 10
            status = {0: "excused", 1: "silent", 2: "late"}.get(draw, "filed")
            counts[team.name][status] += 1
            at = calendar.deadline(week) + timedelta(hours=1 if status == "late" else -2)
            if status in ("filed", "late"):
                rows.append(_bulletin(team.id, week, author, 1 + (i + j) % 4, status, at))
                moods[team.name].append(1 + (i + j) % 4)
            elif status == "excused":
                excuses.append(
                    {"team_id": team.id, "week": str(week), "reason": "Congés", "by_id": author,
                     "at": at}
                )  # fmt: skip
            elif j == 3:  # filed long after the snapshot's day: still silent then
                rows.append(_bulletin(team.id, week, author, 2, "late", paris(2027, 7, 5, 9)))
    session.execute(insert(Bulletin), rows)
    session.execute(insert(WeekExcuse), excuses)
    return counts, moods


def _bulletin(team: int, week: IsoWeek, author: int, mood: int, status: str, at) -> dict:
    return {
        "team_id": team, "week": str(week), "author_id": author, "mood": mood,
        "priority": "Avancer", "ups_and_downs": "Bien", "late": status == "late",
        "created_at": at, "updated_at": at, "updated_by_id": author,
    }  # fmt: skip


def _facts(session: Session, teams: list[Team]) -> dict[str, str]:
    tools = {}
    for i, team in enumerate(teams[:12]):  # three teams never declare anything
        status = STATUSES[i % 4]
        values = FactsInput(
            tool_status=status,
            tool_planned_on=date(2027, 9, 1 + i) if status == "planned" else None,
            people_hired=i % 3,
            repositories=(f"https://github.com/eig/{i}",) if i % 2 else (),
            datasets=(f"https://www.data.gouv.fr/d/{i}",) if i % 5 == 0 else (),
            trainings_count=i % 3,
            training_topics=("Python", "Données ouvertes")[: i % 3],
        )
        record_facts(session, team, None, values, paris(2027, 3, 1, 12), source="import")
        tools[team.name] = status
    later = FactsInput(tool_status="in_production", repositories=("https://github.com/x/y",))
    record_facts(session, teams[1], None, later, paris(2027, 7, 2, 12), source="import")
    return tools


def _answer(session: Session, campaign, people: list[Person], rng: random.Random) -> list[dict]:
    survey = campaigns.survey_of(campaign)
    given = []
    for person in people:
        answers = fake_answers(survey, rng)
        for index, page in enumerate(survey.pages):
            ids = {q.id for q in page.questions}
            page_answers = {k: v for k, v in answers.items() if k.split(".")[0] in ids}
            campaigns.save_page(session, campaign, person, index, page_answers, ANSWERING)
        campaigns.finish(session, campaign, person, ANSWERING)
        given.append(answers)
    return given


def _campaigns(session: Session, settings: Settings, calendar, cohort: Cohort) -> dict:
    surveys, rng, given = load_surveys([SHIPPED_SURVEYS]), random.Random(3), {}
    launched = {"fellow": "end-fellows", "mentor": "end-mentors"}
    answering = {"fellow": FELLOWS_ANSWERING, "mentor": MENTORS_ANSWERING}
    for role, survey_id in launched.items():
        campaign = campaigns.launch(
            session, surveys[survey_id], cohort=cohort, now=LAUNCH, calendar=calendar,
            settings=settings,
        )  # fmt: skip
        people = session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.role == role)
            .order_by(Person.id)
        ).unique()
        given[role] = _answer(session, campaign, list(people)[: answering[role]], rng)
    campaigns.launch(  # a monthly pulse is no end-of-cohort questionnaire
        session, surveys["pulse-mentors"], cohort=cohort, now=LAUNCH, calendar=calendar,
        settings=settings,
    )  # fmt: skip
    return given


@pytest.fixture
def world(engine) -> World:
    return make_world(engine)


@pytest.fixture
def sqlite_world(tmp_path) -> Iterator[World]:
    """For the tests of what the snapshot writes: it is built by the same queries as in the
    tests above, which run on both databases."""
    engine = make_engine(f"sqlite:///{tmp_path / 'snapshot.db'}")
    upgrade(engine)
    yield make_world(engine)
    engine.dispose()


def make_world(engine: Engine) -> World:
    load_eig3(engine)
    settings = settings_with(5)
    calendar = ProgrammeCalendar.from_settings(settings)
    with make_session_factory(engine).begin() as session:
        cohort = session.scalars(select(Cohort)).one()
        teams = list(session.scalars(select(Team).order_by(Team.name)))
        statuses, moods = _bulletins(session, calendar, teams)
        tools = _facts(session, teams)
        answers = _campaigns(session, settings, calendar, cohort)
    return World(engine, calendar, answers, statuses, moods, tools)


def snapshot_of(world: World, k: int = 5, locale: str = "fr", as_of: date = AS_OF):
    with make_session_factory(world.engine)() as session:
        cohort = session.scalars(select(Cohort)).one()
        return build_snapshot(session, world.calendar, settings_with(k), cohort, as_of, locale)


SATISFIED = "Satisfied or very satisfied with the project's results"
EXCEEDED = "Expectations exceeded"
MONTHLY = "Read the digest at least monthly"
LEARNED = "Learned skills outside their field"
WHAT_LEARNED = "What they learned outside their field"
FORMATS = "The programme's support formats, ranked"


def headline_of(snapshot, label: str):
    return next(h for h in snapshot.headlines if h.label.en == label)


def share_of(snapshot, label: str, role: str | None):
    return next(s for s in headline_of(snapshot, label).shares if s.role == role)


def test_each_headline_figure_matches_the_raw_answers(world):
    snapshot = snapshot_of(world)
    assert [h.label.en for h in snapshot.headlines] == [
        SATISFIED,
        FORMATS,
        MONTHLY,
        LEARNED,
        WHAT_LEARNED,
        EXCEEDED,
    ]
    for role, given in world.answers.items():
        satisfied = sum(1 for a in given if a["results_satisfaction"] in (4, 5))
        exceeded = sum(1 for a in given if a["expectations"] == 5)
        monthly = sum(1 for a in given if a["digest_reading"] in DIGEST_MONTHLY)
        learned = [a for a in given if a["skills_outside_learned"] in ("a_lot", "a_little")]
        for label, count in (
            (SATISFIED, satisfied),
            (EXCEEDED, exceeded),
            (MONTHLY, monthly),
            (LEARNED, len(learned)),
        ):
            share = share_of(snapshot, label, role)
            assert (share.answered, share.count) == (len(given), count), (label, role)
            assert share.share == count / len(given)
        skills = next(d for d in headline_of(snapshot, WHAT_LEARNED).details if d.role == role)
        assert skills.answered == len(learned)  # asked only of those who learned some
        for tally in skills.summary.tallies:
            assert tally.count == sum(1 for a in learned if tally.key in a["skills_outside"])
        formats = next(d for d in headline_of(snapshot, FORMATS).details if d.role == role)
        for row in formats.summary.rows:
            ranks = [
                a["formats_top"].index(row.item.id) + 1
                for a in given
                if row.item.id in a["formats_top"]
            ]
            assert row.first == ranks.count(1)
            assert row.score == pytest.approx(sum(4 - r for r in ranks) / len(given))
        scores = [r.score for r in formats.summary.rows]
        assert scores == sorted(scores, reverse=True)
    # fellows and mentors are not pooled: the files do not ask for it
    assert all(s.role is not None for h in snapshot.headlines for s in h.shares)


def test_headlines_read_as_n_of_m_in_each_language(sqlite_world):
    given = sqlite_world.answers["fellow"]
    exceeded = sum(1 for a in given if a["expectations"] == 5)
    for locale, words in (("fr", "sur"), ("en", "of")):
        snapshot = snapshot_of(sqlite_world, locale=locale)
        markdown = render_markdown(snapshot)
        share = format_percent(round(exceeded / len(given), 3), locale=locale,
                               decimal_quantization=False)  # fmt: skip
        figure = f"{exceeded} {words} {len(given)} ({share})"
        section = markdown.split("### " + headline_of(snapshot, EXCEEDED).label.get(locale))[1]
        assert figure in section.split("###")[0]
        assert ("Tous les répondants" if locale == "fr" else "All respondents") not in markdown
        assert ("satisfaites ou dépassées" if locale == "fr" else "met or exceeded") not in markdown
    french = render_markdown(snapshot_of(sqlite_world))
    assert "### Attentes dépassées" in french
    assert re.search(r"\| Les EIG \| \d+ sur \d+ \(\d+(,\d)?[\u00a0\u202f]%\) \|", french)


def test_who_was_asked_and_who_answered(world):
    snapshot = snapshot_of(world)
    assert [c.key for c in snapshot.campaigns] == ["end-fellows:EIG 3", "end-mentors:EIG 3"]
    assert [c.rates for c in snapshot.campaigns] == [
        (("fellow", FELLOWS_ANSWERING, 32),),
        (("mentor", MENTORS_ANSWERING, 32),),
    ]
    assert all(c.closed for c in snapshot.campaigns)  # 21 days from 1 June
    assert not snapshot_of(world, as_of=date(2027, 6, 10)).campaigns[0].closed
    assert snapshot_of(world, as_of=date(2027, 5, 31)).campaigns == ()


def test_participation_and_facts_as_of_the_day(world):
    snapshot = snapshot_of(world)
    part = snapshot.participation
    assert len(part.weeks) == len(_weeks(world.calendar)) and part.weeks[-1] == IsoWeek(2027, 25)
    assert {t.team: t.counts for t in part.teams} == world.statuses
    total = {s: sum(c[s] for c in world.statuses.values()) for s in ("filed", "late", "silent")}
    assert part.total.rate == (total["filed"] + total["late"]) / sum(total.values())
    facts = snapshot.facts
    for status in STATUSES[:3]:
        expected = sorted(name for name, tool in world.tools.items() if tool == status)
        assert sorted(row.team for row in facts.with_status(status)) == expected
    assert facts.declared == 12 and facts.public_code == 6
    assert facts.teams_with("people_hired") == sum(1 for i in range(12) if i % 3)
    assert facts.total("trainings_count") == sum(i % 3 for i in range(12))
    assert dict(facts.topics) == {"Python": 8, "Données ouvertes": 4}
    assert [row.tool_planned_on for row in facts.planned] == sorted(
        row.tool_planned_on for row in facts.planned
    )


def test_participation_counts_the_weeks_the_cohort_ran_whatever_the_day(world):
    # The cohort ends on Wednesday 30 June 2027, before the deadline of its last week; a
    # few late bulletins came on 5 July.
    ended = snapshot_of(world)
    settled = snapshot_of(world, as_of=date(2027, 7, 6))
    later = snapshot_of(world, as_of=date(2027, 12, 1))
    assert later.participation == settled.participation
    assert later.participation.weeks == ended.participation.weeks
    assert ended.participation.weeks[-1] == IsoWeek(2027, 25)
    rate = Words("fr", 5).pct(later.participation.total.rate)
    (line,) = [x for x in render_markdown(later).splitlines() if x.startswith("Sur ")]
    weeks = len(_weeks(world.calendar))
    span = "de la semaine du 5 janvier 2026 à celle du 21 juin 2027"
    assert line.startswith(f"Sur {weeks} semaines, {span}")
    assert f"{rate} des bulletins attendus" in line
    assert later.participation.total.rate > 0.7
    assert "n'a pas de date de fin" not in render_markdown(later)


def test_a_cohort_without_end_is_named_in_the_limits(sqlite_world):
    with make_session_factory(sqlite_world.engine).begin() as session:
        session.scalars(select(Cohort)).one().ends_on = None
    snapshot = snapshot_of(sqlite_world, as_of=date(2027, 12, 1))
    assert snapshot.participation.weeks[-1] == IsoWeek(2027, 47)  # silent weeks after June
    limits = render_markdown(snapshot).split("## Limites de la méthode")[1]
    assert (
        "La promotion EIG 3 n'a pas de date de fin\u00a0: ses semaines sont comptées jusqu'au "
        "1er décembre 2027." in limits
    )


def test_teams_without_a_facts_sheet_are_named(sqlite_world):
    with make_session_factory(sqlite_world.engine)() as session:
        names = list(session.scalars(select(Team.name).order_by(Team.name)))
    missing = ", ".join(names[12:])  # the three teams that never declared anything
    assert f"(non renseignés\u00a0: {missing})" in render_markdown(snapshot_of(sqlite_world))
    assert f"(not filled in: {missing})" in render_html(snapshot_of(sqlite_world, locale="en"))


def test_people_read_survey_titles_and_cohort_names_not_campaign_keys(sqlite_world, tmp_path):
    snapshot = snapshot_of(sqlite_world, k=15)  # the mentors' answers are withheld
    with make_session_factory(sqlite_world.engine)() as session:
        write_snapshot(session, snapshot, tmp_path, None)
    for name in ("snapshot.md", "snapshot.html", "README.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert ":EIG 3" not in text, name
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "questionnaire «\u00a0Bilan de fin de promotion : les mentors\u00a0» (EIG 3)" in readme
    assert file_stem("end-fellows:EIG démo") == "end-fellows-eig-demo"
    assert filename_for("snapshot:EIG démo:2026-07", "html") == "snapshot-EIG-demo-2026-07.html"


def test_a_group_under_k_is_withheld_in_the_report_and_the_open_data(sqlite_world, tmp_path):
    snapshot = snapshot_of(sqlite_world, k=15)  # 20 fellows answered, 12 mentors
    assert not share_of(snapshot, EXCEEDED, "fellow").withheld
    share = share_of(snapshot, EXCEEDED, "mentor")
    assert share.withheld and share.count is None
    mentors = next(d for d in headline_of(snapshot, FORMATS).details if d.role == "mentor")
    assert mentors.summary is None
    html = render_html(snapshot)
    assert html.count("non montré\u00a0: moins de 15 réponses") >= 5
    with make_session_factory(sqlite_world.engine)() as session:
        names = {p.name for p in write_snapshot(session, snapshot, tmp_path, None)}
    assert "answers-end-fellows-eig-3.csv" in names
    assert not any("mentors" in name for name in names)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "12 réponses, moins de 15" in readme
    rows = (tmp_path / "answers-end-fellows-eig-3.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + FELLOWS_ANSWERING


def test_the_html_reads_as_a_report_with_its_charts(sqlite_world):
    for locale in ("fr", "en"):
        html = render_html(snapshot_of(sqlite_world, locale=locale), "Generated on 1 July")
        assert html.startswith("<!DOCTYPE html>") and f'<html lang="{locale}">' in html
        assert html.count("<svg") == 2 and html.count("<figcaption>") == 2
        assert html.count('role="img" aria-label="') == 2
        assert "<h1>" in html and html.count("<h2") == 7 and "<table>" in html
        assert "<style>" in html and "@media print" in html
        assert not re.search(r"{{|}}|{%|%}|%\(\w+\)s|\bNone\b", _text_outside_svg(html))
        assert "http://" not in _text_outside_svg(html).replace("http://www.w3.org", "")
    assert "<h3>Attentes dépassées</h3>" in render_html(snapshot_of(sqlite_world))
    assert "<h3>Expectations exceeded</h3>" in render_html(snapshot_of(sqlite_world, locale="en"))


def _text_outside_svg(html: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.DOTALL)


def test_the_markdown_escapes_what_people_wrote(sqlite_world):
    with make_session_factory(sqlite_world.engine).begin() as session:
        team = session.scalars(select(Team).order_by(Team.name)).first()
        team.name = "Défi *gras* | <b>"
    markdown = render_markdown(snapshot_of(sqlite_world))
    assert "Défi \\*gras\\* \\| \\<b\\>" in markdown and "<b>" not in markdown
    assert "Défi *gras* | &lt;b&gt;" in render_html(snapshot_of(sqlite_world))


def test_the_same_database_and_day_give_the_same_files(sqlite_world, tmp_path):
    written = []
    stamps = (
        "Généré le 1 juillet 2027 11:00.",
        "Généré le 2 juillet 9:00.",
        "Généré le 2 juillet 9:00.",
    )
    for run, stamp in enumerate(stamps):
        with make_session_factory(sqlite_world.engine)() as session:
            files = write_snapshot(session, snapshot_of(sqlite_world), tmp_path / str(run), stamp)
        written.append({p.name: p.read_bytes().replace(stamp.encode(), b"") for p in files})
    # the PDF draws the line in glyphs of its own: the same only for the same line
    assert written[1] == written[2]
    assert written[0].pop("snapshot.pdf") != written[1].pop("snapshot.pdf")
    assert written[0] == written[1]
    assert {"snapshot.md", "snapshot.html", "team-facts.csv", "team-facts.schema.json",
            "README.md", "answers-end-fellows-eig-3.csv", "answers-end-mentors-eig-3.csv",
            "answers-end-mentors-eig-3.schema.json"} <= set(written[0])  # fmt: skip


def test_team_facts_open_data(sqlite_world, tmp_path):

    with make_session_factory(sqlite_world.engine)() as session:
        write_snapshot(session, snapshot_of(sqlite_world), tmp_path, None)
    schema = json.loads((tmp_path / "team-facts.schema.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader((tmp_path / "team-facts.csv").open(encoding="utf-8")))
    assert [f["name"] for f in schema["fields"]] == list(rows[0])
    assert schema["fields"][0]["title"] == "Équipe (défi)"
    assert len(rows) == 15 and "people_hired" not in rows[0] and "note" not in rows[0]
    # the second team's sheet changed after the snapshot's day: not seen
    assert {r["team"]: r["tool_status"] for r in rows if r["recorded_on"]} == sqlite_world.tools
    assert rows[1]["tool_status"] == "planned" and rows[1]["tool_planned_on"] == "2027-09-02"


def test_a_snapshot_that_cannot_be_written_in_full_writes_nothing(sqlite_world, tmp_path):
    out = tmp_path / "out"
    (out / "snapshot.html").mkdir(parents=True)
    (out / "snapshot.md").write_text("the previous snapshot")
    with make_session_factory(sqlite_world.engine)() as session:
        with pytest.raises(SnapshotNotWritten, match="snapshot.html: a folder is in the way"):
            write_snapshot(session, snapshot_of(sqlite_world), out, None)
        with pytest.raises(SnapshotNotWritten, match="cannot write to /dev/null"):
            write_snapshot(session, snapshot_of(sqlite_world), Path("/dev/null"), None)
    assert (out / "snapshot.md").read_text() == "the previous snapshot"
    assert sorted(path.name for path in out.iterdir()) == ["snapshot.html", "snapshot.md"]


def test_the_open_data_of_anonymous_answers_singles_no_one_out(sqlite_world, tmp_path):

    with make_session_factory(sqlite_world.engine).begin() as session:
        team = session.scalars(select(Team).order_by(Team.name)).first()
        team.name = '=HYPERLINK("http://evil.example","Défi")'
        team.administration = "@SUM(A1)"
    with make_session_factory(sqlite_world.engine)() as session:
        write_snapshot(session, snapshot_of(sqlite_world), tmp_path, None)
    survey = load_surveys([SHIPPED_SURVEYS])["end-fellows"]
    texts = {q.id for q in survey.questions if q.type in ("short_text", "long_text")}
    rows = list(csv.DictReader((tmp_path / "answers-end-fellows-eig-3.csv").open(encoding="utf-8")))
    assert texts and not texts & set(rows[0])
    assert "scope_change.other" not in rows[0] and "skills_outside.other_text" not in rows[0]
    assert {row["skills_outside.other"] for row in rows} <= {"", "0", "1"}  # kept; "": not asked
    assert "Réponse" not in (tmp_path / "answers-end-fellows-eig-3.csv").read_text("utf-8")
    schema = json.loads((tmp_path / "answers-end-fellows-eig-3.schema.json").read_text("utf-8"))
    days = next(field for field in schema["fields"] if field["name"] == "days_on_site")
    given = Counter(row["days_on_site"] for row in rows)
    assert set(given) == set(days["constraints"]["enum"]) and min(given.values()) >= 5
    assert days["constraints"]["enum"][0].startswith("0") and sum(given.values()) == 20
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "sauf si le questionnaire marque la question comme publiable" in readme
    facts = list(csv.DictReader((tmp_path / "team-facts.csv").open(encoding="utf-8")))
    assert facts[0]["team"] == "'" + '=HYPERLINK("http://evil.example","Défi")'
    assert facts[0]["administration"] == "'@SUM(A1)"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_report_on_a4_with_its_charts_and_team_sections(sqlite_world):
    with make_session_factory(sqlite_world.engine).begin() as session:
        team = by_name(session.scalars(select(Team)))[0]
        team.name = "Écoles d'été à Noël"
        session.add(
            TeamFacts(
                team_id=team.id, recorded_at=paris(2027, 6, 1, 9), source="import",
                tool_status="in_production",
                repositories=["https://github.com/eig/défi", "javascript:alert(1)"],
            )
        )  # fmt: skip
        names = [t.name for t in by_name(session.scalars(select(Team)))]
    snapshot = snapshot_of(sqlite_world)
    content = render_pdf(snapshot, "Généré le 1er juillet 2027 11:00.")
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    pages = len(reader.pages)
    assert pages >= 5  # numbered at their foot
    for number, page in enumerate(reader.pages, 1):
        assert (
            f"Bilan d'évaluation\u00a0: EIG 3 — 30 juin 2027 · {number}/{pages}"
            in page.extract_text()
        )
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in reader.pages} == {
        (595, 842)  # A4, in points
    }
    text = _pdf_text(content)
    assert "Bilan d'évaluation\u00a0: EIG 3" in text and "Généré le 1er juillet 2027 11:00." in text
    assert "Attentes dépassées" in text and "Chiffres clés" in text
    outline = [item.title for item in _flat(reader.outline)]
    assert outline[outline.index("Défi par défi") + 1 :][: len(names)] == names
    assert "Écoles d'été à Noël" in text.splitlines()
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 2  # the participation and mood charts
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert "https://github.com/eig/d%C3%A9fi" in links
    assert not [link for link in links if not link.startswith("https://")]
    assert "javascript:alert(1)" in text
    assert render_pdf(snapshot, "Généré le 1er juillet 2027 11:00.") == content
    english = _pdf_text(render_pdf(snapshot_of(sqlite_world, locale="en")))
    assert "Expectations exceeded" in english and "Team by team" in english


def _flat(outline: list) -> list:
    return [x for item in outline for x in (_flat(item) if isinstance(item, list) else [item])]


def _team_section(markdown: str, team: str) -> str:
    return markdown.split(f"\n### {team}\n")[1].split("\n### ")[0].split("\n## ")[0]


def test_each_team_has_a_section_with_its_links_bulletins_mood_and_indicators(world):
    with make_session_factory(world.engine).begin() as session:
        teams = list(session.scalars(select(Team)))
        team = next(t for t in teams if t.name == sorted(t.name for t in teams)[3])
        indicator = Indicator(
            team_id=team.id, objective="Réduire les délais", name="Délai moyen", unit="jours",
            baseline=30.0, target=10.0, created_at=paris(2027, 1, 4, 9), archived=False,
        )  # fmt: skip
        session.add(indicator)
        session.flush()
        for value, day, recorded in (
            (25.5, date(2027, 3, 1), paris(2027, 3, 2, 9)),
            (20.0, date(2027, 6, 1), paris(2027, 6, 2, 9)),
            (12.0, date(2027, 7, 1), paris(2027, 7, 2, 9)),  # after the snapshot's day
        ):
            session.add(IndicatorValue(indicator_id=indicator.id, value=value, measured_on=day,
                                       recorded_at=recorded))  # fmt: skip
        name, order = team.name, [t.name for t in by_name(teams)]
    snapshot = snapshot_of(world)
    assert [section.name for section in snapshot.team_sections] == order
    counts, moods = world.statuses[name], world.moods[name]
    section = next(s for s in snapshot.team_sections if s.name == name)
    assert section.participation.counts == counts
    assert section.participation.mood == pytest.approx(fmean(moods))

    french = _team_section(render_markdown(snapshot), name)
    assert (
        "- **Dépôts de code**\u00a0: [https://github.com/eig/3](https://github.com/eig/3)" in french
    )
    played = (
        f"Semaines jouées\u00a0: {sum(counts.values())}\u202f; à l'heure\u00a0: {counts['filed']}, "
        f"en retard\u00a0: {counts['late']}, excusées\u00a0: {counts['excused']}, "
        f"silencieuses\u00a0: {counts['silent']}"
    )
    assert played in french
    mood = format_decimal(fmean(moods), "0.0", locale="fr")
    assert "," in mood and f"Humeur moyenne de ses bulletins\u00a0: {mood} sur 4." in french
    half = format_percent(0.5, locale="fr")
    assert f"| Délai moyen | 30 jours | 10 jours | 20 jours le 1er juin 2027 | {half} |" in french

    english = render_html(snapshot_of(world, locale="en"))
    section_html = english.split(f"<h3>{name}</h3>")[1].split("</article>")[0]
    link = (
        '<a href="https://github.com/eig/3" rel="noopener noreferrer">https://github.com/eig/3</a>'
    )
    assert link in section_html
    assert f"on time: {counts['filed']}, late: {counts['late']}" in section_html
    assert f"Mean mood of its bulletins: {format_decimal(fmean(moods), '0.0', locale='en')}" in (
        section_html
    )
    assert "<td>20 jours on 1 June 2027</td><td>50%</td>" in section_html


def test_a_facts_sheet_cannot_put_links_or_markup_in_the_report(sqlite_world):
    with make_session_factory(sqlite_world.engine).begin() as session:
        team = by_name(session.scalars(select(Team)))[0]
        session.add(
            TeamFacts(
                team_id=team.id, recorded_at=paris(2027, 6, 1, 9), source="import",
                tool_status="in_production",
                repositories=["javascript:alert(1)", 'https://example.org/a)(b"<x>'],
                datasets=["data:text/html,<script>alert(2)</script>"],
                training_topics=["<script>alert(3)</script>", "[clic](javascript:alert(4))"],
            )
        )  # fmt: skip
        name = team.name
    snapshot = snapshot_of(sqlite_world)
    html = render_html(snapshot).split(f"<h3>{name}</h3>")[1].split("</article>")[0]
    assert "javascript:alert(1)" in html and 'href="javascript:' not in html
    assert 'href="data:' not in html and "<script>" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html
    assert 'href="https://example.org/a%29%28b%22%3Cx%3E"' in html
    markdown = _team_section(render_markdown(snapshot), name)
    assert "javascript:alert(1)" in markdown
    assert not re.search(r"(?<!\\)\]\((javascript|data):", markdown)
    assert "<script>" not in markdown and "\\<script\\>alert(3)\\</script\\>" in markdown
    assert "](https://example.org/a%29%28b%22%3Cx%3E)" in markdown


def test_every_label_of_the_snapshot_is_in_french():
    french = translations("fr")
    labels = [*ROLE_LABELS.values(), RANK_NOTE, WITHHELD_NOTE]
    labels += [*STATUS_LABELS.values(), *TOOL_LABELS.values()]
    labels += [text for _, title, description, _ in _fields() for text in (title, description)]
    assert [label for label in labels if french.gettext(label) == label] == []


def test_the_number_of_queries_does_not_grow_with_the_programme(engine):
    settings = Settings()
    calendar = ProgrammeCalendar.from_settings(settings)
    counts = []
    for name, teams in (("Small", 5), ("Big", 50)):
        populate(engine, settings, teams, weeks=104, responses=1000, name=name)
        with make_session_factory(engine)() as session:
            cohort = session.scalars(select(Cohort).where(Cohort.name == name)).one()
            as_of = cohort.ends_on
            with counting(engine) as statements:
                snapshot = build_snapshot(session, calendar, settings, cohort, as_of, "fr")
            counts.append(len(statements))
        assert snapshot.teams == teams and len(snapshot.participation.weeks) >= 100
        assert sum(c.responses for c in snapshot.campaigns) == 1000
    assert counts[0] == counts[1] <= 10


def test_the_half_yearly_job_posts_the_figures_and_the_report_once(world):

    settings = settings_from_dict({"channels": {"staff": "C0STAFF"}})

    def run(now) -> int:
        with make_session_factory(world.engine).begin() as session:
            return evaluation_snapshot(JobContext(session, world.calendar, settings, now))

    assert run(paris(2027, 7, 1, 10, 59)) == 0  # 1 July 2027, a Thursday: from 11:00
    assert run(paris(2027, 8, 2, 11, 0)) == 0  # not a snapshot month
    assert run(paris(2027, 7, 1, 11, 0)) == 3
    assert run(paris(2027, 7, 1, 16, 0)) == 0
    with make_session_factory(world.engine)() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("snapshot:%")))
        found = {row.key: row for row in rows}
    message, report = found["snapshot:EIG 3:2027-07"], found["snapshot:EIG 3:2027-07:html"]
    assert message.channel == report.channel == "C0STAFF"
    assert report.thread_of == message.key and report.kind == "file"
    assert message.payload["header"] == "Bilan d'évaluation\u00a0: EIG 3, au 30 juin 2027"
    assert "Attentes dépassées" in str(message.payload["sections"])
    upload = FileUpload.from_json(report.payload)
    assert upload.filename == "snapshot-EIG-3-2027-07.html"
    html = upload.content.decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 2
    pdf = found["snapshot:EIG 3:2027-07:pdf"]
    assert pdf.thread_of == message.key and pdf.channel == "C0STAFF"
    upload = FileUpload.from_json(pdf.payload)
    assert upload.filename == "snapshot-EIG-3-2027-07.pdf"
    text = _pdf_text(upload.content)
    assert "Bilan d'évaluation\u00a0: EIG 3" in text and "Généré le 1er juillet 2027 11:00." in text
