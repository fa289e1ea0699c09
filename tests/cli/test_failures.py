"""Commands that cannot do what they were asked say so in one line, with a status that tells
the truth: 2 for what the person can fix, 1 for work that failed."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot import scheduler
from bot.cli.main import cli
from tests.support.cli import run
from tests.support.programme import data_file

pytestmark = pytest.mark.slow  # runs the command line as processes

IDS = '[channels]\ndigest = "C0DIGEST"\nannounce = "C0ANNOUNCE"\nstaff = "C0STAFF"\n'


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and lines[0].startswith("Error"), result.stderr
    return lines[0]


def test_files_that_cannot_be_written_are_one_line_each(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    init = one_line(run("init", str(tmp_path / "missing" / "bulletins.toml"), cwd=tmp_path))
    assert "cannot write" in init and "No such file or directory" in init
    export = run("export", "bulletins", "--out", "missing/b.csv", cwd=tmp_path, env=env)
    assert "cannot write missing/b.csv: No such file or directory" in one_line(export)
    roster = str(data_file("eig3-roster.csv"))
    assert (
        run("roster", "import", roster, "--start", "2025-09-01", cwd=tmp_path, env=env).returncode
        == 0
    )
    snapshot = run("snapshot", "--out", "/dev/null", cwd=tmp_path, env=env)
    assert "cannot write to /dev/null" in one_line(snapshot)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["outbox", "--limit", "99999999999999999999999"], "1<=x<=100000"),
        (["snapshot", "--as-of", "9999-12-31", "--out", "snap"], "2000-01-01 to 2099-12-31"),
    ],
)
def test_values_out_of_range_are_refused_before_anything_runs(tmp_path, args, expected):
    result = run(*args, cwd=tmp_path, env={"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert expected in result.stderr


def test_tick_exits_1_naming_the_jobs_that_failed(tmp_path, monkeypatch):
    def broken(services, now):
        raise RuntimeError("a bug")

    jobs = [scheduler.Job("works", lambda services, now: 1), scheduler.Job("digest", broken)]
    monkeypatch.setattr(scheduler, "default_jobs", lambda: jobs)
    (tmp_path / "bulletins.toml").write_text(IDS)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "SLACK_API_URL": "http://127.0.0.1:9/"}
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["tick", "--now", "2026-03-06T15:05"], env=env)
    assert result.exit_code == 1
    assert "works: 1" in result.stdout
    assert "digest: 0 (RuntimeError: a bug)" in result.stdout
    assert "1 job(s) failed: digest" in result.stderr
