"""kms_envelope inside Pyodide (the npm core the site ships), run by Node.

Node with JSPI (V8's stack-switching flag) gives `run_sync`, so the Web
Crypto backend runs; without the flag the pure fallback runs. Both are
checked against the McGrew-Viega GCM vectors (see test_gcm_vectors.py), and
envelopes cross between Pyodide and CPython in both directions.
"""

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from kms_envelope import Simulator, envelope

from .test_gcm_vectors import VECTORS

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("pyodide_harness.mjs")
SEED = 2024
PAYLOAD = bytes(range(256)) * 300  # 76800 bytes: two frames
CONTEXT = {"made-in": "pyodide"}


def _jspi_flag(node: str) -> str:
    options = subprocess.run([node, "--v8-options"], capture_output=True, text=True).stdout
    for flag in ("--experimental-wasm-jspi", "--experimental-wasm-stack-switching"):
        if flag.removeprefix("--") in options:
            return flag
    raise AssertionError("this Node has no JSPI flag; the Web Crypto path can't run in it")


def _cpython_blob() -> str:
    kms = Simulator(seed=SEED).client("kms", region_name="us-east-1")
    key = kms.create_key()["KeyMetadata"]["KeyId"]
    return base64.b64encode(envelope.encrypt(kms, key, PAYLOAD, CONTEXT, frame_size=4096)).decode()


PROGRAM = r"""
import base64, json
from kms_envelope import Simulator, crypto, envelope, _compat
VECTORS = {vectors}
out = {{"can_run_sync": _compat.can_run_sync(), "backend": crypto.current_backend()}}
name = out["backend"]
kat = []
for tc, key, iv, pt, aad, ct, tag in VECTORS:
    g = crypto.aead(bytes.fromhex(key))
    sealed = g.seal(bytes.fromhex(iv), bytes.fromhex(pt), bytes.fromhex(aad))
    opened = g.open(bytes.fromhex(iv), sealed, bytes.fromhex(aad))
    bad = bytearray(sealed); bad[-1] ^= 1
    try:
        g.open(bytes.fromhex(iv), bytes(bad), bytes.fromhex(aad)); refused = False
    except crypto.AuthenticationFailed:
        refused = True
    kat.append([tc, sealed.hex(), opened.hex(), refused])
out["kat"] = kat
kms = Simulator(seed={seed}).client("kms", region_name="us-east-1")
key = kms.create_key()["KeyMetadata"]["KeyId"]
payload = bytes(range(256)) * 300
blob = envelope.encrypt(kms, key, payload, {context}, frame_size=4096)
out["blob"] = base64.b64encode(blob).decode()
theirs = base64.b64decode("{cpython_blob}")
out["opened_cpython_blob"] = envelope.decrypt(kms, theirs, {context}) == payload
# A failed tag check inside Pyodide's code runner (as the site's worker runs
# demos) must be a clean Python exception, with nothing printed on stderr.
import contextlib, io
from pyodide.code import eval_code_async
err = io.StringIO()
with contextlib.redirect_stderr(err):
    await eval_code_async(
        "from kms_envelope import crypto\n"
        "try:\n"
        "    crypto.aead(bytes(32)).open(bytes(12), bytes(40), b'')\n"
        "except crypto.AuthenticationFailed:\n"
        "    caught = True\n",
        globals(),
    )
out["failed_open_stderr"] = err.getvalue()
out["failed_open_caught"] = caught
print("RESULT " + json.dumps(out))
"""


def _run_in_pyodide(tmp_path: Path, jspi: bool) -> dict:
    node = shutil.which("node")
    assert node, "node is needed (make setup installs the Pyodide npm package it runs)"
    assert (ROOT / "node_modules/pyodide/pyodide.mjs").exists(), "run make setup first"
    assert (ROOT / ".cache/pyodide-wheels").is_dir(), "run make setup first"
    vectors = [[v[0], *(b.hex() for b in v[1:5]), v[5].hex(), v[6].hex()] for v in VECTORS]
    code = PROGRAM.format(
        vectors=json.dumps(vectors),
        seed=SEED,
        context=repr(CONTEXT),
        cpython_blob=_cpython_blob(),
    )
    script = tmp_path / "program.py"
    script.write_text(code)
    command = [node, *([_jspi_flag(node)] if jspi else []), str(HARNESS), str(ROOT), str(script)]
    proc = subprocess.run(
        command, capture_output=True, text=True, timeout=240, env=dict(os.environ)
    )
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    detail = proc.stdout[-2000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, detail
    assert lines, detail
    return json.loads(lines[-1].removeprefix("RESULT "))


@pytest.fixture(scope="module", params=[True, False], ids=["jspi-webcrypto", "no-jspi-pure"])
def pyodide_run(request, tmp_path_factory):
    return request.param, _run_in_pyodide(tmp_path_factory.mktemp("pyodide"), request.param)


def test_backend_choice_follows_jspi(pyodide_run):
    jspi, out = pyodide_run
    assert out["can_run_sync"] is jspi
    assert out["backend"] == ("webcrypto" if jspi else "pure")


def test_gcm_vectors_in_pyodide(pyodide_run):
    _, out = pyodide_run
    for (tc, _key, _iv, pt, _aad, ct, tag), (name, sealed, opened, refused) in zip(
        VECTORS, out["kat"], strict=True
    ):
        assert name == tc
        assert sealed == (ct + tag).hex(), tc
        assert opened == pt.hex(), tc
        assert refused, tc


def test_pyodide_envelope_opens_in_cpython(pyodide_run):
    _, out = pyodide_run
    kms = Simulator(seed=SEED).client("kms", region_name="us-east-1")
    kms.create_key()
    blob = base64.b64decode(out["blob"])
    assert envelope.decrypt(kms, blob, CONTEXT) == PAYLOAD


def test_cpython_envelope_opens_in_pyodide(pyodide_run):
    _, out = pyodide_run
    assert out["opened_cpython_blob"] is True


def test_failed_tag_check_is_quiet_in_pyodides_runner(pyodide_run):
    _, out = pyodide_run
    assert out["failed_open_caught"] is True
    assert out["failed_open_stderr"] == ""
