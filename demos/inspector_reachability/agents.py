"""The agents file: which instances run an agent and what they listen on."""

from __future__ import annotations

from .errors import SnapshotError
from .fields import kind as _kind
from .fields import obj as _obj


def load_agents(agents: object) -> dict[str, frozenset[tuple[str, int]]]:
    """``{instance id: {(protocol, port), ...}}``. Raises ``SnapshotError``.

    An instance listed here has an agent, even with no listeners.
    """
    root = _obj(agents, "(agents)")
    table = _obj(root.get("Agents", {}), "Agents")
    out: dict[str, frozenset[tuple[str, int]]] = {}
    for iid, entry in table.items():
        p = f"Agents.{iid}"
        listening = _obj(entry, p).get("listening", [])
        if not isinstance(listening, list):
            raise SnapshotError(f"{p}.listening", f"expected an array, got {_kind(listening)}")
        ports: set[tuple[str, int]] = set()
        for i, item in enumerate(listening):
            q = f"{p}.listening[{i}]"
            obj = _obj(item, q)
            proto = obj.get("protocol")
            if proto not in ("tcp", "udp"):
                raise SnapshotError(f"{q}.protocol", f"expected 'tcp' or 'udp', got {proto!r}")
            port = obj.get("port")
            if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
                raise SnapshotError(f"{q}.port", f"expected an integer 0-65535, got {port!r}")
            process = obj.get("process")
            if process is not None and not isinstance(process, str):
                raise SnapshotError(f"{q}.process", f"expected a string, got {_kind(process)}")
            ports.add((proto, port))
        out[iid] = frozenset(ports)
    return out
