"""The files a deployment reads: the pinned versions and the Procfile's processes."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    found = [line.split("==") for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(name): version for name, version in found}


def test_constraints_pin_every_dependency_within_its_declared_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pinned = pins()
    for requirement in map(Requirement, declared):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"constraints.txt does not pin {requirement.name}"
        assert requirement.specifier.contains(pinned[name]), (requirement, pinned[name])
    assert "bulletins" not in pinned


def test_the_procfile_runs_the_web_and_clock_processes_and_migrates_after_each_deploy():
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    processes = dict(line.split(": ", 1) for line in lines if line.strip())
    assert processes["web"] == "bulletins serve"
    assert processes["clock"] == "bulletins scheduler"
    assert processes["release"] == processes["postdeploy"] == "bulletins db upgrade"
