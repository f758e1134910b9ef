"""The one error type of the site build: a message that names file:line."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError


def shown(path: Path | str) -> str:
    """A path as an editor types it: relative to where the build runs, if inside."""
    resolved = Path(path).resolve()
    cwd = Path.cwd().resolve()
    return resolved.relative_to(cwd).as_posix() if resolved.is_relative_to(cwd) else str(path)


class SiteError(PluginError):
    """A build failure an editor can act on; MkDocs prints it as one line."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")
