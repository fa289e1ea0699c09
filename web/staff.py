"""The programme team's pages: the cohort at a glance, the evaluation snapshot and the
exports (the surveys are ``web.surveys``'). Each view and each download checks the role."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, g, render_template, request
from sqlalchemy import select

from bulletins.cycle.export import ENCODING, export_rows, to_csv
from bulletins.cycle.search import help_requests
from bulletins.cycle.status import Status
from bulletins.db.models import Cohort
from bulletins.errors import BulletinsError
from bulletins.outbox.report import COLUMNS, anonymous_prefixes, outbox_rows, row_cells
from bulletins.people import find_cohort
from evaluation.charts import heatmap_svg, mood_svg
from evaluation.monthly.figures import mood_trend
from evaluation.participation import ParticipationGrid, participation_grid, week_range
from evaluation.snapshot.compose import build_snapshot, generated_line, snapshot_cohort
from evaluation.snapshot.files import write_snapshot
from evaluation.snapshot.pdf import render_pdf
from evaluation.snapshot.render import render_html
from web.auth import staff_only
from web.downloads import download
from web.services import services, today

staff = Blueprint("staff", __name__)

GRID_WEEKS = 8  # the cohort page's grid: about two months
HELP_WEEKS = 4


def _grid() -> ParticipationGrid:
    """The last weeks up to this one; after a cohort's end, up to its last week."""
    found, now = services(), services().clock()
    this_week = found.calendar.week_of(now)
    first = this_week
    for _ in range(GRID_WEEKS - 1):
        first = first.previous()
    with found.sessions() as db:
        grid = participation_grid(db, found.calendar, week_range(first, this_week), now)
        db.expunge_all()
    active = {week for _, week in grid.statuses}
    weeks = list(grid.weeks)
    while len(weeks) > 1 and weeks[-1] not in active:
        weeks.pop()
    return grid.restricted(weeks) if active else grid


@staff.get("/cohort")
@staff_only
def cohort():
    """Participation over the last weeks, the teams yet to write this week, the help asked
    for lately and who offered it."""
    found = services()
    grid = _grid()
    this_week = found.calendar.week_of(found.clock())
    in_programme = any(week == this_week for _, week in grid.statuses)
    silent = [
        (team, grid.status(team, this_week))
        for team in grid.teams
        if grid.status(team, this_week) in (Status.SILENT, Status.WAITING)
    ]
    weeks = [str(week) for week in grid.weeks[-HELP_WEEKS:]]
    with found.sessions() as db:
        requests = help_requests(db, weeks)
        db.expunge_all()
    return render_template(
        "cohort.html",
        grid=grid,
        week=this_week,
        in_programme=in_programme,
        silent=silent,
        help_requests=requests,
        moods=mood_trend(grid),
    )


@staff.get("/cohort/participation.svg")
@staff_only
def participation_chart():
    """The snapshot's participation chart, over the cohort page's weeks."""
    names, weeks, rows = _grid().chart_data()
    return Response(heatmap_svg(names, weeks, rows, g.locale), mimetype="image/svg+xml")


@staff.get("/cohort/mood.svg")
@staff_only
def mood_chart():
    trend = mood_trend(_grid())
    weeks, means = [str(w.week) for w in trend], [w.mean for w in trend]
    return Response(mood_svg(weeks, means, g.locale), mimetype="image/svg+xml")


def _as_of() -> date:
    raw = request.args.get("as_of")
    if not raw:
        return today().date()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, description="as_of")


def _snapshot():
    found = services()
    day = _as_of()
    try:
        with found.sessions() as db:
            chosen = snapshot_cohort(db, request.args.get("cohort"), day)
            built = build_snapshot(db, found.calendar, found.settings, chosen, day, g.locale)
    except BulletinsError:
        abort(404)
    return built


@staff.get("/snapshot")
@staff_only
def snapshot():
    day, cohort = _as_of(), request.args.get("cohort") or None
    args = {"as_of": day.isoformat()} | ({"cohort": cohort} if cohort else {})
    return render_template("snapshot.html", as_of=day, cohort=cohort, args=args)


@staff.get("/snapshot/snapshot.html")
@staff_only
def snapshot_page():
    """The evaluation snapshot's page, charts inside, as the scheduled job writes it."""
    built = _snapshot()
    html = render_html(built, generated_line(today(), g.locale))
    if request.args.get("download"):
        return download(html, f"snapshot-{built.as_of.isoformat()}.html", "text/html")
    return Response(html, mimetype="text/html")


@staff.get("/snapshot/snapshot.pdf")
@staff_only
def snapshot_pdf():
    """The evaluation snapshot as the A4 PDF ``bulletins snapshot`` writes."""
    built = _snapshot()
    pdf = render_pdf(built, generated_line(today(), g.locale))
    return download(pdf, f"snapshot-{built.as_of.isoformat()}.pdf", "application/pdf")


@staff.get("/snapshot.zip")
@staff_only
def snapshot_files():
    """Every file of ``bulletins snapshot``: the report, its charts and its open data."""
    built = _snapshot()
    found = services()
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="bulletins-snapshot-") as folder:
        with found.sessions() as db:
            written = write_snapshot(db, built, Path(folder), generated_line(today(), g.locale))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in written:
                archive.write(path, path.name)
    return download(buffer.getvalue(), f"snapshot-{built.as_of.isoformat()}.zip", "application/zip")


OUTBOX_LIMIT = 200


@staff.get("/check")
@staff_only
def check():
    """``bulletins check`` run now by the serving process: one line each, ok or what to fix."""
    checklist = services().checklist
    lines = list(checklist()) if checklist is not None else None
    return render_template("check.html", lines=lines)


@staff.get("/outbox")
@staff_only
def outbox():
    """The latest outgoing messages, or those that could not be delivered, as ``bulletins
    outbox`` lists them: the people an anonymous survey's messages went to stay hidden."""
    found = services()
    failed_only = request.args.get("all") != "1"
    with found.sessions() as db:
        rows = outbox_rows(db, failed_only=failed_only, limit=OUTBOX_LIMIT)
        anonymous = anonymous_prefixes(db)
        cells = [row_cells(row, found.settings.timezone, anonymous) for row in rows]
    return render_template("outbox.html", columns=COLUMNS, rows=cells, failed_only=failed_only)


@staff.get("/exports")
@staff_only
def exports():
    with services().sessions() as db:
        names = list(db.scalars(select(Cohort.name).order_by(Cohort.starts_on)))
    return render_template("exports.html", cohorts=names)


@staff.get("/exports/bulletins.csv")
@staff_only
def export_bulletins():
    """Every bulletin and excused week, as ``bulletins export bulletins``."""
    found = services()
    name = request.args.get("cohort") or None
    with found.sessions() as db:
        try:
            chosen = find_cohort(db, name) if name else None
        except BulletinsError:
            abort(404)
        rows = export_rows(db, found.calendar, chosen, g.locale)
    return download(to_csv(rows).encode(ENCODING), "bulletins.csv", "text/csv")
