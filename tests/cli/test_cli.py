"""The command line, as a person at a terminal uses it."""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path

import click
import pytest
from sqlalchemy import inspect

from bot.cli.main import cli
from bot.standin import SlackStandIn
from bot.standin.socket_mode import SocketModeDriver, SocketModeSlack
from bulletins.db import make_engine
from tests.support.cli import BULLETINS, run
from tests.support.programme import data_file

pytestmark = pytest.mark.slow  # runs the app or the command line as processes

ROOT = Path(__file__).resolve().parents[2]


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found += all_commands(command, path + " ")
        else:
            found.append((path, command))
    return found


def test_every_command_has_help_and_appears_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing_help = [path for path, command in all_commands(cli) if not command.help]
    missing_doc = [path for path, _ in all_commands(cli) if f"bulletins {path}" not in readme]
    assert missing_help == []
    assert missing_doc == []


def test_help_lists_every_command_with_a_description(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for name in ("init", "db", "roster", "serve", "tick", "scheduler"):
        line = next(line for line in result.stdout.splitlines() if line.strip().startswith(name))
        assert len(line.split()) > 1, f"{name} has no description in --help"


def test_init_writes_the_commented_starter_and_refuses_to_overwrite(tmp_path):
    assert run("init", cwd=tmp_path).returncode == 0
    written = (tmp_path / "bulletins.toml").read_text(encoding="utf-8")
    assert written == (ROOT / "config.example.toml").read_text(encoding="utf-8")
    again = run("init", cwd=tmp_path)
    assert again.returncode == 2
    assert "already exists" in again.stderr


def test_a_bad_configuration_value_gives_one_message_and_status_2(tmp_path):
    (tmp_path / "bulletins.toml").write_text('[schedule]\ndeadline = "vendredi 15:05"\n')
    result = run("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "bulletins.toml" in result.stderr
    assert "[schedule] deadline" in result.stderr
    assert "friday 15:05" in result.stderr


def test_db_upgrade_creates_the_schema_named_by_database_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    result = run("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "bulletins" in inspect(make_engine(url)).get_table_names()


@pytest.mark.parametrize("bad", ["next friday", "2026-13-01T10:00"])
def test_tick_refuses_a_moment_it_cannot_read(tmp_path, bad):
    result = run("tick", "--now", bad, cwd=tmp_path)
    assert result.returncode == 2
    assert "--now" in result.stderr and "ISO-8601" in result.stderr


def test_serve_refuses_to_start_without_a_signing_secret(tmp_path):
    result = run("serve", "--port", "0", cwd=tmp_path, env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr


def test_serve_says_when_slack_refuses_the_token_or_does_not_answer(tmp_path):
    with SlackStandIn(token="xoxb-the-right-one") as standin:
        env = {"SLACK_BOT_TOKEN": "xoxb-a-wrong-one", "SLACK_SIGNING_SECRET": "s"}
        refused = run("serve", "--port", "0", cwd=tmp_path, env=env | {
            "SLACK_API_URL": standin.base_url})  # fmt: skip
    assert refused.returncode == 2
    assert "SLACK_BOT_TOKEN: Slack refused it" in refused.stderr
    assert "invalid_auth" in refused.stderr
    assert "xoxb-a-wrong-one" not in refused.stderr
    assert "Traceback" not in refused.stderr

    nobody = "http://127.0.0.1:9/api/"  # the discard port: nothing listens there
    unreachable = run("serve", "--port", "0", cwd=tmp_path, env=env | {"SLACK_API_URL": nobody})
    assert unreachable.returncode == 2
    assert f"Slack did not answer at {nobody}" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr


def test_roster_import_of_the_real_cohort_then_again_changes_nothing(tmp_path):

    roster = data_file("eig3-roster.csv")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    first = run("roster", "import", str(roster), cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "15 created" in first.stdout
    assert "No end date for EIG 3: give it with --end YYYY-MM-DD" in first.stdout
    second = run("roster", "import", str(roster), cwd=tmp_path, env=env)
    assert second.returncode == 0
    assert "up to date" in second.stdout


def test_roster_import_with_bad_rows_imports_nothing_and_names_each_line(tmp_path):
    bad = tmp_path / "roster.csv"
    bad.write_text(
        "cohort,team,role,name,slack_user_id,email\n"
        "EIG 9,Plume,fellow,Léa François,UF98B0D4QEB,lea@example.org\n"
        "EIG 9,Plume,coach,Arthur Bonnet,UJDTSMFTK0B,\n"
        "EIG 9,Plume,mentor,Noé Dupont,not-an-id,\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'b.db'}"
    result = run("roster", "import", str(bad), cwd=tmp_path, env={"DATABASE_URL": url})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "line 3" in result.stderr and "coach" in result.stderr
    assert "line 4" in result.stderr and "not-an-id" in result.stderr
    assert "line 2" not in result.stderr
    assert (
        not (tmp_path / "b.db").exists()
        or "people" not in inspect(make_engine(url)).get_table_names()
    )


def test_serve_socket_says_when_slack_refuses_the_app_token(tmp_path):
    with SlackStandIn(token="xoxb-1") as standin, SocketModeSlack(standin, "xapp-the-right-one"):
        env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
               "SLACK_API_URL": standin.base_url}  # fmt: skip
        wrong = run("serve", "--socket", cwd=tmp_path, env=env | {"SLACK_APP_TOKEN": "xapp-wrong"})
        bot_token = run("serve", "--socket", cwd=tmp_path, env=env | {"SLACK_APP_TOKEN": "xoxb-1"})
    assert wrong.returncode == 2
    assert "SLACK_APP_TOKEN: Slack refused it (invalid_auth)" in wrong.stderr
    assert "xapp-wrong" not in wrong.stderr
    assert "Traceback" not in wrong.stderr
    assert "(not_allowed_token_type)" in bot_token.stderr


def test_serve_socket_answers_slack_over_the_websocket_until_stopped(tmp_path):
    with SlackStandIn(token="xoxb-1") as standin, SocketModeSlack(standin) as slack:
        env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s",
               "SLACK_API_URL": standin.base_url, "SLACK_APP_TOKEN": slack.app_token}  # fmt: skip
        environment = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        serving = subprocess.Popen([BULLETINS, "serve", "--socket"],
                                   cwd=tmp_path, env=environment | env, stderr=subprocess.PIPE,
                                   text=True)  # fmt: skip
        try:
            slack.wait_for_app(timeout=30)
            answer = SocketModeDriver(slack).command("U0NOBODY", "help")
            assert answer.status == 200
            deadline = time.monotonic() + 10
            while not standin.calls_to("response_url") and time.monotonic() < deadline:
                time.sleep(0.05)
            (reply,) = standin.calls_to("response_url")  # the help, where the command was typed
            assert "/bulletin" in reply.args["text"]
        finally:
            serving.terminate()
            _, stderr = serving.communicate(timeout=20)
    assert serving.returncode == 0, stderr
    assert "xapp-" not in stderr and "xoxb-" not in stderr
    assert "will be unused" not in stderr  # Bolt's false alarm about SLACK_BOT_TOKEN


def test_every_command_and_option_is_in_the_commands_doc():
    doc = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
    missing = []
    for path, command in all_commands(cli):
        if f"bulletins {path}" not in doc:
            missing.append(f"bulletins {path}")
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                names = [name for name in param.opts if name.startswith("--")]
                if names and not any(name in doc for name in names):
                    missing.append(f"bulletins {path} {names[0]}")
    assert missing == []


def test_every_configuration_key_is_in_the_configuration_doc():
    """The keys of the starter file (commented ones included) and the doc's table agree."""
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    starter = (ROOT / "bulletins" / "config.example.toml").read_text(encoding="utf-8")
    section, keys = "", []
    for line in starter.splitlines():
        if match := re.fullmatch(r"\[(\w+)\]", line.strip()):
            section = match[1]
        elif match := re.fullmatch(r"#? ?(\w+) = .*", line.strip()):
            keys.append(f"`[{section}] {match[1]}`")
    documented = re.findall(r"`\[\w+\] \w+`", doc)
    assert keys and sorted(keys) == sorted(set(documented))
