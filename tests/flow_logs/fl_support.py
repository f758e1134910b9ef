"""Helpers shared by the flow_logs tests: run the CLI, write log files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "demos" / "flow_logs" / "data"
PYTHON = ROOT / ".venv" / "bin" / "python"

DEFAULT_HEADER = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol "
    "packets bytes start end action log-status"
)


def cli(*args, cwd=None):
    exe = str(PYTHON) if PYTHON.exists() else sys.executable
    return subprocess.run(
        [exe, "-m", "flow_logs", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=120,
        check=False,
    )


def cli_json(*args):
    run = cli(*args)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    return json.loads(run.stdout)


def write(tmp_path: Path, name: str, *lines: str, header: str | None = DEFAULT_HEADER) -> Path:
    path = tmp_path / name
    body = ([header] if header else []) + list(lines)
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path
