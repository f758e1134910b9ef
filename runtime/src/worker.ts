// The module worker: loads Pyodide from the site, installs verified demo
// wheels, and runs one demo at a time. It never touches the page; it only
// posts FromWorker messages.

import type { FromWorker, InputFile, StreamName, ToWorker, WheelRef } from "./messages";
import type { PyodideAPI, PyodideModule } from "./pyodide-types";

interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToWorker>) => void): void;
  fetch: typeof fetch;
  [hook: string]: unknown;
}

const scope = self as unknown as WorkerScope;
const post = (message: FromWorker): void => scope.postMessage(message);

let pyodide: PyodideAPI | null = null;
let interrupt: Uint8Array | null = null;
let currentRun = 0;
const installed = new Set<string>();
const decoders: Record<StreamName, TextDecoder> = {
  stdout: new TextDecoder(),
  stderr: new TextDecoder(),
};

// Requests are handled strictly one after another: a run waits for init.
let chain: Promise<void> = Promise.resolve();
const cancelled = new Set<number>();

scope.addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === "cancel") {
    cancelled.add(message.id);
    return;
  }
  // Wheels download while Python is still loading; installing waits its turn.
  if (message.type === "run") for (const wheel of message.wheels) void wheelBytes(wheel).catch(() => undefined);
  chain = chain.then(() => handle(message));
});

async function handle(message: ToWorker): Promise<void> {
  try {
    if (message.type === "init") await init(message);
    else if (message.type === "run") await run(message);
  } catch (error) {
    post({ type: "fatal", id: message.id, message: describe(error) });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// -- Loading ---------------------------------------------------------------

async function init(message: Extract<ToWorker, { type: "init" }>): Promise<void> {
  const { id, indexURL, sizes } = message;
  const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
  // pyodide.mjs and pyodide.asm.mjs arrive by import(), which has no byte
  // stream: they are counted as soon as the first fetch starts (the import of
  // pyodide.mjs is done by then). The rest is counted as it streams through
  // the global fetch, which Pyodide uses for the wasm, the stdlib and the lock.
  const imported = (sizes["pyodide.mjs"] ?? 0) + (sizes["pyodide.asm.mjs"] ?? 0);
  const fetchable = total - imported;
  let fetched = 0;
  let lastPost = 0;
  let starting = false;
  const report = (force = false): void => {
    if (starting) return;
    if (fetchable > 0 && fetched >= fetchable) {
      // Everything is here; what remains is compiling and booting.
      starting = true;
      post({ type: "progress", id, stage: "download", loaded: total, total });
      post({ type: "progress", id, stage: "start" });
      return;
    }
    const now = performance.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    const loaded = Math.min(total, fetched + (fetched > 0 ? imported : 0));
    post({ type: "progress", id, stage: "download", loaded, total });
  };
  report(true);
  const realFetch = scope.fetch.bind(scope);
  scope.fetch = async (input: RequestInfo | URL, options?: RequestInit): Promise<Response> => {
    const response = await realFetch(input, options);
    // Count a clone and hand Pyodide the original: a real network Response
    // keeps streaming compilation and the engine's wasm code cache.
    if (response.ok && response.body) void count(response.clone());
    return response;
  };
  const count = async (copy: Response): Promise<void> => {
    const reader = copy.body?.getReader();
    if (!reader) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      fetched += value.byteLength;
      report();
    }
  };
  let module: PyodideModule;
  try {
    module = (await import(new URL("pyodide.mjs", indexURL).href)) as PyodideModule;
    const starting = module.loadPyodide({ indexURL });
    pyodide = await starting;
  } finally {
    scope.fetch = realFetch;
  }
  if (!starting) post({ type: "progress", id, stage: "start" });
  const py = pyodide;
  py.setStdout({ write: (buffer) => stream("stdout", buffer), isatty: true });
  py.setStderr({ write: (buffer) => stream("stderr", buffer) });
  if (message.interrupt) {
    interrupt = new Uint8Array(message.interrupt);
    py.setInterruptBuffer(interrupt);
  }
  // livedemo.show() hands each record over as JSON text (see _compat.py).
  scope["__livedemo_display"] = (payload: string): void => {
    post({ type: "display", id: currentRun, record: JSON.parse(payload) });
  };
  const jspi = Boolean(py.runPython("from pyodide.ffi import can_run_sync\ncan_run_sync()"));
  const python = String(py.runPython("import sys\nsys.version.split()[0]"));
  post({ type: "ready", id, python, jspi });
}

function stream(name: StreamName, buffer: Uint8Array): number {
  const text = decoders[name].decode(buffer, { stream: true });
  if (text) post({ type: "stream", id: currentRun, stream: name, text });
  return buffer.length;
}

async function installWheels(id: number, wheels: WheelRef[]): Promise<void> {
  const py = need();
  const missing = wheels.filter((wheel) => !installed.has(wheel.sha256));
  if (missing.length === 0) return;
  post({ type: "progress", id, stage: "packages", done: 0, total: missing.length });
  const sitePackages = String(py.runPython("import sysconfig\nsysconfig.get_paths()['purelib']"));
  // Download in parallel, install in order.
  const bodies = await Promise.all(missing.map((wheel) => wheelBytes(wheel)));
  bodies.forEach((body, index) => {
    py.unpackArchive(body, "wheel", { extractDir: sitePackages });
    installed.add(missing[index]!.sha256);
    downloads.delete(missing[index]!.sha256);
    post({ type: "progress", id, stage: "packages", done: index + 1, total: missing.length });
  });
  py.runPython("import importlib\nimportlib.invalidate_caches()");
}

const downloads = new Map<string, Promise<Uint8Array>>();

function wheelBytes(wheel: WheelRef): Promise<Uint8Array> {
  let download = downloads.get(wheel.sha256);
  if (!download) {
    download = fetchVerified(wheel);
    downloads.set(wheel.sha256, download);
    // A failed download may be retried by the next run.
    download.catch(() => downloads.delete(wheel.sha256));
  }
  return download;
}

async function fetchVerified(wheel: WheelRef): Promise<Uint8Array> {
  const response = await fetch(wheel.url);
  if (!response.ok) throw new Error(`${wheel.name}: HTTP ${response.status} for ${wheel.url}`);
  const body = new Uint8Array(await response.arrayBuffer());
  // The bytes that are checked are the bytes that get installed.
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  if (hex !== wheel.sha256.toLowerCase()) {
    throw new Error(`${wheel.name}: sha256 mismatch for ${wheel.url}`);
  }
  return body;
}

// -- Running ---------------------------------------------------------------

function need(): PyodideAPI {
  if (!pyodide) throw new Error("Python is not loaded");
  return pyodide;
}

function placeFiles(files: InputFile[], absent: string[]): void {
  const fs = need().FS;
  for (const name of [...absent, ...files.map((file) => file.name)]) {
    if (fs.analyzePath(name).exists) fs.unlink(name);
  }
  for (const file of files) fs.writeFile(file.name, new Uint8Array(file.data));
}

async function run(message: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const { id } = message;
  if (cancelled.delete(id)) return;
  await installWheels(id, message.wheels);
  placeFiles(message.files, message.absent);
  const py = need();
  if (interrupt) interrupt[0] = 0;
  currentRun = id;
  post({ type: "started", id });
  py.globals.set("_livedemo_source", message.code);
  const outcome = JSON.parse(
    String(
      await py.runPythonAsync(
        "from livedemo._runner import run_demo_json\nawait run_demo_json(_livedemo_source)",
      ),
    ),
  ) as { status: "ok" | "error" | "interrupted"; traceback: string };
  for (const name of ["stdout", "stderr"] as const) {
    const rest = decoders[name].decode();
    if (rest) post({ type: "stream", id, stream: name, text: rest });
  }
  if (outcome.status === "ok") post({ type: "done", id });
  else if (outcome.status === "interrupted") post({ type: "interrupted", id });
  else post({ type: "error", id, traceback: outcome.traceback });
}
