"""`python -m kms_envelope` from a shell: round trips, and one-line errors."""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kms_envelope import cli as kms_cli
from kms_envelope.cli import run

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
    assert "no such file" in one_line_error(cli("describe", tmp_path / "missing")).lower()
    assert "KEY=VALUE" in one_line_error(
        cli("seal", source, sealed, "--seed", "1", "--context", "x")
    )


# -- bad input: one line naming what and where, exit 2, the input untouched ----


def sealed_file(tmp_path: Path, seed: str = "5", context: str = "a=1") -> tuple[Path, bytes]:
    source = tmp_path / "plain.txt"
    source.write_text("attack at dawn")
    sealed = tmp_path / "sealed.kmse"
    result = cli("seal", source, sealed, "--seed", seed, "--context", context)
    assert result.returncode == 0, result.stderr
    return sealed, sealed.read_bytes()


def listing(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_help_names_the_size_limit_and_what_it_is() -> None:
    text = cli("tour", "--help").stdout
    assert "--size" in text
    assert "1 GiB" in text
    assert "memory" in text
    assert "1 GiB" in cli("seal", "--help").stdout


@pytest.mark.parametrize("size", ["1000000000000", str(2**30 + 1), "-1"])
def test_a_tour_size_beyond_the_limit_is_one_line(size: str) -> None:
    line = one_line_error(cli("tour", "--size", size))
    assert f"--size {size}" in line
    assert "1 GiB" in line
    assert "MemoryError" not in line


@pytest.mark.parametrize("command", ["open", "seal"])
def test_the_output_may_not_be_the_input(tmp_path: Path, command: str) -> None:
    sealed, before = sealed_file(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.kmse").symlink_to(sealed)
    os.link(sealed, tmp_path / "hard.kmse")
    for target in (
        sealed,
        tmp_path / "link.kmse",
        tmp_path / "hard.kmse",
        tmp_path / "sub" / ".." / "sealed.kmse",
    ):
        line = one_line_error(cli(command, sealed, target, "--seed", "5", "--context", "a=1"))
        assert str(target) in line
        assert "input" in line
        assert sealed.read_bytes() == before, f"{command} wrote over its input via {target}"
        assert (tmp_path / "link.kmse").is_symlink()
    assert sorted(listing(tmp_path)) == [
        "hard.kmse",
        "link.kmse",
        "plain.txt",
        "sealed.kmse",
        "sub",
    ]


def test_the_same_file_by_a_relative_name(tmp_path: Path) -> None:
    sealed, before = sealed_file(tmp_path)
    argv = ["open", str(sealed), "sealed.kmse", "--seed", "5", "--context", "a=1"]
    result = subprocess.run(
        [sys.executable, "-m", "kms_envelope", *argv],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "demos")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "sealed.kmse" in one_line_error(result)
    assert sealed.read_bytes() == before


def test_an_output_in_a_missing_directory(tmp_path: Path) -> None:
    sealed, _ = sealed_file(tmp_path)
    target = tmp_path / "nowhere" / "opened.txt"
    line = one_line_error(cli("open", sealed, target, "--seed", "5", "--context", "a=1"))
    assert str(tmp_path / "nowhere") in line
    assert "does not exist" in line
    assert not (tmp_path / "nowhere").exists()


def test_inputs_that_are_not_readable_files(tmp_path: Path) -> None:
    sealed, _ = sealed_file(tmp_path)
    out = tmp_path / "out"
    line = one_line_error(cli("open", tmp_path, out, "--seed", "5"))
    assert str(tmp_path) in line
    assert "directory" in line
    line = one_line_error(cli("describe", tmp_path))
    assert "directory" in line
    # A path through a regular file: ENOTDIR, whoever runs the test.
    line = one_line_error(cli("seal", sealed / "inside", out, "--seed", "5"))
    assert str(sealed / "inside") in line
    assert "Not a directory" in line
    line = one_line_error(cli("seal", tmp_path / "missing", out, "--seed", "5"))
    assert "no such file" in line
    assert not out.exists()


def test_outputs_that_cannot_become_a_file(tmp_path: Path) -> None:
    sealed, _ = sealed_file(tmp_path)
    (tmp_path / "adir").mkdir()
    line = one_line_error(cli("open", sealed, tmp_path / "adir", "--seed", "5", "--context", "a=1"))
    assert str(tmp_path / "adir") in line
    assert "directory" in line
    assert listing(tmp_path / "adir") == []
    line = one_line_error(cli("open", sealed, "/dev/null", "--seed", "5", "--context", "a=1"))
    assert "/dev/null" in line
    assert Path("/dev/null").is_char_device()


def damaged(data: bytes) -> dict[str, bytes]:
    middle = len(data) - 20
    return {
        "truncated": data[:-7],
        "header only": data[:120],
        "bit flipped": data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :],
        "extended": data + b"\x00" * 5,
        "empty": b"",
        "other version": data[:4] + b"\x09" + data[5:],
    }


@pytest.mark.parametrize("kind", list(damaged(b"x" * 200)))
def test_a_damaged_envelope_is_one_line_and_writes_nothing(tmp_path: Path, kind: str) -> None:
    _, data = sealed_file(tmp_path)
    bad = tmp_path / "bad.kmse"
    bad.write_bytes(damaged(data)[kind])
    target = tmp_path / "opened.txt"
    target.write_text("keep me")
    before = listing(tmp_path)
    line = one_line_error(cli("open", bad, target, "--seed", "5", "--context", "a=1"))
    assert str(bad) in line
    assert target.read_text() == "keep me"
    assert listing(tmp_path) == before, "a temporary file was left behind"
    if kind != "bit flipped":  # the header and frame layout say nothing is amiss
        assert str(bad) in one_line_error(cli("describe", bad))


def test_a_failed_open_leaves_the_old_target_and_no_temporary_file(tmp_path: Path) -> None:
    sealed, _ = sealed_file(tmp_path)
    target = tmp_path / "opened.txt"
    target.write_text("yesterday's plaintext")
    before = listing(tmp_path)
    one_line_error(cli("open", sealed, target, "--seed", "5", "--context", "a=2"))
    assert target.read_text() == "yesterday's plaintext"
    assert listing(tmp_path) == before


def _small_file_limit() -> None:  # runs in the child, before exec
    # Writes past 4096 bytes fail with EFBIG (SIGXFSZ ignored, so it is an error).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_write_that_fails_halfway_leaves_no_half_written_file(tmp_path: Path) -> None:
    source = tmp_path / "plain.bin"
    source.write_bytes(bytes(range(256)) * 40)  # 10240 bytes: over the limit below
    sealed = tmp_path / "sealed.kmse"
    assert cli("seal", source, sealed, "--seed", "5").returncode == 0
    # RLIMIT_FSIZE limits writing only: the sealed file (over 4096 bytes) is still read.
    target = tmp_path / "opened.bin"
    target.write_text("keep me")
    before = listing(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "kms_envelope", "open", str(sealed), str(target), "--seed", "5"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_small_file_limit,
    )
    line = one_line_error(result)
    assert str(target) in line
    assert target.read_bytes() == b"keep me", "the old target was replaced by part of the output"
    assert listing(tmp_path) == before, "a temporary file was left behind"


def test_an_existing_target_keeps_its_permissions_a_new_one_is_private(tmp_path: Path) -> None:
    sealed, _ = sealed_file(tmp_path)
    target = tmp_path / "opened.txt"
    target.write_text("old")
    target.chmod(0o640)
    assert cli("open", sealed, target, "--seed", "5", "--context", "a=1").returncode == 0
    assert target.read_text() == "attack at dawn"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.txt"
    assert cli("open", sealed, fresh, "--seed", "5", "--context", "a=1").returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ((), "required"),
        (("frobnicate",), "frobnicate"),
        (("tour", "--seed", "x"), "--seed"),
        (("tour", "--size", "1e9"), "--size"),
        (("seal", "a", "b"), "--seed"),
        (("seal", "a", "b", "--seed", "1", "--context", "k=1", "--context", "k=2"), "twice"),
        (("tour", "a\nb"), "a b"),
    ],
)
def test_usage_errors_are_one_line(args: tuple[str, ...], needle: str) -> None:
    assert needle in one_line_error(cli(*args))


def in_process(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(argv)
    return code, out.getvalue(), err.getvalue()


def test_a_file_to_seal_over_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kms_cli, "MAX_PLAINTEXT", 1000)
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(1001))
    code, _, err = in_process(["seal", str(big), str(tmp_path / "out"), "--seed", "1"])
    assert code == 2
    assert str(big) in err
    assert "1001 bytes" in err
    assert "1000" in err
    # A source with no end is refused once past the limit, not read forever.
    code, _, err = in_process(["seal", "/dev/zero", str(tmp_path / "out"), "--seed", "1"])
    assert code == 2
    assert "/dev/zero" in err
    assert not (tmp_path / "out").exists()


def test_a_closed_stdout_is_not_a_traceback() -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "kms_envelope", "tour", "--size", "10"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.close()  # before the tour prints anything
        stderr = proc.stderr.read().decode()
        proc.wait(timeout=120)
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr


# -- the fuzzer: any argv, any files -------------------------------------------

SAFE_TEXT = st.text(
    alphabet=st.characters(exclude_characters="/.", exclude_categories=["Cs"]),
    max_size=12,
)


@pytest.fixture(scope="module")
def fuzz_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    root = tmp_path_factory.mktemp("fuzz-seed")
    (root / "plain").write_bytes(b"some plaintext")
    assert run(["seal", str(root / "plain"), str(root / "sealed"), "--seed", "3"]) == 0
    data = (root / "sealed").read_bytes()
    files = {"plain": b"some plaintext", "sealed": data}
    files.update({name.replace(" ", "-"): blob for name, blob in damaged(data).items()})
    return files


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_any_argv_exits_0_or_2_with_one_line(
    fuzz_files: dict[str, bytes], data: st.DataObject
) -> None:
    names = [*fuzz_files, "link", "dir", "dir/x", "missing", "out"]
    token = st.one_of(
        st.sampled_from(["tour", "seal", "open", "describe", "frobnicate"]),
        st.sampled_from(["--seed", "--size", "--context", "--help", "-h", "--"]),
        st.sampled_from(["3", "0", "-1", "7", "4096", str(2**30 + 1), "10" * 8, "x"]),
        st.sampled_from(["a=1", "a=2", "a", "=1", "a=", "\udcff=1", "a\nb=1"]),
        st.sampled_from(names),
        SAFE_TEXT,
    )
    argv = data.draw(st.lists(token, max_size=8))
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        for name, blob in fuzz_files.items():
            Path(name).write_bytes(blob)
        Path("dir").mkdir()
        Path("link").symlink_to("sealed")
        code, _, err = in_process(argv)
        assert code in (0, 2), (argv, err)
        if code == 2:
            assert err.startswith("kms_envelope: error: "), (argv, err)
            assert len(err.splitlines()) == 1, (argv, err)
        assert "Traceback" not in err
        assert not [n for n in os.listdir(".") if n.endswith(".tmp")], argv
        # seal and open never change their input, whatever the target.
        try:
            args = kms_cli._parser().parse_args(argv)
        except (kms_cli.UsageError, SystemExit):
            return
        if args.command in ("seal", "open") and str(args.source) in fuzz_files:
            assert Path(args.source).read_bytes() == fuzz_files[str(args.source)], argv


def test_a_path_with_a_nul_byte_names_that_path(tmp_path: Path) -> None:
    source = tmp_path / "plain.txt"
    source.write_text("x")
    code, _, err = in_process(["seal", str(source), "out\x00put", "--seed", "1"])
    assert code == 2
    assert err.startswith("kms_envelope: error: 'out\\x00put': ")
    assert len(err.splitlines()) == 1
