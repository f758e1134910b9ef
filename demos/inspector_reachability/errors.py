"""The one error the package raises for bad input."""

from __future__ import annotations


class SnapshotError(ValueError):
    """Bad input, with the JSON path of the offending value.

    ``str(err)`` is the one line the CLI prints, for example
    ``SecurityGroups[3].IpPermissions[0].IpRanges[0].CidrIp: '10.0.0.0/33' is not a CIDR``.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
