"""livedemo._sandbox: a run's changes to the interpreter are undone, and what
cannot be undone is reported. These run in CPython's own process, so each
test captures, changes and restores within its body."""

from __future__ import annotations

import asyncio
import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from livedemo._sandbox import Baseline


@pytest.fixture
def planted_module() -> Iterator[types.ModuleType]:
    module = types.ModuleType("sandbox_probe")
    exec(
        "class Thing:\n    def speak(self):\n        return 'original'\nVALUE = 1\n",
        module.__dict__,
    )
    sys.modules["sandbox_probe"] = module
    yield module
    sys.modules.pop("sandbox_probe", None)


def test_module_globals_and_class_attributes_come_back(planted_module: Any) -> None:
    baseline = Baseline.capture()
    planted_module.VALUE = 2
    planted_module.EXTRA = "planted"
    planted_module.Thing.speak = lambda self: "patched"
    planted_module.Thing.added = True
    assert baseline.restore() == []
    assert planted_module.VALUE == 1
    assert not hasattr(planted_module, "EXTRA")
    assert planted_module.Thing().speak() == "original"
    assert not hasattr(planted_module.Thing, "added")


def test_modules_imported_during_the_run_are_forgotten() -> None:
    sys.modules.pop("sandbox_late", None)
    baseline = Baseline.capture()
    sys.modules["sandbox_late"] = types.ModuleType("sandbox_late")
    replaced = sys.modules["json"]
    sys.modules["json"] = types.ModuleType("json")
    baseline.restore()
    assert "sandbox_late" not in sys.modules
    assert sys.modules["json"] is replaced


def test_builtins_and_registries_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    path_before = list(sys.path)
    limit = sys.getrecursionlimit()
    baseline = Baseline.capture()
    builtins.sandbox_planted = 1  # type: ignore[attr-defined]
    sys.path.insert(0, "/planted")
    os.environ["SANDBOX_PLANTED"] = "1"
    sys.setrecursionlimit(limit + 123)
    baseline.restore()
    assert not hasattr(builtins, "sandbox_planted")
    assert sys.path == path_before
    assert "SANDBOX_PLANTED" not in os.environ
    assert sys.getrecursionlimit() == limit


def test_scratch_files_and_folders_are_removed(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("kept")
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        baseline = Baseline.capture(scratch=[tmp_path])
        (tmp_path / "planted.txt").write_text("x")
        (tmp_path / "deep" / "er").mkdir(parents=True)
        (tmp_path / "deep" / "er" / "f").write_text("x")
        os.chdir(tmp_path / "deep")
        assert baseline.restore() == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]
        assert Path.cwd() == tmp_path
    finally:
        os.chdir(cwd)


def test_a_changed_file_that_existed_is_taint(tmp_path: Path) -> None:
    (tmp_path / "kept.txt").write_text("kept")
    baseline = Baseline.capture(scratch=[tmp_path])
    os.utime(tmp_path / "kept.txt", ns=(1, 1))
    assert baseline.restore() == [f"{tmp_path / 'kept.txt'} was changed"]


def test_a_change_to_installed_code_is_taint(tmp_path: Path) -> None:
    installed = tmp_path / "site-packages"
    installed.mkdir()
    (installed / "pkg.py").write_text("X = 1\n")
    baseline = Baseline.capture(watched=[installed])
    assert baseline.restore() == []
    (installed / "pkg.py").write_text("X = 'evil'\n")
    assert baseline.restore() == ["installed or standard-library files were changed"]
    baseline.refresh_code_files()  # after the runtime's own install
    assert baseline.restore() == []


def test_tasks_left_on_the_loop_are_cancelled() -> None:
    async def scenario() -> bool:
        baseline = Baseline.capture()
        forever = asyncio.ensure_future(asyncio.sleep(3600))
        baseline.restore()
        await asyncio.sleep(0)
        return forever.cancelled()

    assert asyncio.run(scenario())
