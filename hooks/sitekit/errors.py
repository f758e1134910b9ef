"""The one error type of the site build: a message that names file:line."""

from __future__ import annotations

from mkdocs.exceptions import PluginError


class SiteError(PluginError):
    """A build failure an editor can act on; MkDocs prints it as one line."""

    def __init__(self, where: str, message: str) -> None:
        self.where = where
        super().__init__(f"{where}: {message}")
