"""requirements.txt is hash-locked and agrees with pyproject.toml's pins,
and the Makefile installs it in hash-checking mode."""

from __future__ import annotations

import re
import tomllib

from support import ROOT

REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes), one entry per requirement (a requirement
    runs over its continuation lines)."""
    out: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    for raw in (ROOT / "requirements.txt").read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = REQUIREMENT.match(line)
        if m:
            current = _norm(m.group(1))
            assert current not in out, f"{current} is locked twice"
            out[current] = (m.group(2), [])
        else:
            assert current is not None and line.startswith("--hash="), raw
        out[current][1].extend(re.findall(r"--hash=sha256:([0-9a-f]{64})", line))
    return out


def test_every_requirement_carries_a_hash() -> None:
    locked = _locked()
    assert len(locked) > 50
    unhashed = [name for name, (_, hashes) in locked.items() if not hashes]
    assert unhashed == []


def test_pyproject_pins_and_the_lock_agree() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = _locked()
    pins = project["optional-dependencies"]["dev"]
    assert pins
    for pin in pins:
        name, version = pin.split("==")
        name = _norm(name.split("[")[0])
        assert name in locked, f"{pin} is not in requirements.txt: run make lock"
        assert locked[name][0] == version, (
            f"pyproject pins {pin}, requirements.txt has {locked[name][0]}: run make lock"
        )
    for dep in project["dependencies"]:
        assert _norm(re.split(r"[<>=!~ ]", dep)[0]) in locked, dep


def test_the_makefile_installs_the_lock_in_hash_checking_mode() -> None:
    makefile = (ROOT / "Makefile").read_text()
    install = [line for line in makefile.splitlines() if "-r requirements.txt" in line]
    assert install and all("--require-hashes" in line for line in install), install
