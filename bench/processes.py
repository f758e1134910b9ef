"""Helper processes of a browser session (the browser, its driver, Xvfb):
each is ended, and waited for, however the session ends."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

P = TypeVar("P", bound=subprocess.Popen[bytes])

GRACE_S = 10


@contextmanager
def stopped(process: P) -> Iterator[P]:
    """Yield process; then SIGTERM it, and SIGKILL it if it outlives GRACE_S."""
    with process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(GRACE_S)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on at this moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float, what: str) -> None:
    """Until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"{what} exited with {process.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"{what} is not listening on {port} after {timeout:g} s"
                ) from None
            time.sleep(0.1)
