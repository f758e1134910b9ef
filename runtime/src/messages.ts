// The typed message union between the page and the worker. Every message has
// a `type` (the discriminant) and the `id` of the request it belongs to.
// After `init`, both sides talk only over the MessagePort that `init`
// carries: demo code in the worker can post on the worker's own channel, but
// the page does not listen there (see runtime.ts).

/** A display record made by `livedemo.show()` (see demos/livedemo/_records.py). */
export type Cell =
  | { type: "str" | "number" | "bool" | "none"; text: string }
  | { type: "bytes"; text: string; hex: string; length: number }
  | { type: "badge"; text: string; tone: Tone };

export type Tone = "neutral" | "ok" | "info" | "warn" | "danger";

export type DisplayRecord = { title: string | null } & (
  | { kind: "text"; text: string }
  | { kind: "badge"; text: string; tone: Tone }
  | { kind: "mermaid"; source: string }
  | { kind: "bytes"; hex: string; length: number }
  | { kind: "panel"; items: { key: string; value: Cell }[] }
  | { kind: "table"; columns: string[]; rows: Cell[][] }
);

export type StreamName = "stdout" | "stderr";

/** A wheel to install, verified against its sha256 before it is unpacked. */
export interface WheelRef {
  name: string;
  url: string;
  sha256: string;
}

/** A file the reader picked, written into Python's working directory. */
export interface InputFile {
  name: string;
  data: ArrayBuffer;
}

export type ToWorker =
  | {
      type: "init";
      id: number;
      indexURL: string;
      /** Pyodide core file name -> byte size, for "MB done of total". */
      sizes: Record<string, number>;
      /** Present only where the page is cross-origin isolated. */
      interrupt: SharedArrayBuffer | null;
      /** The private channel: every later message in both directions. */
      port: MessagePort;
    }
  | {
      type: "run";
      id: number;
      code: string;
      wheels: WheelRef[];
      /** Import names of the demo's packages, imported before the run. */
      packages: string[];
      /** Written before the run; `absent` names are removed first. */
      files: InputFile[];
      absent: string[];
    }
  /** Drop a queued run that has not started (its widget stopped or left). */
  | { type: "cancel"; id: number };

export type LoadStage =
  | { stage: "download"; loaded: number; total: number }
  | { stage: "start" }
  | { stage: "packages"; done: number; total: number };

/** One piece of output, in the order it was produced. */
export type OutputItem = { stream: StreamName; text: string } | { display: unknown };

/** What the worker left out of a run's output so far (running totals). */
export interface Omitted {
  /** Bytes of text (UTF-8) and the newlines among them. */
  bytes: number;
  lines: number;
  /** Display records. */
  records: number;
}

export type FromWorker =
  | ({ type: "progress"; id: number } & LoadStage)
  | { type: "ready"; id: number; python: string; jspi: boolean }
  /** The worker received a run (its event loop is alive). */
  | { type: "accepted"; id: number }
  | { type: "started"; id: number }
  /**
   * A batch of output. `omitted` is present once anything was left out;
   * `tail` marks the last lines of a run whose middle was left out.
   * Display records are `unknown` here: the page validates them.
   */
  | { type: "output"; id: number; items: OutputItem[]; omitted?: Omitted; tail?: boolean }
  /**
   * All the text a run printed, up to a limit (UTF-8, both streams in order),
   * sent after its last output when the page was shown only part of it.
   */
  | { type: "full"; id: number; data: ArrayBuffer; complete: boolean }
  /** `taint`: what the run changed that could not be undone (the worker is replaced). */
  | { type: "done"; id: number; taint: string[] }
  | { type: "error"; id: number; traceback: string; taint: string[] }
  | { type: "interrupted"; id: number; taint: string[] }
  /** The runtime itself failed (download, start, a wheel's digest, a fatal error). */
  | { type: "fatal"; id: number; message: string };

/** One entry of `root.demoTranscript`, the order the reader saw things in. */
export type TranscriptEntry = { stream: StreamName; text: string } | { display: DisplayRecord };
