// The page side of the worker: ONE module worker per tab, kept in this
// module's scope so it outlives Material's instant page swaps. Runs are
// queued. The page and the worker talk over a private MessagePort; a
// watchdog owns every run from Run to its final state, so that nothing the
// demo code does (a loop, a flood, a callback that outlives it, a crash)
// leaves a widget waiting.

import { loadConfig, wheelsFor, type ResolvedConfig } from "./config";
import type { FromWorker, InputFile, LoadStage, Omitted, OutputItem, ToWorker, WheelRef } from "./messages";
import { parseFromWorker } from "./protocol";

declare const __WORKER_FILE__: string;

export type Outcome =
  | { kind: "done" }
  | { kind: "error"; traceback: string }
  | { kind: "stopped"; reason: StopReason }
  | { kind: "fatal"; message: string };

export type StopReason = "user" | "timeout" | "navigation";

export interface RunRequest {
  owner: Element;
  code: string;
  packages: string[];
  files: InputFile[];
  absent: string[];
  timeoutMs: number;
}

export type Progress = LoadStage | { stage: "queued" } | { stage: "restarting" };

export interface RunEvents {
  progress(stage: Progress): void;
  started(): void;
  output(items: OutputItem[], omitted: Omitted | undefined, tail: boolean): void;
  /** All the text the run printed (or its first part), when the page shows only some. */
  full(data: ArrayBuffer, complete: boolean): void;
}

// How long a soft interrupt may take before the worker is terminated anyway
// (code that catches KeyboardInterrupt, or sits in C, must not defeat Stop).
const INTERRUPT_GRACE_MS = 1000;
// A worker that has started answers a run at once, unless its event loop is
// held by work a previous run left behind. Generous: on a loaded machine a
// slow engine must not have its worker replaced for being slow.
const ACK_MS = 10_000;
// A loading worker that says nothing for this long is taken for dead. The
// compile-and-boot stage sends nothing, and on a slow machine (WebKitGTK
// under load, where a stopped loop may still burn a core) it has taken over
// a minute: the limit only catches a worker that will never answer.
const LOAD_SILENCE_MS = 300_000;

type Listener = (message: FromWorker) => void;

/** One worker and its private port. */
class WorkerHandle {
  readonly worker: Worker;
  readonly port: MessagePort;
  interrupt: Uint8Array | null;
  readonly ready: Promise<void>;
  isReady = false;
  info: { python: string; jspi: boolean } | null = null;
  private listeners = new Map<number, Listener>();
  private onAny: ((message: FromWorker) => void) | null = null;
  private readonly failed: Promise<string>;

  constructor(config: ResolvedConfig, initId: number, onStray: (handle: WorkerHandle, message: FromWorker) => void) {
    this.worker = new Worker(lockedDownWorkerURL(), { type: "module" });
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.interrupt = interruptBuffer();
    let fail: (message: string) => void = () => undefined;
    this.failed = new Promise<string>((resolve) => (fail = resolve));
    this.worker.addEventListener("error", (event) => {
      fail(event.message || "the Python worker failed to start");
    });
    this.port.addEventListener("message", (event: MessageEvent) => {
      const message = parseFromWorker(event.data);
      if (!message) return;
      this.onAny?.(message);
      const listener = this.listeners.get(message.id);
      if (listener) listener(message);
      else onStray(this, message);
    });
    this.port.start();
    this.ready = new Promise<void>((resolve, reject) => {
      this.listeners.set(initId, (message) => {
        if (message.type === "ready") {
          this.info = { python: message.python, jspi: message.jspi };
          this.isReady = true;
          this.listeners.delete(initId);
          resolve();
        } else if (message.type === "fatal") {
          this.listeners.delete(initId);
          reject(new Error(message.message));
        }
      });
      void this.failed.then((text) => reject(new Error(text)));
    });
    this.ready.catch(() => undefined);
    const init: ToWorker = {
      type: "init",
      id: initId,
      indexURL: config.pyodide.indexURL,
      sizes: config.pyodide.files,
      interrupt: this.interrupt ? (this.interrupt.buffer as SharedArrayBuffer) : null,
      port: channel.port2,
    };
    try {
      this.worker.postMessage(init, [channel.port2]);
    } catch {
      // The buffer would not clone (an engine without shared memory): go
      // without the soft stop.
      this.interrupt = null;
      this.worker.postMessage({ ...init, interrupt: null }, [channel.port2]);
    }
  }

  listen(id: number, listener: Listener): void {
    this.listeners.set(id, listener);
  }

  forget(id: number): void {
    this.listeners.delete(id);
  }

  /** Every message from this worker (load progress goes to the waiting run). */
  watch(listener: ((message: FromWorker) => void) | null): void {
    this.onAny = listener;
  }

  /** Resolves with a reason if the worker script itself fails. */
  get crashed(): Promise<string> {
    return this.failed;
  }

  post(message: ToWorker): void {
    this.port.postMessage(message, message.type === "run" ? message.files.map((file) => file.data) : []);
  }

  terminate(): void {
    this.port.close();
    this.worker.terminate();
  }
}

interface Active {
  id: number;
  owner: Element;
  events: RunEvents;
  handle: WorkerHandle | null;
  started: boolean;
  timeoutMs: number;
  /** Set once a soft stop was asked for: the reason it will end with. */
  stopping: StopReason | null;
  /** Messages received for this run (bounded by the worker's batching). */
  messages: number;
  timers: Set<number>;
  finish(outcome: Outcome): void;
}

class WorkerRuntime {
  private handle: WorkerHandle | null = null;
  private spawning: Promise<WorkerHandle> | null = null;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private active: Active | null = null;
  /** Runs that were stopped before they started: if one starts anyway, the worker goes. */
  private abandoned = new Set<number>();
  /** Facts from the last start, for the README's "no JSPI" story and tests. */
  info: { python: string; jspi: boolean } | null = null;
  /** Workers started so far in this tab (tests and the bench read it). */
  spawned = 0;
  /** Messages the last finished run received. */
  lastRunMessages = 0;

  private current(): Promise<WorkerHandle> {
    if (this.handle) return Promise.resolve(this.handle);
    this.spawning ??= loadConfig().then(
      (config) => {
        const handle = new WorkerHandle(config, this.nextId++, (from, message) => this.stray(from, message));
        this.spawned++;
        this.handle = handle;
        this.spawning = null;
        handle.ready.then(
          () => (this.info = handle.info),
          () => {
            if (this.handle === handle) this.discard();
          },
        );
        return handle;
      },
      (error: unknown) => {
        this.spawning = null;
        throw error;
      },
    );
    return this.spawning;
  }

  /** Start loading Python (spawning the worker) if it is not loaded yet. */
  async warm(): Promise<void> {
    const handle = await this.current();
    await handle.ready;
  }

  /** A message for no waiting run. */
  private stray(handle: WorkerHandle, message: FromWorker): void {
    if (handle !== this.handle) return;
    if (message.type === "started" && this.abandoned.has(message.id)) {
      // Stopped before it began, and began anyway: nobody waits for it.
      this.restart();
    }
    if (message.type === "fatal") this.restart();
  }

  /** Run code for `owner`; resolves when it ends, however it ends. */
  run(request: RunRequest, events: RunEvents): Promise<Outcome> {
    if (this.active) events.progress({ stage: "queued" });
    const result = this.queue.then(() => this.runNow(request, events));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async runNow(request: RunRequest, events: RunEvents): Promise<Outcome> {
    // A run whose widget left the page (instant navigation) is not started.
    if (!request.owner.isConnected) return { kind: "stopped", reason: "navigation" };
    return new Promise<Outcome>((resolve) => {
      const active: Active = {
        id: this.nextId++,
        owner: request.owner,
        events,
        handle: null,
        started: false,
        timeoutMs: request.timeoutMs,
        stopping: null,
        messages: 0,
        timers: new Set(),
        finish: (outcome) => {
          if (this.active !== active) return;
          for (const timer of active.timers) window.clearTimeout(timer);
          active.handle?.forget(active.id);
          active.handle?.watch(null);
          this.active = null;
          this.lastRunMessages = active.messages;
          resolve(outcome);
        },
      };
      this.active = active;
      void this.launch(active, request, 1);
    });
  }

  private later(active: Active, ms: number, action: () => void): number {
    const timer = window.setTimeout(() => {
      active.timers.delete(timer);
      if (this.active === active) action();
    }, ms);
    active.timers.add(timer);
    return timer;
  }

  private async launch(active: Active, request: RunRequest, attempt: number): Promise<void> {
    let handle: WorkerHandle;
    let wheels: WheelRef[];
    try {
      const config = await loadConfig();
      wheels = wheelsFor(config, request.packages);
      handle = await this.current();
    } catch (error) {
      active.finish({ kind: "fatal", message: describe(error) });
      return;
    }
    if (this.active !== active) return;
    active.handle = handle;
    let acked = false;
    let silence = 0;
    const hush = (): void => {
      window.clearTimeout(silence);
      active.timers.delete(silence);
      if (!handle.isReady) {
        silence = this.later(active, LOAD_SILENCE_MS, () => {
          active.finish({ kind: "fatal", message: "Python stopped responding while it was loading" });
          this.restart();
        });
      }
    };
    handle.watch((message) => {
      if (message.type === "progress" && !active.started) active.events.progress(message);
      hush();
    });
    hush();
    handle.listen(active.id, (message) => {
      active.messages++;
      if (message.type === "accepted") acked = true;
      else this.onRunMessage(active, message);
    });
    void handle.crashed.then((reason) => {
      if (this.active === active && active.handle === handle) {
        active.finish({ kind: "fatal", message: reason });
        this.restart();
      }
    });
    handle.ready.catch((error: unknown) => {
      if (this.active === active && active.handle === handle) active.finish({ kind: "fatal", message: describe(error) });
    });
    const wasReady = handle.isReady;
    // Post at once: the worker queues the run behind its start-up and
    // downloads the wheels meanwhile.
    handle.post({
      type: "run",
      id: active.id,
      code: request.code,
      wheels,
      packages: request.packages,
      files: request.files.map((file) => ({ name: file.name, data: file.data.slice(0) })),
      absent: request.absent,
    });
    if (wasReady) {
      this.later(active, ACK_MS, () => {
        if (acked) return;
        // Held by work a previous run left behind: replace it, once.
        handle.forget(active.id);
        this.restart(false);
        if (attempt > 1) {
          active.finish({ kind: "fatal", message: "the Python worker stopped responding" });
          return;
        }
        active.events.progress({ stage: "restarting" });
        void this.launch(active, request, attempt + 1);
      });
    }
  }

  private onRunMessage(active: Active, message: FromWorker): void {
    switch (message.type) {
      case "progress":
        break; // seen through watch()
      case "started":
        active.started = true;
        active.events.started();
        // The time limit counts the reader's code, not the download.
        this.later(active, active.timeoutMs, () => this.stop("timeout"));
        break;
      case "output":
        active.events.output(message.items, message.omitted, message.tail === true);
        break;
      case "full":
        active.events.full(message.data, message.complete);
        break;
      case "done":
      case "error":
      case "interrupted": {
        const outcome: Outcome =
          message.type === "done"
            ? { kind: "done" }
            : message.type === "error"
              ? { kind: "error", traceback: message.traceback }
              : { kind: "stopped", reason: active.stopping ?? "user" };
        active.finish(outcome);
        // What the run changed and could not be undone goes with the worker.
        if (message.taint.length > 0) this.restart();
        break;
      }
      case "fatal":
        active.finish({ kind: "fatal", message: message.message });
        this.restart();
        break;
      case "ready":
      case "accepted":
        break;
    }
  }

  /** The widget that is running or loading now, if any. */
  get owner(): Element | null {
    return this.active?.owner ?? null;
  }

  /** Stop the current run, at any moment. */
  stop(reason: StopReason): void {
    const active = this.active;
    if (!active) return;
    if (!active.started) {
      // Not started yet (Python loading, or queued behind start-up): drop the
      // run but keep the loading interpreter for the next one.
      this.abandoned.add(active.id);
      active.handle?.post({ type: "cancel", id: active.id });
      active.finish({ kind: "stopped", reason });
      return;
    }
    const handle = active.handle;
    if (handle?.interrupt && reason !== "navigation") {
      if (active.stopping) return; // already interrupting
      active.stopping = reason;
      // SIGINT (2) through Pyodide's interrupt buffer: Python raises
      // KeyboardInterrupt and the interpreter survives.
      handle.interrupt[0] = 2;
      this.later(active, INTERRUPT_GRACE_MS, () => this.hardStop(active, reason));
      return;
    }
    this.hardStop(active, reason);
  }

  private hardStop(active: Active, reason: StopReason): void {
    active.finish({ kind: "stopped", reason });
    this.restart();
  }

  private discard(): void {
    this.handle?.terminate();
    this.handle = null;
  }

  /** Terminate the worker and (unless told not to) start a fresh one at once. */
  private restart(warm = true): void {
    this.discard();
    this.abandoned.clear();
    if (warm) this.warm().catch(() => undefined);
  }
}

/**
 * Pyodide's interrupt buffer, where the page may share memory with the
 * worker. WebKitGTK 2.50 reports `crossOriginIsolated` yet has no
 * SharedArrayBuffer: there, as on pages that are not isolated, Stop
 * terminates the worker.
 */
function interruptBuffer(): Uint8Array | null {
  if (typeof crossOriginIsolated === "undefined" || !crossOriginIsolated) return null;
  if (typeof SharedArrayBuffer !== "function") return null;
  try {
    return new Uint8Array(new SharedArrayBuffer(1));
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The worker's entry as a blob: URL that imports the real worker script.
 * A worker from a same-origin file gets its CSP from HTTP headers, which a
 * static host such as GitHub Pages cannot set, so the reader's code could
 * fetch any origin through `js.fetch`. A worker from a blob: URL inherits the
 * page's policy instead (CSP 3, "local scheme" workers): connect-src 'self'
 * then holds in the worker too.
 */
function lockedDownWorkerURL(): string {
  const script = new URL(__WORKER_FILE__, import.meta.url).href;
  const entry = new Blob([`import ${JSON.stringify(script)};\n`], { type: "text/javascript" });
  return URL.createObjectURL(entry);
}

export const runtime = new WorkerRuntime();
