"""Build-time check of Mermaid fences, with file:line.

Mermaid only parses in JavaScript, so the diagrams of the whole build go to one
Node process running the Mermaid version the site serves.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteError, shown
from .fence import find_fences

_CHECKER = Path(__file__).with_name("mermaid_check.mjs")
_MERMAID_PACKAGE = Path(__file__).resolve().parents[2] / "node_modules" / "mermaid" / "package.json"
_LINE = re.compile(r"Parse error on line (\d+)")


@dataclass(frozen=True)
class Diagram:
    where_file: str
    fence_line: int
    source: str


def find_diagrams(markdown: str, src: str) -> list[Diagram]:
    return [Diagram(src, f.line, f.body) for f in find_fences(markdown, "mermaid")]


def _fingerprint(source: str) -> str:
    # A diagram that parsed once parses again with the same Mermaid: keyed by
    # both, so `mkdocs serve` rebuilds skip the Node start-up.
    version = _MERMAID_PACKAGE.read_bytes() if _MERMAID_PACKAGE.is_file() else b""
    return hashlib.sha256(version + b"\0" + source.encode()).hexdigest()


def check_diagrams(diagrams: list[Diagram], cache: Path | None = None) -> None:
    """Raises SiteError at the first diagram Mermaid cannot parse.

    cache, if given, is a file remembering diagrams that parsed before.
    """
    known: set[str] = set()
    if cache is not None and cache.is_file():
        known = set(json.loads(cache.read_text(encoding="utf-8")))
    pending = [d for d in diagrams if _fingerprint(d.source) not in known]
    _parse(pending)
    if cache is not None and pending:
        cache.parent.mkdir(parents=True, exist_ok=True)
        known |= {_fingerprint(d.source) for d in pending}
        cache.write_text(json.dumps(sorted(known)), encoding="utf-8")


def _parse(diagrams: list[Diagram]) -> None:
    if not diagrams:
        return
    node = shutil.which("node")
    if node is None:
        raise SiteError(shown(_CHECKER), "node is needed to check Mermaid diagrams")
    payload = [{"where": str(i), "source": d.source} for i, d in enumerate(diagrams)]
    result = subprocess.run(
        [node, str(_CHECKER)], input=json.dumps(payload), capture_output=True, text=True
    )
    if result.returncode != 0:
        last_line = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise SiteError(shown(_CHECKER), f"failed: {last_line}")
    for problem in json.loads(result.stdout):
        diagram = diagrams[int(problem["where"])]
        message = " ".join(str(problem["error"]).split())
        if " Expecting " in message and ", got " in message:
            # Mermaid lists every token it would accept; the one it got is enough.
            message = message.split(" Expecting ")[0] + " got " + message.rsplit(", got ", 1)[1]
        match = _LINE.search(message)
        # An error at the end of input is reported one line past the last.
        last = max(1, len(diagram.source.splitlines()))
        line = diagram.fence_line + (min(int(match[1]), last) if match else 0)
        where = f"{diagram.where_file}:{line}"
        raise SiteError(where, f"Mermaid cannot parse this diagram: {message}")
