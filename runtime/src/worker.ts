// The module worker: loads Pyodide from the site, installs verified demo
// wheels, and runs one demo at a time. It never touches the page. After
// `init` it talks only over the MessagePort that `init` carried: demo code
// can reach the worker's globals (`js`), but not that port, which lives in
// this module's scope.

import type { FromWorker, InputFile, ToWorker } from "./messages";
import type { PyodideAPI } from "./pyodide-types";
import { snapshotGlobals, type GlobalsSnapshot } from "./worker-globals";
import { loadPython } from "./worker-load";
import { OutputBatcher } from "./worker-output";
import { trackTimers } from "./worker-timers";
import { installWheels, wheelBytes } from "./worker-wheels";

interface WorkerScope {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  fetch: typeof fetch;
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  clearTimeout: typeof clearTimeout;
  clearInterval: typeof clearInterval;
}

const scope = self as unknown as WorkerScope;
const timers = trackTimers(scope);
let port: MessagePort | null = null;
const post = (message: FromWorker): void => port?.postMessage(message);
const output = new OutputBatcher(
  post,
  (message, buffers) => port?.postMessage(message, buffers),
  undefined,
  timers.real,
);

let pyodide: PyodideAPI | null = null;
let globals: GlobalsSnapshot | null = null;
let interrupt: Uint8Array | null = null;
let currentRun = 0;
let broken: string | null = null;

// Requests are handled strictly one after another: a run waits for init.
let chain: Promise<void> = Promise.resolve();
const cancelled = new Set<number>();

function onFirstMessage(event: Event): void {
  const message = (event as MessageEvent<ToWorker>).data;
  if (port || !message || message.type !== "init" || !(message.port instanceof MessagePort)) return;
  // From here on, the worker's own channel is ignored.
  scope.removeEventListener("message", onFirstMessage);
  port = message.port;
  port.addEventListener("message", (portEvent: MessageEvent<ToWorker>) => receive(portEvent.data));
  port.start();
  receive(message);
}
scope.addEventListener("message", onFirstMessage);

function receive(message: ToWorker): void {
  if (message.type === "cancel") {
    cancelled.add(message.id);
    return;
  }
  if (message.type === "run") {
    post({ type: "accepted", id: message.id });
    // Wheels download while Python is still loading; installing waits its turn.
    for (const wheel of message.wheels) void wheelBytes(wheel).catch(() => undefined);
  }
  chain = chain.then(() => handle(message));
}

// A Pyodide fatal error (a wasm trap, a stack overflow in C) surfaces as an
// unhandled rejection from Pyodide's event loop, not as a rejection of the
// run's promise: without this the page would wait for its time limit.
function isFatal(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && "pyodide_fatal_error" in reason;
}
function reportFatal(reason: unknown): void {
  if (broken) return;
  broken = describe(reason);
  post({ type: "fatal", id: currentRun, message: `Python crashed: ${broken}` });
}
scope.addEventListener("unhandledrejection", (event) => {
  const reason = (event as PromiseRejectionEvent).reason;
  if (isFatal(reason)) reportFatal(reason);
});
scope.addEventListener("error", (event) => {
  const error = (event as ErrorEvent).error as unknown;
  if (isFatal(error)) reportFatal(error);
});

async function handle(message: ToWorker): Promise<void> {
  try {
    if (broken) throw new Error(`Python is not usable after a crash (${broken})`);
    if (message.type === "init") await init(message);
    else if (message.type === "run") await run(message);
  } catch (error) {
    if (isFatal(error)) reportFatal(error);
    else post({ type: "fatal", id: message.id, message: describe(error) });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// -- Loading ---------------------------------------------------------------

async function init(message: Extract<ToWorker, { type: "init" }>): Promise<void> {
  const { id } = message;
  const py = await loadPython(scope, message.indexURL, message.sizes, (stage) =>
    post({ type: "progress", id, ...stage }),
  );
  pyodide = py;
  py.setStdout({ write: (buffer) => output.write("stdout", buffer), isatty: true });
  py.setStderr({ write: (buffer) => output.write("stderr", buffer) });
  if (message.interrupt) {
    interrupt = new Uint8Array(message.interrupt);
    py.setInterruptBuffer(interrupt);
  }
  // livedemo.show() hands each record over as JSON text (see _compat.py).
  // Fixed in place, so that demo code cannot redirect the next run's records.
  Object.defineProperty(scope, "__livedemo_display", {
    value: (payload: unknown): void => output.display(String(payload)),
    writable: false,
    configurable: false,
  });
  const jspi = Boolean(py.runPython("from pyodide.ffi import can_run_sync\ncan_run_sync()"));
  const python = String(py.runPython("import sys\nsys.version.split()[0]"));
  const targets: object[] = [scope];
  for (const name of ["Crypto", "SubtleCrypto", "Response", "Request", "TextDecoder", "TextEncoder"]) {
    const constructor = (scope as unknown as Record<string, { prototype?: object } | undefined>)[name];
    if (constructor?.prototype) targets.push(constructor.prototype);
  }
  if (typeof crypto !== "undefined") targets.push(crypto);
  globals = snapshotGlobals(targets);
  post({ type: "ready", id, python, jspi });
}

// -- Running ---------------------------------------------------------------

function need(): PyodideAPI {
  if (!pyodide) throw new Error("Python is not loaded");
  return pyodide;
}

function placeFiles(py: PyodideAPI, files: InputFile[], absent: string[]): void {
  const fs = py.FS;
  for (const name of [...absent, ...files.map((file) => file.name)]) {
    if (fs.analyzePath(name).exists) fs.unlink(name);
  }
  for (const file of files) fs.writeFile(file.name, new Uint8Array(file.data));
}

const PREPARE = `
import os, sysconfig
from livedemo._sandbox import prepare
prepare(_livedemo_packages.split(), [os.getcwd(), "/tmp"], [sysconfig.get_paths()["purelib"]])
`;

async function run(message: Extract<ToWorker, { type: "run" }>): Promise<void> {
  const { id } = message;
  if (cancelled.delete(id)) return;
  const py = need();
  await installWheels(py, message.wheels, (done, total) =>
    post({ type: "progress", id, stage: "packages", done, total }),
  );
  if (cancelled.delete(id)) return;
  py.globals.set("_livedemo_packages", message.packages.join(" "));
  py.runPython(PREPARE);
  placeFiles(py, message.files, message.absent);
  if (interrupt) interrupt[0] = 0;
  currentRun = id;
  output.begin(id);
  timers.begin();
  post({ type: "started", id });
  py.globals.set("_livedemo_source", message.code);
  let outcome: { status: "ok" | "error" | "interrupted"; traceback: string; taint: string[] };
  let stuck: string[] = [];
  try {
    outcome = JSON.parse(
      String(
        await py.runPythonAsync(
          "from livedemo._runner import run_demo_json\nawait run_demo_json(_livedemo_source)",
        ),
      ),
    ) as typeof outcome;
  } finally {
    timers.end();
    output.end();
    stuck = globals?.restore() ?? [];
  }
  const taint = [...outcome.taint, ...stuck.map((key) => `the worker's ${key} could not be put back`)];
  if (outcome.status === "ok") post({ type: "done", id, taint });
  else if (outcome.status === "interrupted") post({ type: "interrupted", id, taint });
  else post({ type: "error", id, traceback: outcome.traceback, taint });
}
