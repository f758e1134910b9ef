"""The one error the package raises for bad input."""

from __future__ import annotations


class FlowLogError(ValueError):
    """Bad input, located: ``file:line`` (or a JSON path), then what is wrong.

    ``str(err)`` is the one line the CLI prints, for example
    ``flows.log:3: field 'dstport': 'http' is not a number``.
    """

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
