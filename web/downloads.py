"""A file to download, named; the view that returns it has checked who asks."""

from __future__ import annotations

from flask import Response


def download(content: str | bytes, filename: str, mimetype: str) -> Response:
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
