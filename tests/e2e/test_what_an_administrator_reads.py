"""An anonymous questionnaire answered through Slack by a few mentors, read the way a
curious administrator could read it: the database (every table; on SQLite its files and
write-ahead log), the logs at DEBUG, every message Slack was sent, the outbox and its
listing, the results and the open data. While the survey is open and once it has closed,
nothing links an answer to the person who gave it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import inspect, text

from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import Campaign, Person
from bulletins.outbox.report import anonymous_prefixes, outbox_rows, outbox_table
from evaluation.results.export import open_answers
from evaluation.results.tally import campaign_results
from evaluation.surveys.definitions import Audience, Page, Question, Survey, Window
from tests.support.surveys import INPUT, SATISFIED, launch, mentors, next_view, open_page, t

WORDS = Question("words", "short_text", t("En quelques mots"))
SURVEY = Survey(
    id="bilan-admin",
    title=t("Bilan des mentors"),
    intro=t("Deux pages."),
    audience=Audience(roles=("mentor",)),
    anonymous=True,
    pages=(Page((SATISFIED,)), Page((WORDS,))),
    window=Window(days=7),
)
FINISHERS = 6  # more than [surveys] anonymity_k (5): one batch released while open


def marker(n: int) -> str:
    return f"mot-secret-{n:02d}"


def answer(
    workspace: SlackWorkspace, person: Person, campaign_id: int, n: int, finish: bool
) -> None:
    user = person.slack_user_id
    page1 = open_page(workspace, user, campaign_id)
    page2 = next_view(workspace, user, page1, {"satisfied": {INPUT: str(1 + n % 5)}})
    if finish:
        assert workspace.driver.submit_view(user, page2, {"words": {INPUT: marker(n)}}).text == ""
    else:  # types their words, then a problem sends the page back: the draft keeps page 1
        refused = workspace.driver.submit_view(user, page2, {"words": {INPUT: "x" * 10_000}})
        assert refused.json()["response_action"] == "errors"


def identities(person: Person) -> list[str]:
    return [person.slack_user_id, person.name]


def database_rows(workspace: SlackWorkspace) -> list[str]:
    """Every row of every table, as text."""
    engine = workspace.services.engine
    rows = []
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                rows.append(f"{table}: " + " | ".join(str(value) for value in row))
    return rows


def slack_traffic(workspace: SlackWorkspace) -> list[tuple[str, str]]:
    """(person the call concerned, what it said) for every call the app made to Slack,
    but the person's own modal, which shows them what they are typing and is not kept."""
    calls = []
    for call in workspace.standin.calls:
        if call.method in ("views.open", "views.update", "views.push"):
            continue
        said = json.dumps(call.args, ensure_ascii=False, default=str)
        calls.append((str(call.args.get("channel") or call.args.get("user_id") or ""), said))
    return calls


def linked(traces: list[str], people: list[Person]) -> list[str]:
    """The traces where a person's identity stands beside their own answer."""
    found = []
    for n, person in enumerate(people):
        for trace in traces:
            if marker(n) in trace and any(who in trace for who in identities(person)):
                found.append(trace)
    return found


def read_everything(workspace: SlackWorkspace, people: list[Person], logs) -> dict[str, list[str]]:
    with workspace.services.sessions() as session:
        rows, hidden = outbox_rows(session, limit=10_000), anonymous_prefixes(session)
        listing = outbox_table(rows, workspace.services.settings.timezone, hidden)
    traffic = slack_traffic(workspace)
    return {
        "database": database_rows(workspace),
        "logs": [record.getMessage() for record in logs.records],
        "slack": [f"{who} {said}" for who, said in traffic],
        "outbox listing": listing.splitlines(),
    }


def test_nothing_an_administrator_reads_links_an_answer_to_its_author(
    workspace: SlackWorkspace,
    debug_logs,  # noqa: F811 (fixture)
) -> None:
    people = mentors(workspace)[: FINISHERS + 1]
    campaign_id = launch(workspace, SURVEY)
    for n, person in enumerate(people):
        answer(workspace, person, campaign_id, n, finish=n < FINISHERS)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("chat.postMessage")) >= FINISHERS)

    # While the survey is open.
    seen = read_everything(workspace, people, debug_logs)
    for place, traces in seen.items():
        assert linked(traces, people) == [], place
    elsewhere = [*seen["logs"], *seen["slack"], *seen["outbox listing"]]
    assert not [trace for trace in elsewhere if "mot-secret" in trace]
    k = workspace.services.settings.anonymity_k
    with workspace.services.sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign_results(session, campaign, k).respondents == k  # one batch, not 6
        assert not re.search(r"mot-secret", open_answers(session, campaign, k).csv)

    # Once it has closed.
    with workspace.services.sessions() as session:
        closes_at = session.get(Campaign, campaign_id).closes_at
    workspace.tick(closes_at + timedelta(minutes=1))
    seen = read_everything(workspace, people, debug_logs)
    for place, traces in seen.items():
        assert linked(traces, people) == [], place
    responses = [row for row in seen["database"] if row.startswith("responses:")]
    assert sorted(re.findall(r"mot-secret-\d+", " ".join(responses))) == [
        marker(n) for n in range(FINISHERS)
    ]
    assert not [row for row in seen["database"] if row.startswith("drafts:")]
    with workspace.services.sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        assert campaign.closed_at is not None
        assert campaign_results(session, campaign, k).respondents == FINISHERS
        assert "mot-secret" not in open_answers(session, campaign, k).csv
    engine = workspace.services.engine
    if engine.dialect.name == "sqlite":
        database = Path(engine.url.database)
        wal = database.with_name(database.name + "-wal")
        # Closing empties the WAL; what the tick wrote after it (its heartbeat) holds no answer.
        assert not wal.exists() or b"mot-secret" not in wal.read_bytes()
    else:  # no old version of a survey row is left in the tables' pages
        with engine.connect() as connection:
            available = connection.execute(
                text("SELECT 1 FROM pg_available_extensions WHERE name = 'pageinspect'")
            ).scalar()
            if available:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
            for table in ("responses", "participations", "drafts") if available else ():
                pages = connection.execute(
                    text(f"SELECT pg_relation_size('{table}') / current_setting('block_size')::int")
                ).scalar()
                for page in range(pages):
                    dead = connection.execute(
                        text(
                            f"SELECT count(*) FROM heap_page_items(get_raw_page('{table}', :p)) "
                            "WHERE t_xmax::text <> '0'"
                        ),
                        {"p": page},  # fmt: skip
                    ).scalar()
                    assert dead == 0, table
