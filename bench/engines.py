"""Where the programs of the other two engines are: an environment variable
names each one (as $CHROMIUM does Chromium's, see harness.chromium_path), else
Debian's package provides it (`make browsers` installs what is missing)."""

from __future__ import annotations

import glob
import os
import shutil

# Debian and Ubuntu ship MiniBrowser in libwebkit2gtk-4.1-0's private libexec
# directory, under the multiarch triplet; other distributions use libexec.
_MINIBROWSER_GLOBS = (
    "/usr/lib/*/webkit2gtk-4.1/MiniBrowser",
    "/usr/libexec/webkit2gtk-4.1/MiniBrowser",
)


def _found(variable: str, default: str | None, what: str) -> str:
    found = os.environ.get(variable) or default
    if not found:
        raise FileNotFoundError(
            f"no {what}: set {variable} or run `make browsers`, which installs Debian's"
        )
    return found


def firefox_path() -> str:
    """$FIREFOX if set, else Debian's firefox-esr."""
    return _found("FIREFOX", shutil.which("firefox-esr"), "Firefox")


def webkit_driver_path() -> str:
    """$WEBKIT_DRIVER if set, else WebKitWebDriver from webkit2gtk-driver."""
    return _found("WEBKIT_DRIVER", shutil.which("WebKitWebDriver"), "WebKitWebDriver")


def minibrowser_path() -> str:
    """$MINIBROWSER if set, else the MiniBrowser beside libwebkit2gtk-4.1."""
    candidates = sorted(path for pattern in _MINIBROWSER_GLOBS for path in glob.glob(pattern))
    return _found("MINIBROWSER", candidates[0] if candidates else None, "MiniBrowser")


def xvfb_path() -> str:
    """Xvfb from the xvfb package: MiniBrowser has no headless mode."""
    return _found("XVFB", shutil.which("Xvfb"), "Xvfb")
