"""The Content-Security-Policy every page carries.

Only the site's own origin, plus 'wasm-unsafe-eval' so Pyodide can compile its
WebAssembly. Material's few inline scripts are allowed by their sha256, not by
'unsafe-inline', so an injected script or a CDN request shows up as a CSP
violation in the console and in the browser tests.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_NOT_EXECUTED = re.compile(r"""\btype\s*=\s*["']?(?:application/(?:ld\+)?json|text/plain)""", re.I)
_HEAD = re.compile(r"<head[^>]*>", re.I)
_CHARSET = re.compile(r"<meta\s+charset=[^>]*>", re.I)


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions for every inline script the page executes."""
    hashes: list[str] = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match["attrs"]
        if re.search(r"\bsrc\s*=", attrs, re.I) or _NOT_EXECUTED.search(attrs):
            continue
        digest = hashlib.sha256(match["body"].encode("utf-8")).digest()
        source = f"'sha256-{base64.b64encode(digest).decode()}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


def policy_for(html: str) -> str:
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *inline_script_hashes(html)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # Material and Mermaid set inline style attributes.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def with_csp(html: str) -> str:
    """The page with its CSP meta tag as early in <head> as the charset allows."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html)}">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + tag + html[anchor.end() :]
