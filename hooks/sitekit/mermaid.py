"""Build-time check of Mermaid fences, with file:line.

Mermaid only parses in JavaScript, so the diagrams of the whole build go to one
Node process running the Mermaid version the site serves.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteError
from .fence import find_fences

_CHECKER = Path(__file__).with_name("mermaid_check.mjs")
_LINE = re.compile(r"Parse error on line (\d+)")


@dataclass(frozen=True)
class Diagram:
    where_file: str
    fence_line: int
    source: str


def find_diagrams(markdown: str, src: str) -> list[Diagram]:
    return [Diagram(src, f.line, f.body) for f in find_fences(markdown, "mermaid")]


def check_diagrams(diagrams: list[Diagram]) -> None:
    """Raises SiteError at the first diagram Mermaid cannot parse."""
    if not diagrams:
        return
    node = shutil.which("node")
    if node is None:
        raise SiteError(str(_CHECKER), "node is needed to check Mermaid diagrams")
    payload = [{"where": str(i), "source": d.source} for i, d in enumerate(diagrams)]
    result = subprocess.run(
        [node, str(_CHECKER)], input=json.dumps(payload), capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SiteError(str(_CHECKER), f"failed: {result.stderr.strip().splitlines()[-1:]}")
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
