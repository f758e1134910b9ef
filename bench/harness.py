"""Serving a built site on 127.0.0.1 and launching Chromium: shared by the
browser tests and the benchmarks, so both measure the same set-up."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The path of site_url in mkdocs.yml: Material's instant navigation keeps only
# the path of the sitemap's URLs, so the site is served under it.
SITE_PATH = "/aws-security-notes/"
VENV_BIN = Path(sys.executable).parent

# Debian's Chromium as root in a sandbox without network (see DESIGN.md):
# without the background-networking flags it keeps dialling Google's hosts.
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class BuildFailed(Exception):
    """mkdocs build exited non-zero; the message is its output."""


def build_site(
    dest: Path,
    *,
    config: Path | None = None,
    site_url: str | None = None,
    cwd: Path = ROOT,
) -> None:
    """`mkdocs build --strict` into dest."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if site_url is not None:
        env["SITE_URL"] = site_url
    command = [str(VENV_BIN / "mkdocs"), "build", "--strict", "--quiet", "-d", str(dest)]
    if config is not None:
        command += ["-f", str(config)]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildFailed(f"mkdocs build failed:\n{result.stdout}{result.stderr}")


def chromium_path() -> str:
    """$CHROMIUM if set, else Debian's chromium (`make test` installs it)."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        raise FileNotFoundError(
            "no Chromium: set CHROMIUM or run `make test`, which installs Debian's"
        )
    return found


class LocalServer(http.server.ThreadingHTTPServer):
    """A threaded server that closes every connection before it is gone.

    Chromium opens speculative connections that may never send a request; a
    daemon thread would keep such a socket open past the server's close, and
    its eventual garbage collection is a ResourceWarning (an error under
    pytest's filterwarnings). Handlers time out instead, and close() waits.
    """

    daemon_threads = False
    block_on_close = True


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, no access log, and no connection held open forever."""

    timeout = 5

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _SiteHandler(QuietHandler):
    """Serves a built site under SITE_PATH; everything else is a 404."""

    # Browsers refuse module scripts and streaming wasm without the right types.
    extensions_map = {  # noqa: RUF012 - overrides the base class's attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".whl": "application/octet-stream",
        ".zip": "application/zip",
    }

    def translate_path(self, path: str) -> str:
        if not path.startswith(SITE_PATH):
            return str(Path(self.directory) / "__outside_site_path__")
        return super().translate_path("/" + path[len(SITE_PATH) :])


def bind() -> LocalServer:
    """A server bound to a free port on 127.0.0.1, not yet serving.

    Bind first, build second: Material keeps the path *and port* of the
    sitemap's URLs, so the site must be built for the port it is served on.
    """
    return LocalServer(("127.0.0.1", 0), _SiteHandler)


def url_of(httpd: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}{SITE_PATH}"


@contextmanager
def serve(site: Path, httpd: http.server.ThreadingHTTPServer | None = None) -> Iterator[str]:
    """Serve site (on httpd, or on a new free port); yields the site's URL."""
    httpd = httpd or bind()
    httpd.RequestHandlerClass = functools.partial(_SiteHandler, directory=str(site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield url_of(httpd)
    finally:
        httpd.shutdown()
        httpd.server_close()
