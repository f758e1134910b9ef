// The page side of the worker: ONE module worker per tab, kept in this
// module's scope so it outlives Material's instant page swaps. Runs are
// queued; Stop terminates and respawns, or interrupts softly where the page
// is cross-origin isolated.

import { loadConfig, wheelsFor, type ResolvedConfig } from "./config";
import type { DisplayRecord, FromWorker, InputFile, LoadStage, StreamName, ToWorker } from "./messages";

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

export interface RunEvents {
  progress(stage: LoadStage | { stage: "queued" }): void;
  started(): void;
  stream(stream: StreamName, text: string): void;
  display(record: DisplayRecord): void;
}

interface Active {
  id: number;
  owner: Element;
  events: RunEvents;
  finish(outcome: Outcome): void;
  timer: number | undefined;
  timeoutMs: number;
}

type Listener = (message: FromWorker) => void;

// How long a soft interrupt may take before the worker is terminated anyway
// (code that catches KeyboardInterrupt must not defeat Stop).
const INTERRUPT_GRACE_MS = 1000;

class WorkerRuntime {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  /** Resolves with the worker once it exists and has been sent "init". */
  private spawned: Promise<Worker> = new Promise<Worker>(() => undefined);
  private nextId = 1;
  private listeners = new Map<number, Listener>();
  private loadWatchers = new Set<Listener>();
  private interrupt: Uint8Array | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private active: Active | null = null;
  /** Facts from the last start, for the README's "no JSPI" story and tests. */
  info: { python: string; jspi: boolean } | null = null;

  /** Start loading Python (spawning the worker) if it is not loaded yet. */
  warm(): Promise<void> {
    if (!this.ready) {
      let created: (worker: Worker) => void = () => undefined;
      let failed: (error: unknown) => void = () => undefined;
      this.spawned = new Promise<Worker>((resolve, reject) => {
        created = resolve;
        failed = reject;
      });
      this.spawned.catch(() => undefined);
      this.ready = this.spawn(created).catch((error: unknown) => {
        failed(error);
        throw error;
      });
    }
    return this.ready;
  }

  private async spawn(created: (worker: Worker) => void): Promise<void> {
    const config = await loadConfig();
    const worker = new Worker(lockedDownWorkerURL(), { type: "module" });
    this.worker = worker;
    worker.addEventListener("message", (event: MessageEvent<FromWorker>) => this.dispatch(event.data));
    worker.addEventListener("error", (event) => {
      this.broadcastFatal(event.message || "the Python worker failed to start");
    });
    const shared = typeof crossOriginIsolated !== "undefined" && crossOriginIsolated;
    this.interrupt = shared ? new Uint8Array(new SharedArrayBuffer(1)) : null;
    const id = this.nextId++;
    const started = new Promise<void>((resolve, reject) => {
      this.listeners.set(id, (message) => {
        for (const watch of this.loadWatchers) watch(message);
        if (message.type === "ready") {
          this.info = { python: message.python, jspi: message.jspi };
          this.listeners.delete(id);
          resolve();
        } else if (message.type === "fatal") {
          this.listeners.delete(id);
          reject(new Error(message.message));
        }
      });
    });
    this.post(worker, {
      type: "init",
      id,
      indexURL: config.pyodide.indexURL,
      sizes: config.pyodide.files,
      interrupt: this.interrupt ? (this.interrupt.buffer as SharedArrayBuffer) : null,
    });
    created(worker);
    try {
      await started;
    } catch (error) {
      if (this.worker === worker) this.discard();
      throw error;
    }
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message, message.type === "run" ? message.files.map((file) => file.data) : []);
  }

  private dispatch(message: FromWorker): void {
    this.listeners.get(message.id)?.(message);
  }

  private broadcastFatal(text: string): void {
    for (const [id, listener] of [...this.listeners]) listener({ type: "fatal", id, message: text });
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
    let config: ResolvedConfig;
    let wheels;
    try {
      config = await loadConfig();
      wheels = wheelsFor(config, request.packages);
    } catch (error) {
      return { kind: "fatal", message: error instanceof Error ? error.message : String(error) };
    }
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const active: Active = {
        id,
        owner: request.owner,
        events,
        timer: undefined,
        timeoutMs: request.timeoutMs,
        finish: (outcome) => {
          if (this.active !== active) return;
          window.clearTimeout(active.timer);
          this.active = null;
          this.listeners.delete(id);
          this.loadWatchers.delete(watchLoad);
          resolve(outcome);
        },
      };
      this.active = active;
      const watchLoad: Listener = (message) => {
        if (message.type === "progress") events.progress(message);
      };
      this.loadWatchers.add(watchLoad);
      this.listeners.set(id, (message) => this.onRunMessage(active, message));
      const ready = this.warm();
      // Post the run at once: the worker queues it behind its start-up and
      // downloads the wheels meanwhile.
      this.spawned.then(
        (worker) => {
          if (this.active !== active || this.worker !== worker) return;
          this.post(worker, {
            type: "run",
            id,
            code: request.code,
            wheels,
            files: request.files,
            absent: request.absent,
          });
        },
        () => undefined,
      );
      ready.then(
        () => this.loadWatchers.delete(watchLoad),
        (error: unknown) => {
          active.finish({ kind: "fatal", message: error instanceof Error ? error.message : String(error) });
        },
      );
    });
  }

  private onRunMessage(active: Active, message: FromWorker): void {
    switch (message.type) {
      case "progress":
        active.events.progress(message);
        break;
      case "started":
        active.events.started();
        // The time limit counts the reader's code only, not the download.
        active.timer = window.setTimeout(() => this.stop("timeout"), active.timeoutMs);
        break;
      case "stream":
        active.events.stream(message.stream, message.text);
        break;
      case "display":
        active.events.display(message.record);
        break;
      case "done":
        active.finish({ kind: "done" });
        break;
      case "error":
        active.finish({ kind: "error", traceback: message.traceback });
        break;
      case "interrupted":
        active.finish({ kind: "stopped", reason: "user" });
        break;
      case "fatal":
        if (this.active !== active) break;
        // The interpreter may be unusable: start afresh for the next run.
        active.finish({ kind: "fatal", message: message.message });
        this.restart();
        break;
      case "ready":
        break;
    }
  }

  /** The widget that is running or loading now, if any. */
  get owner(): Element | null {
    return this.active?.owner ?? null;
  }

  /** Stop the current run. */
  stop(reason: StopReason): void {
    const active = this.active;
    if (!active) return;
    if (active.timer === undefined) {
      // Not started yet (Python still loading, or queued behind start-up):
      // drop the run but keep the loading interpreter for the next one.
      this.worker?.postMessage({ type: "cancel", id: active.id } satisfies ToWorker);
      active.finish({ kind: "stopped", reason });
      return;
    }
    if (reason === "user" && this.interrupt && active.timer !== undefined) {
      // SIGINT (2) through Pyodide's interrupt buffer: Python raises
      // KeyboardInterrupt and the interpreter survives.
      this.interrupt[0] = 2;
      window.setTimeout(() => {
        if (this.active === active) this.hardStop(active, reason);
      }, INTERRUPT_GRACE_MS);
      return;
    }
    this.hardStop(active, reason);
  }

  private hardStop(active: Active, reason: StopReason): void {
    active.finish({ kind: "stopped", reason });
    this.restart();
  }

  private discard(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    const orphans = [...this.listeners];
    this.listeners.clear();
    for (const [id, listener] of orphans) {
      listener({ type: "fatal", id, message: "the Python worker was restarted" });
    }
  }

  /** Terminate the worker and start a fresh one, so the next Run is quick. */
  private restart(): void {
    this.discard();
    this.warm().catch(() => undefined);
  }
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
