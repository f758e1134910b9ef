"""`python -m kms_envelope` from a shell: round trips, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kms_envelope", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_tour_walks_through_the_limit_data_keys_and_rotation() -> None:
    result = cli("tour", "--seed", "3", "--size", "100000")
    assert result.returncode == 0, result.stderr
    assert "Encrypt 4097 bytes: ValidationException" in result.stdout
    assert "32-byte plaintext key" in result.stdout
    assert "old envelope still opens: True" in result.stdout


def test_seal_then_open_with_the_same_seed_and_context(tmp_path: Path) -> None:
    source = tmp_path / "plain.bin"
    source.write_bytes(bytes(range(256)) * 1000)
    sealed, opened = tmp_path / "sealed.kmse", tmp_path / "opened.bin"
    assert cli("seal", source, sealed, "--seed", "11", "--context", "app=notes").returncode == 0
    assert sealed.read_bytes() != source.read_bytes()
    assert cli("open", sealed, opened, "--seed", "11", "--context", "app=notes").returncode == 0
    assert opened.read_bytes() == source.read_bytes()
    header = json.loads(cli("describe", sealed).stdout)
    assert header["plaintext bytes"] == 256_000
    assert header["message bytes"] == sealed.stat().st_size


def test_wrong_context_other_seed_and_bad_files_are_one_line(tmp_path: Path) -> None:
    source = tmp_path / "plain.txt"
    source.write_text("hello")
    sealed = tmp_path / "sealed.kmse"
    assert cli("seal", source, sealed, "--seed", "5", "--context", "a=1").returncode == 0
    line = one_line_error(cli("open", sealed, tmp_path / "x", "--seed", "5", "--context", "a=2"))
    assert str(sealed) in line
    assert "context" in line
    line = one_line_error(cli("open", sealed, tmp_path / "x", "--seed", "6", "--context", "a=1"))
    assert "AccessDeniedException" in line or "NotFoundException" in line
    assert "not a kms_envelope message" in one_line_error(cli("describe", source))
    assert "No such file" in one_line_error(cli("describe", tmp_path / "missing"))
    assert "KEY=VALUE" in one_line_error(
        cli("seal", source, sealed, "--seed", "1", "--context", "x")
    )
