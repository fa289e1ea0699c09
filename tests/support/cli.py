"""Running the installed ``bulletins`` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(
    *args: str, cwd: Path, env: dict | None = None, answer: str | None = None
) -> subprocess.CompletedProcess:
    """``bulletins ARGS`` in ``cwd``; ``answer``: what the person types at its prompts."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE"))}
    environment.pop("BULLETINS_CONFIG", None)
    environment.update(env or {})
    return subprocess.run(
        [BULLETINS, *args], cwd=cwd, env=environment, capture_output=True, text=True,
        timeout=60, input=answer,
    )  # fmt: skip


BULLETINS = str(Path(sys.executable).with_name("bulletins"))
