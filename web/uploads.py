"""A CSV file sent with a form, or its text kept in the preview's form for the confirmation."""

from __future__ import annotations

from flask import request

from web.i18n import gettext as _

MAX_FILE = 48 * 1024  # bytes: hundreds of rows take tens of KB; a request takes 64 KB at most


class BadUpload(ValueError):
    """The file cannot be read as a CSV file: the message says why, for a person."""


def uploaded_csv(default_name: str) -> tuple[str, str] | None:
    """(file name, text) of the form's ``file``, else of its ``text`` kept from a preview;
    None when neither was sent. Raises :class:`BadUpload`."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data, name = upload.read(MAX_FILE + 1), upload.filename
    elif request.form.get("text"):
        data, name = request.form["text"].encode("utf-8"), request.form.get("name", "")
    else:
        return None
    if len(data) > MAX_FILE:
        raise BadUpload(_("The file is over %(kb)s KB: is it the right file?", kb=MAX_FILE // 1024))
    try:
        return name or default_name, data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadUpload(_("The file is not UTF-8: save it as “CSV UTF-8”.")) from None
