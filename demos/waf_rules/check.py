"""Reading one field of an AWS JSON object, with the JSON path in every error."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from .errors import WafInputError


def kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number"
    )


def obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WafInputError(path, f"expected an object, not {kind(value)}")
    return value


def lst(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise WafInputError(path, f"expected a list, not {kind(value)}")
    return value


def field(parent: dict[str, Any], key: str, path: str) -> Any:
    if key not in parent:
        raise WafInputError(f"{path}.{key}", "missing")
    return parent[key]


def string(parent: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
    if key not in parent and default is not None:
        return default
    value = field(parent, key, path)
    if not isinstance(value, str):
        raise WafInputError(f"{path}.{key}", f"expected a string, not {kind(value)}")
    return value


def integer(parent: dict[str, Any], key: str, path: str, default: int | None = None) -> int:
    if key not in parent and default is not None:
        return default
    value = field(parent, key, path)
    if type(value) is not int:
        raise WafInputError(f"{path}.{key}", f"expected an integer, not {kind(value)}")
    return value


def enum(
    parent: dict[str, Any],
    key: str,
    path: str,
    allowed: Collection[str],
    default: str | None = None,
) -> str:
    value = string(parent, key, path, default)
    if value not in allowed:
        raise WafInputError(
            f"{path}.{key}", f"{value!r} is not one of {', '.join(sorted(allowed))}"
        )
    return value


def single_key(value: Any, path: str, allowed: Collection[str]) -> tuple[str, Any]:
    """The one key of an object like ``{"Block": {...}}`` and its value."""
    d = obj(value, path)
    if len(d) != 1:
        raise WafInputError(path, f"expected exactly one of {', '.join(sorted(allowed))}")
    ((key, inner),) = d.items()
    if key not in allowed:
        raise WafInputError(f"{path}.{key}", f"not one of {', '.join(sorted(allowed))}")
    return key, inner
