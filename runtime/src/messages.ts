// The typed message union between the page and the worker. Every message has
// a `type` (the discriminant) and the `id` of the request it belongs to.

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
    }
  | {
      type: "run";
      id: number;
      code: string;
      wheels: WheelRef[];
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

export type FromWorker =
  | ({ type: "progress"; id: number } & LoadStage)
  | { type: "ready"; id: number; python: string; jspi: boolean }
  | { type: "started"; id: number }
  | { type: "stream"; id: number; stream: StreamName; text: string }
  | { type: "display"; id: number; record: DisplayRecord }
  | { type: "done"; id: number }
  | { type: "error"; id: number; traceback: string }
  | { type: "interrupted"; id: number }
  /** The runtime itself failed (download, start, a wheel's digest). */
  | { type: "fatal"; id: number; message: string };

/** One entry of `root.demoTranscript`, the order the reader saw things in. */
export type TranscriptEntry = { stream: StreamName; text: string } | { display: DisplayRecord };
