"""The npm files the site serves itself: Pyodide's core and Mermaid.

Versions come from the installed packages (pinned by package-lock.json) and go
into the URLs, so a new version never meets an old cache.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteError, shown

# What loadPyodide() requests from indexURL; without pyodide-lock.json it fails.
PYODIDE_CORE = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


@dataclass(frozen=True)
class VendorBundle:
    """Files to copy: source path -> path under the site root."""

    pyodide_version: str
    mermaid_version: str
    files: dict[Path, str]

    @property
    def pyodide_dir(self) -> str:
        return f"assets/vendor/pyodide/{self.pyodide_version}/"

    @property
    def mermaid_path(self) -> str:
        return f"assets/vendor/mermaid/{self.mermaid_version}/mermaid.min.js"


def _version(package_dir: Path) -> str:
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        raise SiteError(shown(package_dir), "not installed: run `make setup` (npm ci) first")
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def find_vendor_files(node_modules: Path) -> VendorBundle:
    pyodide = node_modules / "pyodide"
    mermaid = node_modules / "mermaid"
    pyodide_version, mermaid_version = _version(pyodide), _version(mermaid)
    bundle = VendorBundle(pyodide_version, mermaid_version, {})
    for name in PYODIDE_CORE:
        bundle.files[pyodide / name] = bundle.pyodide_dir + name
    bundle.files[mermaid / "dist" / "mermaid.min.js"] = bundle.mermaid_path
    missing = [str(path) for path in bundle.files if not path.is_file()]
    if missing:
        raise SiteError(shown(missing[0]), "missing from node_modules: run `make setup` first")
    return bundle
