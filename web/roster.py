"""The programme team's roster import: a CSV checked and tried first, showing its problems
line by line or what it would change (with nothing saved), then imported whole on
confirmation, as ``bulletins roster import``."""

from __future__ import annotations

import logging
from datetime import date

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from bulletins.errors import BulletinsError, RosterError
from bulletins.roster.csv_file import parse_roster
from bulletins.roster.importing import ImportReport, import_roster
from web.auth import staff_only
from web.i18n import gettext as _
from web.problems import ShownProblem, shown
from web.services import services
from web.uploads import BadUpload, uploaded_csv

log = logging.getLogger(__name__)

roster = Blueprint("roster", __name__)


class BadDates(BulletinsError):
    """The cohort's dates are not dates: the message says which, for a person."""


def _dates() -> tuple[date | None, date | None]:
    found = []
    for field in ("start", "end"):
        raw = request.form.get(field, "").strip()
        try:
            found.append(date.fromisoformat(raw) if raw else None)
        except ValueError:
            raise BadDates(_("The date must be written YYYY-MM-DD, such as 2026-07-01.")) from None
    return found[0], found[1]


def _run(commit: bool) -> tuple[dict, ImportReport | None]:
    """Read the form, then import its file: for good when ``commit``, else rolled back
    (the preview). Returns the page's values and the report, or the problems."""
    values: dict = {"start": request.form.get("start", ""), "end": request.form.get("end", "")}
    try:
        found = uploaded_csv("roster.csv")
        start, end = _dates()
    except (BadUpload, BadDates) as error:
        return values | {"problems": [ShownProblem(0, str(error))]}, None
    if found is None:
        return values | {"problems": [ShownProblem(0, _("Choose a CSV file."))]}, None
    name, text = found
    values |= {"name": name, "text": text}
    services_ = services()
    today = services_.calendar.local(services_.clock()).date()
    session = services_.sessions()
    try:
        rows = parse_roster(text, name)
        report = import_roster(session, rows, today=today, cohort_start=start, cohort_end=end)
        if commit:
            session.commit()
        else:
            session.rollback()
    except RosterError as error:
        session.rollback()
        return values | {"problems": shown(error.problems)}, None
    except BulletinsError as error:
        session.rollback()
        return values | {"problems": [ShownProblem(0, str(error), english=True)]}, None
    finally:
        session.close()
    return values, report


@roster.get("/roster")
@staff_only
def form():
    return render_template("roster.html")


@roster.post("/roster")
@staff_only
def check():
    """What the import would change, or every problem of the file; nothing is saved."""
    values, report = _run(commit=False)
    if report is None:
        return render_template("roster.html", **values), 400
    # The summary without its head ("Roster imported: "): nothing is imported yet.
    notes = report.summary(g.locale).split("\n")[1:]
    preview = "\n".join([report.changes(g.locale), *notes])
    return render_template("roster.html", preview=preview, **values)


@roster.post("/roster/import")
@staff_only
def save():
    values, report = _run(commit=True)
    if report is None:
        return render_template("roster.html", **values), 400
    log.info("%s imported a roster from the console", g.viewer.slack_user_id)
    flash(("done", report.summary(g.locale)))
    return redirect(url_for("roster.form"))
