"""Every run starts clean: what one demo imported, patched or wrote is undone.

The browser keeps one interpreter per tab, so that the next demo starts at
once. Before a run, `Baseline` records the interpreter's shared state; after
it, `restore()` puts it back:

- modules imported during the run leave `sys.modules`; modules that existed
  get their globals back, and the classes they define get their attributes
  back (so `livedemo.show = ...` or `json.JSONEncoder.default = ...` last one
  run only);
- the interpreter's registries (`sys.path`, import hooks, warning filters,
  trace and profile functions, the recursion limit, `os.environ`, the working
  directory) are reset;
- files the run created in the working directory or in `/tmp` are removed;
- pending asyncio tasks are cancelled.

What can't be undone in place is reported as taint (a changed file under
site-packages or the stdlib, an audit hook, a changed pre-existing file), and
the runtime then replaces the interpreter instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import random
import sys
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, cast

_MISSING = object()
# Modules whose state is the runtime's own, or that break when their globals
# are rewound under them while they run this very code.
_KEEP_AS_IS = frozenset({"__main__", "livedemo._sandbox"})


@dataclass
class _Module:
    module: ModuleType
    globals: dict[str, Any]
    classes: dict[type, dict[str, Any]]


def _own_classes(module: ModuleType, names: dict[str, Any]) -> dict[type, dict[str, Any]]:
    """The classes `module` defines, with a copy of their attributes."""
    classes: dict[type, dict[str, Any]] = {}
    for value in names.values():
        if (
            isinstance(value, type)
            and getattr(value, "__module__", None) == module.__name__
            # Only classes written in Python can be patched: heap types
            # (1 << 9) that are not immutable (1 << 8).
            and value.__flags__ & (1 << 9)
            and not value.__flags__ & (1 << 8)
        ):
            classes[value] = dict(vars(value))
    return classes


def _files(roots: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Path -> (size, mtime in ns) for every file below the roots."""
    seen: dict[str, tuple[int, int]] = {}
    for root in roots:
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                seen[path] = (info.st_size, info.st_mtime_ns)
    return seen


@dataclass
class Baseline:
    """The interpreter's shared state at one moment, and the means to return to it."""

    scratch: list[Path]
    watched: list[Path]
    modules: dict[str, _Module] = field(default_factory=dict)
    registries: dict[str, list[Any]] = field(default_factory=dict)
    importer_cache: dict[str, Any] = field(default_factory=dict)
    environ: dict[str, str] = field(default_factory=dict)
    cwd: str = ""
    recursion_limit: int = 0
    int_max_str_digits: int = 0
    scratch_files: dict[str, tuple[int, int]] = field(default_factory=dict)
    code_files: dict[str, tuple[int, int]] = field(default_factory=dict)
    audit_hooks_added: bool = False

    @classmethod
    def capture(
        cls, scratch: Iterable[str | Path] = (), watched: Iterable[str | Path] = ()
    ) -> Baseline:
        """Record the state now. `scratch` folders are emptied back to it;
        a change below a `watched` folder (installed code) is taint."""
        baseline = cls(
            scratch=[Path(folder) for folder in scratch],
            watched=[Path(folder) for folder in watched],
        )
        baseline.extend()
        baseline.registries = {
            "path": list(sys.path),
            "meta_path": list(sys.meta_path),
            "path_hooks": list(sys.path_hooks),
            "warning_filters": list(warnings.filters),
            "gc_callbacks": list(gc.callbacks),
        }
        baseline.importer_cache = dict(sys.path_importer_cache)
        baseline.environ = dict(os.environ)
        baseline.cwd = os.getcwd()
        baseline.recursion_limit = sys.getrecursionlimit()
        baseline.int_max_str_digits = sys.get_int_max_str_digits()
        baseline.scratch_files = _files(baseline.scratch)
        baseline.code_files = _files(baseline.watched)
        sys.addaudithook(baseline._audit)
        return baseline

    def _audit(self, event: str, _args: tuple[Any, ...]) -> None:
        # Audit hooks can't be removed: one added by demo code would outlive it.
        if event == "sys.addaudithook":
            self.audit_hooks_added = True

    def extend(self) -> None:
        """Add modules imported since the last capture (for example a demo
        package imported before its first run) to the state kept."""
        for name, module in list(sys.modules.items()):
            if name in self.modules or name in _KEEP_AS_IS or not isinstance(module, ModuleType):
                continue
            names = dict(vars(module))
            self.modules[name] = _Module(module, names, _own_classes(module, names))

    def refresh_code_files(self) -> None:
        """Accept the watched files as they are now (after an install by the
        runtime itself)."""
        self.code_files = _files(self.watched)

    def restore(self) -> list[str]:
        """Return to the recorded state; the list says what could not be undone."""
        taint: list[str] = []
        # Modules first (builtins before all): the rest of this code relies on them.
        self._restore_modules()
        sys.settrace(None)
        sys.setprofile(None)
        _cancel_tasks()
        self._restore_registries()
        taint += self._restore_files()
        if self.audit_hooks_added:
            taint.append("an audit hook was added")
        return taint

    def _restore_modules(self) -> None:
        kept_builtins = self.modules.get("builtins")
        if kept_builtins is not None:
            _rewind(vars(kept_builtins.module), kept_builtins.globals)
        for name in [name for name in sys.modules if name not in self.modules]:
            if name not in _KEEP_AS_IS:
                del sys.modules[name]
        for name, kept in self.modules.items():
            if sys.modules.get(name) is not kept.module:
                sys.modules[name] = kept.module
            _rewind(vars(kept.module), kept.globals)
            for cls, attributes in kept.classes.items():
                _rewind_class(cls, attributes)

    def _restore_registries(self) -> None:
        sys.path[:] = self.registries["path"]
        sys.meta_path[:] = self.registries["meta_path"]
        sys.path_hooks[:] = self.registries["path_hooks"]
        filters = cast(list[Any], warnings.filters)
        filters[:] = self.registries["warning_filters"]
        # The filters' cache (CPython 3.11 to 3.14 keep one) must see the change.
        mutated = getattr(warnings, "_filters_mutated", None) or getattr(
            warnings, "_filters_mutated_lock_held", None
        )
        if callable(mutated):
            mutated()
        gc.callbacks[:] = self.registries["gc_callbacks"]
        gc.enable()
        _rewind(sys.path_importer_cache, self.importer_cache)
        for key in [key for key in os.environ if key not in self.environ]:
            del os.environ[key]
        for key, value in self.environ.items():
            if os.environ.get(key) != value:
                os.environ[key] = value
        random.seed()
        sys.setrecursionlimit(self.recursion_limit)
        sys.set_int_max_str_digits(self.int_max_str_digits)
        try:
            os.chdir(self.cwd)
        except OSError:
            os.makedirs(self.cwd, exist_ok=True)
            os.chdir(self.cwd)

    def _restore_files(self) -> list[str]:
        taint: list[str] = []
        now = _files(self.scratch)
        for path in sorted(set(now) - set(self.scratch_files), reverse=True):
            try:
                os.unlink(path)
            except OSError:
                taint.append(f"could not remove {path}")
        for path, stamp in self.scratch_files.items():
            if now.get(path, stamp) != stamp:
                taint.append(f"{path} was changed")
        for folder in _new_folders(self.scratch, self.scratch_files):
            try:
                os.rmdir(folder)
            except OSError:
                taint.append(f"could not remove {folder}")
        if _files(self.watched) != self.code_files:
            taint.append("installed or standard-library files were changed")
        return taint


def _rewind(current: dict[Any, Any], kept: dict[Any, Any]) -> None:
    """Make `current` equal to `kept`, touching only the keys that differ."""
    for key in [key for key in current if key not in kept]:
        del current[key]
    for key, value in kept.items():
        if current.get(key, _MISSING) is not value:
            current[key] = value


def _rewind_class(cls: type, kept: dict[str, Any]) -> None:
    now = vars(cls)
    for key in [key for key in now if key not in kept]:
        with contextlib.suppress(AttributeError, TypeError):
            delattr(cls, key)
    for key, value in kept.items():
        if now.get(key, _MISSING) is not value and key not in ("__dict__", "__weakref__"):
            with contextlib.suppress(AttributeError, TypeError):
                setattr(cls, key, value)


def _new_folders(roots: list[Path], kept: dict[str, tuple[int, int]]) -> Iterator[str]:
    """Folders below the roots that hold none of the kept files, deepest first."""
    keep_dirs = {os.path.dirname(path) for path in kept}
    found: list[str] = []
    for root in roots:
        for folder, _dirs, _names in os.walk(root):
            inside = folder + os.sep
            if Path(folder) != root and not any(
                d == folder or d.startswith(inside) for d in keep_dirs
            ):
                found.append(folder)
    yield from sorted(found, key=len, reverse=True)


def _cancel_tasks() -> None:
    """Cancel work a run scheduled on the event loop and left behind (called
    from the runner's own task, which is spared)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    current = asyncio.current_task(loop)
    for task in asyncio.all_tasks(loop):
        if task is not current:
            task.cancel()


# -- The interpreter's one session (the browser worker's) ---------------------

_session: Baseline | None = None


def prepare(packages: Iterable[str], scratch: Iterable[str], watched: Iterable[str]) -> None:
    """Before a run: import the demo's packages while they are pristine, and
    record (or extend) the state that every run returns to."""
    global _session
    for name in packages:
        __import__(name)
    if _session is None:
        _session = Baseline.capture(scratch, watched)
    else:
        _session.extend()
        _session.refresh_code_files()


def restore() -> list[str]:
    """After a run: undo it; what could not be undone (taint) is returned."""
    return _session.restore() if _session is not None else []
