"""Self-hosted browser assets: the demo runtime bundle, Pyodide and Mermaid.

- on_config: tells the theme (overrides/main.html) the content-hashed names of
  the runtime's entry points, so every page links them.
- on_post_build: copies the runtime bundle and the vendor files into the site,
  and the service worker (runtime/src/coi-sw.ts) to the site root under its
  fixed name: a service worker controls only URLs at or below its own path,
  and GitHub Pages cannot send Service-Worker-Allowed to widen that.
Nothing is fetched from a CDN: the site makes no third-party request.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from sitekit import SiteError, find_vendor_files, shown

_ROOT = Path(__file__).resolve().parent.parent
_RUNTIME_DIST = _ROOT / "runtime" / "dist"
_ENTRYPOINTS = _RUNTIME_DIST / "entrypoints.json"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not _ENTRYPOINTS.is_file():
        raise SiteError(shown(_ENTRYPOINTS), "missing: run `make setup` to build the runtime")
    entrypoints = json.loads(_ENTRYPOINTS.read_text(encoding="utf-8"))
    config.extra["demo_runtime"] = {
        key: f"assets/demos/{entrypoints[key]}" for key in ("loader", "css", "mermaidShim")
    }
    return config


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    service_worker = json.loads(_ENTRYPOINTS.read_text(encoding="utf-8"))["serviceWorker"]
    shutil.copytree(
        _RUNTIME_DIST,
        site / "assets" / "demos",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("*.map", "entrypoints.json", "metafile.json", service_worker),
    )
    # runtime/src/isolation.ts registers it as ../../ from assets/demos/.
    shutil.copyfile(_RUNTIME_DIST / service_worker, site / service_worker)
    for source, dest in find_vendor_files(_ROOT / "node_modules").files.items():
        target = site / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
