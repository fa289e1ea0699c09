"""The rules between the packages, and the code base's lint."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs the linters as processes

ROOT = Path(__file__).resolve().parents[2]


def tool(name: str) -> str:
    """The command installed beside this Python (the project's virtualenv), else on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def test_the_import_contracts_hold():
    """``.importlinter``: the layers (bot, web, evaluation, then bulletins), the core free of
    Slack's libraries, and no import cycle between the modules of a package."""
    lint = tool("lint-imports")
    result = subprocess.run([lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing():
    ruff = tool("ruff")
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
