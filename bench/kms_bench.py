"""kms_envelope bench (CPython): envelope encrypt and decrypt, each against
raw AES-GCM.

For 1 MiB and 16 MiB, `envelope.encrypt` (simulated KMS call, 64 KiB frames,
key derivation, commitment) is timed against one `cryptography` AESGCM
encrypt of the same bytes, and `envelope.decrypt` against one AESGCM decrypt
of a ciphertext made beforehand: each side timed apart, so that only one
buffer of the size is produced per call (timing `decrypt(encrypt(...))` as
one call kept two alive and slowed the baseline about 4x at 1 MiB). Steady
state: one warm-up call before the best of N, all in one process. Target
(issue 4): at most 1.5x each. It also prints the pure-Python fallback's
throughput in CPython.

Then, in headless Chromium (Pyodide from node_modules, the site's wheels from
.cache/pyodide-wheels, as `make setup` leaves them): envelope encrypt and
decrypt of 1 MiB through Web Crypto (target: at least 100 MB/s) and the pure
fallback's throughput, which is what a browser without JSPI gets.
Prints, never asserts.

    .venv/bin/python -m bench kms_bench
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "demos"))
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402
from kms_envelope import Simulator, crypto, envelope  # noqa: E402

from bench.harness import CHROMIUM_FLAGS, chromium_path, serve  # noqa: E402

MIB = 1024 * 1024
SIZES = (1 * MIB, 16 * MIB)
TARGET = 1.5
PURE_SIZE = 256 * 1024


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def cpython_part() -> None:
    sim = Simulator(seed=1)
    kms = sim.client("kms", region_name="us-east-1")
    key_id = kms.create_key(Description="bench")["KeyMetadata"]["KeyId"]
    crypto.select_backend("cryptography")
    print(
        f"{'size':>8}  {'op':>7}  {'raw AESGCM':>11}  {'envelope':>10}  {'ratio':>6}"
        f"  target <= {TARGET}x"
    )
    for size in SIZES:
        data = os.urandom(size)
        gcm, nonce = AESGCM(os.urandom(32)), os.urandom(12)
        sealed = gcm.encrypt(nonce, data, b"")
        wrapped = envelope.encrypt(kms, key_id, data)

        def raw_encrypt(data: bytes = data, gcm: AESGCM = gcm, nonce: bytes = nonce) -> None:
            gcm.encrypt(nonce, data, b"")

        def raw_decrypt(sealed: bytes = sealed, gcm: AESGCM = gcm, nonce: bytes = nonce) -> None:
            gcm.decrypt(nonce, sealed, b"")

        def env_encrypt(data: bytes = data) -> None:
            envelope.encrypt(kms, key_id, data)

        def env_decrypt(wrapped: bytes = wrapped) -> None:
            envelope.decrypt(kms, wrapped)

        runs = 30 if size <= MIB else 5
        for op, raw, env in (
            ("encrypt", raw_encrypt, env_encrypt),
            ("decrypt", raw_decrypt, env_decrypt),
        ):
            raw(), env()  # warm-up: steady state, not the first call's allocations
            t_raw, t_env = _best_of(runs, raw), _best_of(runs, env)
            print(
                f"{size // MIB:>5} MiB  {op:>7}  {t_raw * 1e3:>8.2f} ms  {t_env * 1e3:>7.2f} ms  "
                f"{t_env / t_raw:>5.2f}x"
            )

    crypto.select_backend("pure")
    try:
        data = os.urandom(PURE_SIZE)
        t_pure = _best_of(1, lambda: envelope.decrypt(kms, envelope.encrypt(kms, key_id, data)))
    finally:
        crypto.select_backend(None)
    rate = 2 * PURE_SIZE / MIB / t_pure
    print(
        f"pure-Python fallback (tlslite-ng): {PURE_SIZE // 1024} KiB encrypt+decrypt in "
        f"{t_pure:.2f} s = {rate:.2f} MiB/s (CPython; Pyodide is slower)"
    )


BROWSER_PROGRAM = """
import time
from kms_envelope import Simulator, crypto, envelope
kms = Simulator(seed=1).client("kms", region_name="us-east-1")
key_id = kms.create_key()["KeyMetadata"]["KeyId"]
data = bytes(range(256)) * 4096
enc = dec = 1e9
for _ in range(10):
    t0 = time.perf_counter(); blob = envelope.encrypt(kms, key_id, data)
    t1 = time.perf_counter(); envelope.decrypt(kms, blob); t2 = time.perf_counter()
    enc, dec = min(enc, t1 - t0), min(dec, t2 - t1)
print(f"Chromium, {crypto.current_backend()}: 1 MiB envelope encrypt {enc * 1e3:.1f} ms = "
      f"{1.048576 / enc:.0f} MB/s, decrypt {dec * 1e3:.1f} ms = {1.048576 / dec:.0f} MB/s "
      "(target >= 100 MB/s)")
crypto.select_backend("pure")
small = bytes(64 * 1024)
t0 = time.perf_counter(); blob = envelope.encrypt(kms, key_id, small)
t1 = time.perf_counter(); envelope.decrypt(kms, blob); t2 = time.perf_counter()
print(f"Chromium, pure fallback: 64 KiB encrypt {t1 - t0:.2f} s = "
      f"{0.065536 / (t1 - t0) * 1000:.0f} kB/s, decrypt {t2 - t1:.2f} s")
"""

BROWSER_PAGE = """<!doctype html><meta charset="utf-8"><script type="module">
import {{ loadPyodide }} from "./pyodide/pyodide.mjs";
const out = [];
try {{
  const py = await loadPyodide({{ indexURL: "./pyodide/" }});
  const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");
  for (const name of {wheels}) {{
    const data = new Uint8Array(await (await fetch("./wheels/" + name)).arrayBuffer());
    py.FS.writeFile("/tmp/" + name, data);
    py.runPython(`import zipfile; zipfile.ZipFile('/tmp/${{name}}').extractall('${{site}}')`);
  }}
  py.FS.mkdirTree(site + "/kms_envelope");
  for (const name of {modules}) {{
    const text = await (await fetch("./kms_envelope/" + name)).text();
    py.FS.writeFile(site + "/kms_envelope/" + name, text);
  }}
  py.setStdout({{ batched: (line) => out.push(line) }});
  await py.runPythonAsync({program});
}} catch (err) {{
  out.push("error: " + err.message);
}}
window.benchOutput = out.join("\\n");
</script>"""


def browser_part() -> None:
    try:
        from playwright.sync_api import sync_playwright

        chromium = chromium_path()
    except (ImportError, FileNotFoundError) as exc:
        print(f"Chromium part skipped: {exc}")
        return
    wheels_dir = ROOT / ".cache/pyodide-wheels"
    pyodide_dir = ROOT / "node_modules/pyodide"
    if not wheels_dir.is_dir() or not pyodide_dir.is_dir():
        print("Chromium part skipped: run `make setup` (Pyodide and the wheels are missing)")
        return
    page_html = BROWSER_PAGE.format(
        wheels=json.dumps(sorted(p.name for p in wheels_dir.glob("*.whl"))),
        modules=json.dumps(sorted(p.name for p in (ROOT / "demos/kms_envelope").glob("*.py"))),
        program=json.dumps(BROWSER_PROGRAM),
    )
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        (site / "pyodide").symlink_to(pyodide_dir)
        (site / "wheels").symlink_to(wheels_dir)
        (site / "kms_envelope").symlink_to(ROOT / "demos/kms_envelope")
        (site / "index.html").write_text(page_html, encoding="utf-8")
        with serve(site) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            try:
                page = browser.new_page()
                page.goto(url + "index.html")
                page.wait_for_function("() => window.benchOutput !== undefined", timeout=300_000)
                print(page.evaluate("() => window.benchOutput"))
            finally:
                browser.close()


def main() -> None:
    cpython_part()
    browser_part()


if __name__ == "__main__":
    main()
