"""Builds the demo packages into pure wheels that Pyodide installs as they are.

`pyodide-build` needs Python 3.12+ and downloads a cross-build environment, so
each package under demos/ is staged with a minimal pyproject.toml and built by
`build` with the setuptools of this venv (no isolation, no network). Wheels
are cached by a hash of their sources, so a rebuild after an edit to the docs
costs nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from build import ProjectBuilder
from pyproject_hooks import quiet_subprocess_runner

from .errors import SiteError, shown

_STAGED_PYPROJECT = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "AWS Security Notes demo package {name}, built for Pyodide."
requires-python = ">=3.11"

[tool.setuptools]
packages = {{find = {{}}}}
include-package-data = false

[tool.setuptools.package-data]
"*" = ["**/*.json", "**/*.jsonl", "**/*.txt", "**/*.md", "**/*.gz", "data/*", "py.typed"]
"""


@dataclass(frozen=True)
class Wheel:
    """A wheel file ready to publish, and the digest the runtime checks."""

    name: str
    path: Path
    sha256: str


def source_digest(package_dir: Path) -> str:
    """A hash of every file a wheel would take from the package (and of the
    staged pyproject, whose package-data patterns decide which files go in)."""
    digest = hashlib.sha256(_STAGED_PYPROJECT.encode())
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package_dir).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def build_demo_wheel(package_dir: Path, cache_dir: Path, version: str = "0.1.0") -> Wheel:
    """The pure wheel of one demo package, built once per distinct source."""
    name = package_dir.name
    if not (package_dir / "__init__.py").is_file():
        raise SiteError(shown(package_dir), "a demo package needs an __init__.py")
    out_dir = cache_dir / f"{name}-{source_digest(package_dir)[:16]}"
    existing = sorted(out_dir.glob("*.whl"))
    if not existing:
        existing = [_build(package_dir, out_dir, name, version)]
    return _described(name, existing[0])


def _build(package_dir: Path, out_dir: Path, name: str, version: str) -> Path:
    with tempfile.TemporaryDirectory(prefix=f"wheel-{name}-") as tmp:
        stage = Path(tmp)
        shutil.copytree(package_dir, stage / name, ignore=shutil.ignore_patterns("__pycache__"))
        (stage / "pyproject.toml").write_text(
            _STAGED_PYPROJECT.format(name=name, version=version), encoding="utf-8"
        )
        partial = out_dir.with_name(out_dir.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        try:
            built = ProjectBuilder(stage, runner=quiet_subprocess_runner).build("wheel", partial)
        except Exception as error:  # build reports many types; one line is what an editor needs
            raise SiteError(shown(package_dir), f"could not build its wheel: {error}") from None
        shutil.rmtree(out_dir, ignore_errors=True)
        partial.rename(out_dir)
        return out_dir / Path(built).name


def describe_wheel(path: Path) -> Wheel:
    """A downloaded third-party wheel, with its project name from the file name."""
    return _described(path.name.split("-")[0].replace("_", "-").lower(), path)


def _described(name: str, path: Path) -> Wheel:
    return Wheel(name, path, hashlib.sha256(path.read_bytes()).hexdigest())
