"""Finds `demo` fences in a page's Markdown and checks them, with file:line.

Superfences renders the fence but cannot say where it is, so every check an
editor needs (unknown option or package, missing file, code that does not
compile) runs here first, on the raw Markdown, where line numbers are known.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import SiteError

FENCE_NAME = "demo"
ALWAYS_LOADED = "livedemo"
OPTIONS = frozenset({"title", "packages", "height", "timeout", "file", "input", "extra"})
MAX_HEIGHT = 30
MAX_TIMEOUT = 600
DEFAULT_TIMEOUT = 30

# An opening fence: indent, ``` or ~~~ (3 or more), the language, then options.
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w-]+)(?P<rest>.*)$")
_OPTION = re.compile(
    r"""\s*(?P<key>[A-Za-z_][\w-]*)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+))"""
)
_INPUT_NAME = re.compile(r"^[\w][\w.-]{0,99}$")


@dataclass(frozen=True)
class DemoSpec:
    """One demo as the page declares it, checked."""

    title: str
    code: str
    packages: tuple[str, ...]
    height: int | None
    timeout: int
    input_name: str | None
    # A second, optional file the reader may give beside the input (agents.json).
    extra_name: str | None = None

    @property
    def demo_id(self) -> str:
        """Stable id of the original code: keys saved edits, so a changed page
        never brings back edits made to older code."""
        return hashlib.sha256(self.code.encode()).hexdigest()[:12]


def parse_options(text: str) -> dict[str, str]:
    """`key="value" key2=value` as a dict; raises ValueError on anything else."""
    options: dict[str, str] = {}
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _OPTION.match(text, pos)
        if match is None:
            raise ValueError(f"cannot read the fence options from {text[pos:]!r}")
        key = match["key"]
        if key in options:
            raise ValueError(f"option {key!r} is given twice")
        value = match["dq"] if match["dq"] is not None else match["sq"]
        options[key] = value if value is not None else match["bare"]
        pos = match.end()
    return options


def build_spec(
    options: Mapping[str, str],
    body: str,
    *,
    known_packages: frozenset[str],
    examples_dir: Path,
) -> DemoSpec:
    """Check the options and the code of one fence; raises ValueError with the reason."""
    unknown = sorted(set(options) - OPTIONS)
    if unknown:
        allowed = ", ".join(sorted(OPTIONS))
        raise ValueError(f"unknown demo option {unknown[0]!r} (allowed: {allowed})")
    title = options.get("title", "").strip()
    if not title:
        raise ValueError('a demo needs a title, e.g. title="What does Encrypt return?"')

    packages = [ALWAYS_LOADED]
    for name in options.get("packages", "").replace(",", " ").split():
        if name not in known_packages:
            known = ", ".join(sorted(known_packages - {ALWAYS_LOADED}))
            raise ValueError(f"unknown demo package {name!r} (known: {known})")
        if name not in packages:
            packages.append(name)

    height = _bounded_int(options, "height", 1, MAX_HEIGHT)
    timeout = _bounded_int(options, "timeout", 1, MAX_TIMEOUT) or DEFAULT_TIMEOUT

    input_name = options.get("input")
    if input_name is not None and not _INPUT_NAME.match(input_name):
        raise ValueError(f"input={input_name!r} must be a plain file name such as snapshot.json")

    extra_name = options.get("extra")
    if extra_name is not None:
        if input_name is None:
            raise ValueError("extra= names a second file beside input=; give input= too")
        if not _INPUT_NAME.match(extra_name) or extra_name == input_name:
            raise ValueError(
                f"extra={extra_name!r} must be a plain file name other than input=,"
                " such as agents.json"
            )

    code = body.rstrip("\n")
    if "file" in options:
        if body.strip():
            raise ValueError("a demo with file= must have an empty body")
        code = _read_example(examples_dir, options["file"]).rstrip("\n")
    if not code.strip():
        raise ValueError("the demo has no code")
    return DemoSpec(title, code, tuple(packages), height, timeout, input_name, extra_name)


def _bounded_int(options: Mapping[str, str], key: str, low: int, high: int) -> int | None:
    raw = options.get(key)
    if raw is None:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValueError(f"{key}={raw!r} must be a whole number from {low} to {high}")
    return int(raw)


def _read_example(examples_dir: Path, name: str) -> str:
    root = examples_dir.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"file={name!r} must stay inside {examples_dir}")
    if not path.is_file():
        raise ValueError(f"file={name!r}: no such file in {examples_dir}")
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class FoundFence:
    """A demo fence located in a Markdown source."""

    line: int  # 1-based line of the opening fence
    options: str
    body: str


def find_demo_fences(markdown: str) -> Iterator[FoundFence]:
    """Yield every `demo` fence, skipping the insides of other fences."""
    return find_fences(markdown, FENCE_NAME)


def find_fences(markdown: str, language: str) -> Iterator[FoundFence]:
    """Yield every fence of one language, skipping the insides of other fences."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _OPEN.match(lines[index])
        if opening is None:
            index += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        close = re.compile(rf"^{re.escape(indent)}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        end = index + 1
        while end < len(lines) and not close.match(lines[end]):
            end += 1
        if opening["lang"] == language:
            if end >= len(lines):
                raise _Unclosed(index + 1)
            body = "\n".join(_dedent(line, indent) for line in lines[index + 1 : end])
            yield FoundFence(index + 1, opening["rest"], body)
        index = end + 1


class _Unclosed(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def check_page(
    markdown: str,
    src: str,
    *,
    known_packages: frozenset[str],
    examples_dir: Path,
) -> list[DemoSpec]:
    """Every demo of a page, checked; raises SiteError naming `src:line`."""
    specs: list[DemoSpec] = []
    fences = find_demo_fences(markdown)
    while True:
        try:
            found = next(fences)
        except StopIteration:
            return specs
        except _Unclosed as error:
            raise SiteError(f"{src}:{error.line}", "the demo fence is never closed") from None
        try:
            spec = build_spec(
                parse_options(found.options),
                found.body,
                known_packages=known_packages,
                examples_dir=examples_dir,
            )
        except ValueError as error:
            raise SiteError(f"{src}:{found.line}", str(error)) from None
        _check_compiles(spec, src, found)
        specs.append(spec)


def _check_compiles(spec: DemoSpec, src: str, found: FoundFence) -> None:
    try:
        compile(spec.code, "<demo>", "exec", dont_inherit=True)
    except SyntaxError as error:
        # Inline code starts on the line after the opening fence; code from a
        # file= has no line in the page, so point at the fence and the demo line.
        line = error.lineno or 1
        where = f"{src}:{found.line + line}" if found.body.strip() else f"{src}:{found.line}"
        raise SiteError(
            where, f"the demo does not compile: {error.msg} (line {line} of the demo)"
        ) from None
