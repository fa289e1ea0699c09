"""``bulletins init`` from the browser: the configuration this server runs with, each
setting with where it came from (secrets only said set or not), and the commented starter
file to download."""

from __future__ import annotations

import os

from flask import Blueprint, render_template

from bulletins.effective_config import STARTER_CONFIG, effective_settings
from web.auth import staff_only
from web.downloads import download
from web.services import services

settings_page = Blueprint("settings_page", __name__)


@settings_page.get("/settings")
@staff_only
def show():
    found = services().settings
    lines = effective_settings(found, os.environ)
    return render_template("settings.html", lines=lines, source=found.source)


@settings_page.get("/settings/bulletins.toml")
@staff_only
def starter():
    """The commented starter configuration, as ``bulletins init`` writes it."""
    text = STARTER_CONFIG.read_text(encoding="utf-8")
    return download(text.encode("utf-8"), "bulletins.toml", "application/toml")
