"""The HTTP side of the stand-in: a threading server, its handler, and request bodies.

Each request is read whole, parsed into Slack-style args, and handed to
``SlackStandIn.handle_http``; the answer may be held back (``Reply.delay``).
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from .model import Args

if TYPE_CHECKING:
    from .web_api import SlackStandIn

JSON_ARGS = frozenset({"blocks", "view", "attachments", "files", "metadata"})


class StandInServer(ThreadingHTTPServer):
    """A threading HTTP server that serves one ``SlackStandIn``."""

    daemon_threads = True
    request_queue_size = 128  # the default of 5 drops bursts of concurrent clients
    standin: SlackStandIn

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that died mid-request (as fault tests make them) is no error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class RequestHandler(BaseHTTPRequestHandler):
    """Hands GETs and POSTs to the stand-in and writes its reply."""

    server: StandInServer

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        """Serve a POST (Web API calls, uploads, response URLs)."""
        self._serve()

    def do_GET(self) -> None:
        """Serve a GET (Web API calls may come as query strings)."""
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.standin.handle_http(self.path, self.headers, body)
        if reply.delay:
            time.sleep(reply.delay)
        data, content_type = reply.encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            if name.lower() != "content-type":  # sent above
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""


def parse_args(content_type: str, query: str, body: bytes) -> Args:
    """A Web API call's args from its query string and body, JSON args decoded."""
    args: Args = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        parsed = json.loads(body or b"{}")
        if not isinstance(parsed, dict):
            raise ValueError("JSON body must be an object")
        args.update(parsed)
    elif media_type == "multipart/form-data":
        args.update(_parse_multipart(content_type, body))
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_ARGS & args.keys():
        if isinstance(args[key], str):
            # Left as a string when not JSON: the method reports the bad format.
            with contextlib.suppress(ValueError):
                args[key] = json.loads(args[key])
    return args


def _parse_multipart(content_type: str, body: bytes) -> Args:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    args: Args = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        args[name] = payload if part.get_filename() else payload.decode("utf-8")
    return args
