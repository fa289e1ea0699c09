"""The programme team's facts import: a CSV checked first, its problems shown line by line
with nothing saved, then imported whole on confirmation, as ``bulletins facts import``."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from evaluation.facts.importing import FactsFileError, import_facts, parse_facts_csv
from web.auth import staff_only
from web.i18n import gettext as _
from web.problems import ShownProblem, shown
from web.services import services
from web.uploads import BadUpload, uploaded_csv

facts = Blueprint("facts", __name__)


@facts.get("/facts")
@staff_only
def form():
    return render_template("facts.html")


@facts.post("/facts")
@staff_only
def check():
    """Read the file and show what would be imported, or every bad line; save nothing."""
    try:
        found = uploaded_csv("facts.csv")
    except BadUpload as error:
        return render_template("facts.html", problems=[ShownProblem(0, str(error))]), 400
    if found is None:
        return render_template(
            "facts.html", problems=[ShownProblem(0, _("Choose a CSV file."))]
        ), 400
    name, text = found
    with services().sessions() as db:
        try:
            rows = parse_facts_csv(db, text, name)
        except FactsFileError as error:
            problems = shown(error.problems)
            return render_template("facts.html", name=name, problems=problems), 400
        preview = [(row.line, row.team.cohort.name, row.team.name, row.values) for row in rows]
    return render_template("facts.html", name=name, text=text, preview=preview)


@facts.post("/facts/import")
@staff_only
def save():
    """Import the file checked on the preview: all rows or none, checked again."""
    try:
        found = uploaded_csv("facts.csv")
    except BadUpload as error:
        return render_template("facts.html", problems=[ShownProblem(0, str(error))]), 400
    if found is None:
        return redirect(url_for("facts.form"))
    name, text = found
    found_services = services()
    try:
        with found_services.sessions.begin() as db:
            report = import_facts(db, parse_facts_csv(db, text, name), found_services.clock())
    except FactsFileError as error:
        problems = shown(error.problems)
        return render_template("facts.html", name=name, problems=problems), 400
    flash(("done", _("Facts imported: %(recorded)s team(s) updated, %(unchanged)s unchanged.",
                      recorded=report.recorded, unchanged=report.unchanged)))  # fmt: skip
    return redirect(url_for("facts.form"))
