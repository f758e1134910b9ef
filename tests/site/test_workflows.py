"""The GitHub Actions workflow: linted by zizmor and actionlint (which must
also catch a bad workflow, so a silent linter can't pass), every action
pinned to a full commit SHA, and the pull-request preview wired up.

This stands in for running the workflow, which can't happen here."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")
ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"

BAD_WORKFLOW = """\
name: bad
on: pull_request
jobs:
  t:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo "${{ matrix.missing }}"
"""


def zizmor(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--persona=pedantic", "--no-progress", str(where)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def actionlint(files: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "actionlint runs under Node"
    return subprocess.run(
        [node, str(ACTIONLINT), *map(str, files)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_there_is_a_workflow() -> None:
    assert [p.name for p in WORKFLOWS] == ["site.yml"]


def test_zizmor_finds_nothing() -> None:
    run = zizmor(ROOT / ".github" / "workflows")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No findings to report" in run.stdout + run.stderr


def test_actionlint_finds_nothing() -> None:
    run = actionlint(WORKFLOWS, ROOT)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture
def bad_workflow(tmp_path: Path) -> Path:
    where = tmp_path / ".github" / "workflows"
    where.mkdir(parents=True)
    (where / "bad.yml").write_text(BAD_WORKFLOW)
    return where / "bad.yml"


def test_zizmor_catches_an_injection_and_an_unpinned_action(bad_workflow: Path) -> None:
    run = zizmor(bad_workflow.parent)
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert "template-injection" in out
    assert "unpinned-uses" in out


def test_actionlint_catches_an_untrusted_input_and_an_unknown_property(
    bad_workflow: Path,
) -> None:
    run = actionlint([bad_workflow], bad_workflow.parents[2])
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert "bad.yml:8:" in out and "potentially untrusted" in out
    assert "bad.yml:9:" in out and '"missing" is not defined' in out


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_sha_with_its_version(path: Path) -> None:
    lines = [line for line in path.read_text().splitlines() if USES.match(line)]
    assert lines, "no uses: at all"
    for line in lines:
        m = USES.match(line)
        assert m is not None
        ref, rest = m.groups()
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}", ref), line
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", rest), f"no version comment: {line}"


def test_node_is_tested_on_20_and_the_current_lts() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    nodes = workflow["jobs"]["test"]["strategy"]["matrix"]["node"]
    assert "20" in nodes and "24" in nodes


def test_a_pull_request_uploads_the_site_and_links_it_in_the_summary() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/site.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    upload = next(s for s in steps if "upload-artifact@" in s.get("uses", ""))
    assert "pull_request" in upload["if"]
    assert upload["with"]["path"] == "site"
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert summary["env"]["PREVIEW_URL"] == f"${{{{ steps.{upload['id']}.outputs.artifact-url }}}}"
    build = next(s for s in steps if s.get("run") == "make build")
    assert steps.index(build) < steps.index(upload) < steps.index(summary)


def test_workflows_grant_no_permission_at_the_top() -> None:
    for path in WORKFLOWS:
        assert yaml.safe_load(path.read_text())["permissions"] == {}, path.name
