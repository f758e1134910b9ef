"""Live demos: `demo` fences become widgets; the packages they run are published.

- on_config: registers the `demo` fence with superfences.
- on_page_markdown: checks every demo of the page, failing with file:line.
- on_post_build: builds the demo wheels and writes runtime-config.json, the one
  file the browser runtime reads to find Pyodide, the wheels and Mermaid.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from sitekit import (
    DemoPackage,
    SiteError,
    build_demo_wheel,
    build_spec,
    check_page,
    describe_wheel,
    find_vendor_files,
    load_demo_packages,
    page_source_name,
    render_widget,
    shown,
)

_ROOT = Path(__file__).resolve().parent.parent
_DEMOS = _ROOT / "demos"
_EXAMPLES = _DEMOS / "examples"
_THIRD_PARTY_WHEELS = _ROOT / ".cache" / "pyodide-wheels"
_WHEEL_CACHE = _ROOT / ".cache" / "demo-wheels"
_PUBLISHED = "assets/demos"

_packages: dict[str, DemoPackage] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _packages.clear()
    _packages.update(load_demo_packages())
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = [f for f in superfences.get("custom_fences", []) if f.get("name") != "demo"]
    fences.append({"name": "demo", "class": "demo", "format": _format, "validator": _validate})
    superfences["custom_fences"] = fences
    return config


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    check_page(
        markdown,
        page_source_name(page, config),
        known_packages=frozenset(_packages),
        examples_dir=_EXAMPLES,
    )
    return markdown


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    out = site / _PUBLISHED
    wheels: dict[str, dict[str, str]] = {}
    for package in _packages.values():
        wheel = build_demo_wheel(_DEMOS / package.name, _WHEEL_CACHE)
        wheels[package.name] = _publish(wheel.path, wheel.sha256, out)
    third_party = sorted(_THIRD_PARTY_WHEELS.glob("*.whl"))
    for path in third_party:
        wheel = describe_wheel(path)
        wheels[wheel.name] = _publish(wheel.path, wheel.sha256, out)
    needed = {name for package in _packages.values() for name in package.requires}
    missing = sorted(needed - set(wheels))
    if missing:
        problem = f"no wheel for {missing[0]}: run `make setup` first"
        raise SiteError(shown(_THIRD_PARTY_WHEELS), problem)
    vendor = find_vendor_files(_ROOT / "node_modules")
    runtime_config = {
        "pyodide": {
            "version": vendor.pyodide_version,
            "indexURL": f"../../{vendor.pyodide_dir}",
            "files": {
                dest.rsplit("/", 1)[1]: source.stat().st_size
                for source, dest in vendor.files.items()
                if dest.startswith(vendor.pyodide_dir)
            },
            # What each core file must hash to: a build test checks them
            # against node_modules. (loadPyodide fetches these files itself
            # and takes no digests for them, so the browser can't enforce
            # them; the demo wheels' sha256 it does check, see "wheels".)
            "sha256": {
                dest.rsplit("/", 1)[1]: hashlib.sha256(source.read_bytes()).hexdigest()
                for source, dest in vendor.files.items()
                if dest.startswith(vendor.pyodide_dir)
            },
        },
        "wheels": wheels,
        "requires": {name: list(package.requires) for name, package in _packages.items()},
        "mermaid": f"../../{vendor.mermaid_path}",
    }
    (out / "runtime-config.json").write_text(
        json.dumps(runtime_config, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _publish(path: Path, sha256: str, out: Path) -> dict[str, str]:
    # The digest in the directory name busts caches without renaming the wheel,
    # whose file name Pyodide parses.
    relative = f"wheels/{sha256[:12]}/{path.name}"
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    return {"url": relative, "sha256": sha256}


def _validate(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, Any], md: Any
) -> bool:
    # Checking happens in on_page_markdown, where the line is known; here every
    # option is passed through to _format.
    options.update(inputs)
    return True


def _format(
    source: str, language: str, class_name: str, options: dict[str, Any], md: Any, **_: Any
) -> str:
    try:
        spec = build_spec(
            {key: str(value) for key, value in options.items()},
            source,
            known_packages=frozenset(_packages),
            examples_dir=_EXAMPLES,
        )
    except ValueError as error:
        # on_page_markdown reports these with file:line first; this is only
        # reached by a fence its scan could not see (Markdown from a plugin).
        raise SiteError("a demo fence", str(error)) from None
    return render_widget(spec)
