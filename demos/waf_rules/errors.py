"""The one error the package raises for bad input."""

from __future__ import annotations


class WafInputError(ValueError):
    """Bad input, with where it is: a JSON path, or ``file:line`` of a log record.

    ``str(err)`` is the one line the CLI prints, for example
    ``acl.json: WebACL.Rules[2].Statement.ByteMatchStatement.PositionalConstraint:
    'SOMEWHERE' is not one of EXACTLY, STARTS_WITH, ...``.
    """

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
