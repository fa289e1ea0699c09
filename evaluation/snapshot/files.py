"""An evaluation snapshot written to a directory: the report and its open data.

- ``snapshot.md``, ``snapshot.html`` (self-contained) and ``snapshot.pdf`` (A4), with
  ``participation.svg`` and ``mood.svg``, the charts the Markdown links;
- ``answers-<campaign>.csv`` and ``.schema.json`` for each end-of-cohort campaign with at
  least k responses (:mod:`evaluation.results.export`: an anonymous campaign's free text is
  left out unless publishable, its numbers given as ranges); those under k are not written;
- ``team-facts.csv`` and ``team-facts.schema.json`` (:mod:`evaluation.snapshot.opendata`);
- ``README.md``: what each file holds, what was withheld and why, and the licence.

The same database and day give the same files, byte for byte, but for the line of the
report saying when it was generated.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment
from slugify import slugify
from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins.db.models import Campaign
from bulletins.errors import BulletinsError
from evaluation.results.export import ResultsWithheld, open_answers
from evaluation.snapshot.compose import Snapshot
from evaluation.snapshot.opendata import facts_csv, facts_schema
from evaluation.snapshot.pdf import render_pdf
from evaluation.snapshot.render import Chart, context, environment
from evaluation.snapshot.view import Words


@dataclass(frozen=True)
class AnswersFile:
    key: str
    title: str
    name: str | None  # the CSV's file name; None when withheld
    responses: int


def file_stem(key: str) -> str:
    """A campaign key as a file name, accents transliterated: ``end-fellows:EIG démo`` →
    ``end-fellows-eig-demo``."""
    return slugify(key)


class SnapshotNotWritten(BulletinsError):
    """The snapshot's folder cannot take its files; none of them was put there."""


def write_snapshot(
    session: Session, snapshot: Snapshot, out: Path, generated: str | None
) -> list[Path]:
    """Write every file of ``snapshot`` into ``out`` (created if need be); returns them.

    The files are written in a temporary folder inside ``out``, then moved into place:
    when one of them cannot be, none is, and no older snapshot is half replaced."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=out))
    except OSError as error:
        raise SnapshotNotWritten(f"cannot write to {out}: {error.strerror or error}") from None
    try:
        written = _write_files(session, snapshot, staging, generated)
        blocked = [out / path.name for path in written if (out / path.name).is_dir()]
        if blocked:
            names = ", ".join(str(path) for path in blocked)
            raise SnapshotNotWritten(f"cannot write {names}: a folder is in the way")
        for path in written:
            os.replace(path, out / path.name)
    except OSError as error:
        raise SnapshotNotWritten(f"cannot write to {out}: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / path.name for path in written]


def _write_files(
    session: Session, snapshot: Snapshot, out: Path, generated: str | None
) -> list[Path]:
    view = context(snapshot, generated)
    written = _documents(snapshot, view, out)
    written += _write(out / "snapshot.pdf", render_pdf(snapshot, generated))
    answers = _answers(session, snapshot, out, written)
    written += _write(out / "team-facts.csv", facts_csv(snapshot.facts))
    written += _write(out / "team-facts.schema.json", _json(facts_schema(snapshot.cohort)))
    readme = _readme(snapshot, answers, view["charts"])
    written += _write(out / "README.md", readme)
    return written


def _documents(snapshot: Snapshot, view: dict, out: Path) -> list[Path]:
    written = []
    for kind in ("md", "html"):
        template = environment(kind, snapshot.locale).get_template(f"snapshot.{kind}.j2")
        written += _write(out / f"snapshot.{kind}", template.render(view))
    for chart in view["charts"]:
        written += _write(out / chart.name, chart.image)
    return written


def _answers(
    session: Session, snapshot: Snapshot, out: Path, written: list[Path]
) -> list[AnswersFile]:
    keys = [campaign.key for campaign in snapshot.campaigns]
    rows = {c.key: c for c in session.scalars(select(Campaign).where(Campaign.key.in_(keys)))}
    files = []
    for rate in snapshot.campaigns:
        campaign, stem = rows[rate.key], f"answers-{file_stem(rate.key)}"
        title = rate.survey.title.get(snapshot.locale)
        try:
            exported = open_answers(session, campaign, snapshot.k)
        except ResultsWithheld:
            files.append(AnswersFile(rate.key, title, None, rate.responses))
            continue
        written += _write(out / f"{stem}.csv", exported.csv)
        written += _write(out / f"{stem}.schema.json", _json(exported.schema))
        files.append(AnswersFile(rate.key, title, f"{stem}.csv", rate.responses))
    return files


def _readme(snapshot: Snapshot, answers: list[AnswersFile], charts: list[Chart]) -> str:
    env: Environment = environment("md", snapshot.locale)
    _ = Words(snapshot.locale, snapshot.k)
    return env.get_template("snapshot_readme.md.j2").render(
        s=snapshot, w=_, answers=answers, charts=charts
    )


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _write(path: Path, content: str | bytes) -> list[Path]:
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    return [path]
