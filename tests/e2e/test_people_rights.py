"""A person's rights over their data, end to end: what they wrote through Slack, then
``bulletins people export`` and ``bulletins people erase`` as an administrator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, select

from bulletins.config import settings_from_dict
from bulletins.cycle.export import export_rows
from bulletins.db.models import Base
from tests.support.cli import run
from tests.support.forms import answers, open_home, open_view, replies, submit
from tests.support.forms import dms as dms_to
from tests.support.programme import paris

pytestmark = pytest.mark.slow  # runs the command line as a process

NAME, EMAIL, SLACK_ID = "Manon Moreau", "manon.moreau@example.gouv.fr", "UGCA7CM0PH4"
TEAMMATE = "UMJXKPF7T43"  # Gaël Lefebvre, of LexImpact too
DEADLINE = paris(2026, 3, 6, 15, 5)


@pytest.fixture
def settings():
    return settings_from_dict({
        "programme": {"privacy_contact": "dpd@example.gouv.fr"},
        "channels": {"digest": "C0DIGEST", "announce": "C0ANNOUNCE", "staff": "C0STAFF"},
        "retention": {"sent_messages_days": 30, "archive_cohorts_after_days": 730},
    })  # fmt: skip


def _write_and_publish(workspace) -> None:
    """Manon writes LexImpact's bulletin with the form; the digest names her at the deadline."""
    view = open_view(workspace, SLACK_ID)
    values = answers(priority="Ouvrir le simulateur", ups=f"Merci {NAME} pour la démo")
    assert submit(workspace, SLACK_ID, view, values).status == 200
    assert "publié" in dms_to(workspace, SLACK_ID)[0]
    workspace.tick(DEADLINE)
    (digest,) = workspace.standin.messages("C0DIGEST")
    assert NAME in json.dumps(digest, ensure_ascii=False)


def _cli(workspace, tmp_path: Path, *args: str, answer: str | None = None):
    url = workspace.services.engine.url.render_as_string(hide_password=False)
    return run("people", *args, cwd=tmp_path, env={"DATABASE_URL": url}, answer=answer)


def _texts_holding(workspace, needles: list[str]) -> list[str]:
    """Every text and JSON value of every table that holds one of ``needles``."""
    found = []
    with workspace.services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for row in session.execute(select(*columns)) if columns else []:
                for column, value in zip(columns, row, strict=True):
                    text = json.dumps(value, ensure_ascii=False) if value is not None else ""
                    found += [f"{table.name}.{column.name}: {n}" for n in needles if n in text]
    return found


def test_a_person_gets_a_copy_of_their_data(workspace, tmp_path):
    _write_and_publish(workspace)

    result = _cli(workspace, tmp_path, "export", SLACK_ID, "--out", str(tmp_path / "manon.json"))

    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "manon.json").read_text(encoding="utf-8"))
    person = data["person"]
    assert (person["slack_user_id"], person["name"]) == (SLACK_ID, NAME)
    assert person["email"] is None  # in the roster file, never stored
    assert person["locale"] == "fr"  # as Slack told when she first wrote
    assert [(m["team"], m["role"]) for m in data["memberships"]] == [("LexImpact", "fellow")]
    (bulletin,) = data["bulletins"]
    assert (bulletin["week"], bulletin["priority"]) == ("2026-W10", "Ouvrir le simulateur")
    assert any("publié" in m["text"] for m in data["messages_to_them"])
    printed = _cli(workspace, tmp_path, "export", SLACK_ID)
    assert json.loads(printed.stdout) == data

    unknown = _cli(workspace, tmp_path, "export", "U0NOBODY")
    assert unknown.returncode == 2
    assert "nobody has the Slack id U0NOBODY" in unknown.stderr


def test_after_erasure_nothing_holds_their_name_email_or_slack_id(workspace, tmp_path, debug_logs):
    _write_and_publish(workspace)

    declined = _cli(workspace, tmp_path, "erase", SLACK_ID, answer="n\n")
    assert declined.returncode == 1
    assert f"Erase the data of {NAME} ({SLACK_ID})?" in declined.stdout
    assert _cli(workspace, tmp_path, "export", SLACK_ID).returncode == 0  # still there

    result = _cli(workspace, tmp_path, "erase", SLACK_ID, answer="y\n")

    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert f"Erased the data of {SLACK_ID}:" in report
    assert "direct messages to them: 1" in report and "messages naming them: 1" in report
    assert "team memberships: 1" in report and "Kept 1 team bulletin(s)" in report
    needles = [NAME, EMAIL, SLACK_ID]
    assert _texts_holding(workspace, needles) == []
    database = Path(workspace.services.engine.url.database)
    stored = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert [n for n in needles if n.encode() in stored] == []
    assert [n for n in needles if n in debug_logs.text + result.stderr] == []

    # The team's bulletin stays, by "a former member", wherever bulletins are shown.
    home = json.dumps(open_home(workspace, TEAMMATE), ensure_ascii=False)
    assert "Publié par un ancien membre" in home and "Ouvrir le simulateur" in home
    workspace.driver.command(TEAMMATE, "history")
    [history] = replies(workspace)
    assert "Par un ancien membre" in history and "Ouvrir le simulateur" in history
    with workspace.services.sessions() as session:
        rows = export_rows(session, workspace.services.calendar, locale="fr")
    assert [(r.team, r.author, r.priority) for r in rows] == [
        ("LexImpact", "un ancien membre", "Ouvrir le simulateur")
    ]

    again = _cli(workspace, tmp_path, "erase", SLACK_ID, "--yes")
    assert (
        again.returncode == 0 and again.stdout.strip() == f"Nothing left to erase for {SLACK_ID}."
    )


def test_the_home_tab_says_what_is_kept_how_long_and_whom_to_ask(workspace):
    french = json.dumps(open_home(workspace, SLACK_ID), ensure_ascii=False)
    assert "Vos données" in french
    assert "Le texte d'un message envoyé est effacé après 30 jours" in french
    assert "supprimées après 365 jours" in french
    assert "écrivez à dpd@example.gouv.fr" in french
    assert "730 jours après la fin de votre promotion" in french
    assert "signés «\u00a0un ancien membre\u00a0»" in french

    workspace.standin.add_user(TEAMMATE, "Gaël Lefebvre", locale="en-US")
    english = json.dumps(open_home(workspace, TEAMMATE), ensure_ascii=False)
    assert "Your data" in english and "write to dpd@example.gouv.fr" in english
    assert "A sent message's text is emptied after 30 days" in english
    assert "730 days after your cohort ends, its open data is archived" in english
