// One demo widget: wires the server-rendered markup (see TEAM.md, "Widget
// HTML") to the editor, the shared worker runtime and the output region.

import type { EditorView } from "@codemirror/view";
import { loadConfig } from "./config";
import type { DisplayRecord, InputFile, LoadStage, StreamName, TranscriptEntry } from "./messages";
import { renderRecord } from "./render";
import { runtime, type Outcome } from "./runtime";
import { decodeCode, sharedPayload, shareURL } from "./share";
import { clearEdits, loadEdits, saveEdits } from "./storage";

export type DemoState = "idle" | "loading" | "running" | "done" | "error" | "stopped";

/** The root element as tests see it: the transcript is a documented property. */
export interface DemoRoot extends HTMLElement {
  demoTranscript: TranscriptEntry[];
}

const DEFAULT_TIMEOUT_S = 30;
const PREFETCH_DWELL_MS = 150;
const SAVE_DELAY_MS = 300;

function part<T extends Element>(root: Element, selector: string): T {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`live demo: missing ${selector}`);
  return found;
}

const mermaidURL = (): Promise<string> => loadConfig().then((config) => config.mermaid);

export function mountDemo(element: HTMLElement): void {
  const root = element as DemoRoot;
  const id = root.dataset.demoId ?? "";
  const title = root.querySelector(".demo__title")?.textContent?.trim() || "Live demo";
  const source = part<HTMLElement>(root, "[data-demo-source]");
  const runButton = part<HTMLButtonElement>(root, "[data-demo-run]");
  const stopButton = part<HTMLButtonElement>(root, "[data-demo-stop]");
  const resetButton = part<HTMLButtonElement>(root, "[data-demo-reset]");
  const copyButton = root.querySelector<HTMLButtonElement>("[data-demo-copy]");
  const shareButton = root.querySelector<HTMLButtonElement>("[data-demo-share]");
  const output = part<HTMLElement>(root, "[data-demo-output]");
  const progress = part<HTMLElement>(root, "[data-demo-progress]");
  const fileInput = root.querySelector<HTMLInputElement>("[data-demo-file]");
  const inputName = root.dataset.demoInput?.split(/[\\/]/).pop() ?? "";
  // Read at each Run, so a page (or a test) may change the limit.
  const limitS = (): number => {
    const value = Number(root.dataset.demoTimeout);
    return value > 0 ? value : DEFAULT_TIMEOUT_S;
  };
  const packages = (root.dataset.demoPackages ?? "").split(/\s+/).filter(Boolean);
  const original = (source.textContent ?? "").replace(/\n$/, "");

  root.demoTranscript = [];
  // Without an explicit height the editor fits the code, up to 30 lines.
  const height = Number(root.dataset.demoHeight);
  const lines = height > 0 ? height : Math.min(30, Math.max(3, original.split("\n").length));
  root.style.setProperty("--demo-lines", String(lines));

  // -- Status line (Copy, Share, notices) --------------------------------------
  const status = document.createElement("span");
  status.className = "demo__status";
  status.setAttribute("role", "status");
  status.dataset.demoStatus = "";
  (root.querySelector(".demo__head") ?? root).append(status);
  let statusTimer: number | undefined;
  const say = (text: string): void => {
    status.textContent = text;
    window.clearTimeout(statusTimer);
    statusTimer = window.setTimeout(() => (status.textContent = ""), 5000);
  };

  // -- Editor ---------------------------------------------------------------------
  // CodeMirror (~130 KB compressed) loads when the reader first points at,
  // touches or tabs into the widget, not with the page: until then the
  // server-rendered <pre> shows the code, and Run works from it.
  const codeText = source.querySelector("code") ?? source;
  // The build highlights the original; edits show as plain text until the
  // editor loads, and the original gets its highlighting back on Reset.
  const highlightedOriginal = codeText.cloneNode(true);
  const showPlain = (text: string): void => {
    if (text === original) codeText.replaceChildren(...highlightedOriginal.cloneNode(true).childNodes);
    else codeText.textContent = text;
  };
  let current = loadEdits(id) ?? original;
  if (current !== original) showPlain(current);
  source.tabIndex = 0;
  source.setAttribute("aria-label", `Python code: ${title}`);
  let view: EditorView | null = null;
  let editorModule: typeof import("./editor") | null = null;
  let saveTimer: number | undefined;
  let editorLoading: Promise<void> | null = null;
  const mountEditor = (): Promise<void> =>
    (editorLoading ??= import("./editor").then(
      (module) => {
        editorModule = module;
        const focused = document.activeElement === source;
        const holder = document.createElement("div");
        holder.className = "demo__editor";
        source.after(holder);
        view = module.createEditor({
          parent: holder,
          doc: current,
          label: `Python code: ${title}`,
          onRun: () => void start(),
          onChange: (doc) => {
            current = doc;
            window.clearTimeout(saveTimer);
            saveTimer = window.setTimeout(() => saveEdits(id, doc, original), SAVE_DELAY_MS);
          },
        });
        source.hidden = true;
        if (focused) view.focus();
      },
      (error: unknown) => {
        editorLoading = null;
        console.error("live demo: the editor could not load", error);
      },
    ));
  const wake = (): void => void mountEditor();
  root.addEventListener("pointerenter", wake, { once: true });
  root.addEventListener("focusin", wake, { once: true });
  root.addEventListener("touchstart", wake, { once: true, passive: true });
  source.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void start();
    }
  });
  const code = (): string => current;
  const setCode = (text: string): void => {
    current = text;
    if (view && editorModule) editorModule.setDoc(view, text);
    else showPlain(text);
  };

  const shared = sharedPayload(id);
  if (shared !== null) {
    decodeCode(shared).then(
      (text) => {
        setCode(text);
        saveEdits(id, text, original);
        root.scrollIntoView({ block: "start" });
      },
      () => say("The share link is damaged; showing the page's code."),
    );
  }

  if (fileInput) {
    const label = fileInput.closest("label");
    if (label) label.hidden = false;
  }

  // -- State --------------------------------------------------------------------
  const setState = (state: DemoState): void => {
    root.dataset.demoState = state;
    const busy = state === "loading" || state === "running";
    runButton.disabled = busy;
    stopButton.disabled = !busy;
    root.setAttribute("aria-busy", String(busy));
  };
  setState("idle");

  // -- Output, batched per animation frame --------------------------------------
  type Piece = { stream: StreamName; text: string } | { display: DisplayRecord } | { notice: string; tone: string };
  let pending: Piece[] = [];
  let frame = 0;
  const flush = (): void => {
    window.cancelAnimationFrame(frame);
    frame = 0;
    for (const piece of pending) {
      if ("stream" in piece) {
        const last = output.lastElementChild;
        const cls = `demo__stream demo__stream--${piece.stream}`;
        if (last instanceof HTMLPreElement && last.className === cls) last.append(piece.text);
        else {
          const pre = document.createElement("pre");
          pre.className = cls;
          pre.textContent = piece.text;
          output.append(pre);
        }
      } else if ("display" in piece) {
        output.append(renderRecord(piece.display, mermaidURL));
      } else {
        const note = document.createElement("p");
        note.className = `demo__notice demo__notice--${piece.tone}`;
        note.textContent = piece.notice;
        output.append(note);
      }
    }
    pending = [];
  };
  const put = (piece: Piece): void => {
    pending.push(piece);
    frame ||= window.requestAnimationFrame(flush);
  };
  const record = (entry: TranscriptEntry): void => {
    const log = root.demoTranscript;
    const last = log[log.length - 1];
    if ("stream" in entry && last && "stream" in last && last.stream === entry.stream) {
      last.text += entry.text;
    } else log.push("stream" in entry ? { ...entry } : entry);
  };

  const showProgress = (stage: LoadStage | { stage: "queued" }): void => {
    progress.hidden = false;
    progress.replaceChildren();
    const text = document.createElement("span");
    let bar: HTMLProgressElement | null = null;
    switch (stage.stage) {
      case "queued":
        text.textContent = "Waiting for another demo to finish";
        break;
      case "download": {
        const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
        text.textContent = `Downloading Python runtime: ${mb(stage.loaded)} of ${mb(stage.total)} MB`;
        bar = document.createElement("progress");
        bar.max = stage.total || 1;
        bar.value = stage.loaded;
        break;
      }
      case "start":
        text.textContent = "Starting Python";
        break;
      case "packages":
        text.textContent = `Loading packages: ${stage.done} of ${stage.total}`;
        bar = document.createElement("progress");
        bar.max = stage.total || 1;
        bar.value = stage.done;
        break;
    }
    progress.append(text);
    if (bar) {
      bar.setAttribute("aria-hidden", "true");
      progress.append(bar);
    }
  };

  // -- Run ----------------------------------------------------------------------
  const readInput = async (): Promise<{ files: InputFile[]; absent: string[] }> => {
    if (!inputName) return { files: [], absent: [] };
    const file = fileInput?.files?.[0];
    if (!file) return { files: [], absent: [inputName] };
    return { files: [{ name: inputName, data: await file.arrayBuffer() }], absent: [] };
  };

  let timeoutS = DEFAULT_TIMEOUT_S;
  const finish = (outcome: Outcome): void => {
    switch (outcome.kind) {
      case "done":
        break;
      case "error":
        put({ stream: "stderr", text: outcome.traceback + "\n" });
        record({ stream: "stderr", text: outcome.traceback + "\n" });
        break;
      case "stopped":
        if (outcome.reason === "timeout") {
          put({ notice: `Stopped: the run took longer than its ${timeoutS} s time limit.`, tone: "warn" });
        } else if (outcome.reason === "user") {
          put({ notice: "Stopped.", tone: "neutral" });
        }
        break;
      case "fatal":
        put({ notice: `The Python runtime failed: ${outcome.message}`, tone: "danger" });
        break;
    }
    flush();
    progress.hidden = true;
    const state: Record<Outcome["kind"], DemoState> = {
      done: "done",
      error: "error",
      stopped: "stopped",
      fatal: "error",
    };
    setState(state[outcome.kind]);
  };

  async function start(): Promise<void> {
    const state = root.dataset.demoState;
    if (state === "loading" || state === "running") return;
    setState("loading");
    timeoutS = limitS();
    pending = [];
    output.replaceChildren();
    root.demoTranscript = [];
    let input: { files: InputFile[]; absent: string[] };
    try {
      input = await readInput();
    } catch {
      finish({ kind: "fatal", message: `could not read the picked file for ${inputName}` });
      return;
    }
    const outcome = await runtime.run(
      { owner: root, code: code(), packages, timeoutMs: timeoutS * 1000, ...input },
      {
        progress: showProgress,
        started: () => {
          progress.hidden = true;
          setState("running");
        },
        stream: (stream, text) => {
          record({ stream, text });
          put({ stream, text });
        },
        display: (record_) => {
          record({ display: record_ });
          put({ display: record_ });
        },
      },
    );
    finish(outcome);
  }

  runButton.addEventListener("click", () => void start());
  stopButton.addEventListener("click", () => {
    if (runtime.owner === root) runtime.stop("user");
  });

  // Prefetch the runtime when the reader lingers on Run: by the click, the
  // download has a head start. A pass of the pointer does nothing.
  let dwell: number | undefined;
  const intend = (): void => {
    window.clearTimeout(dwell);
    dwell = window.setTimeout(() => void runtime.warm().catch(() => undefined), PREFETCH_DWELL_MS);
  };
  const abandon = (): void => window.clearTimeout(dwell);
  runButton.addEventListener("pointerenter", intend);
  runButton.addEventListener("focus", intend);
  runButton.addEventListener("pointerleave", abandon);
  runButton.addEventListener("blur", abandon);

  resetButton.addEventListener("click", () => {
    setCode(original);
    window.clearTimeout(saveTimer);
    clearEdits(id);
    if (sharedPayload(id) !== null) {
      const url = new URL(window.location.href);
      url.hash = "";
      window.history.replaceState(window.history.state, "", url.href);
    }
    say("Original code restored.");
  });

  copyButton?.addEventListener("click", () => {
    navigator.clipboard.writeText(code()).then(
      () => say("Code copied."),
      () => say("Copy failed: select the code and copy it."),
    );
  });

  shareButton?.addEventListener("click", () => {
    void shareURL(id, code()).then((url) => {
      // replaceState, not location.hash: no scroll jump, no history entry.
      window.history.replaceState(window.history.state, "", url);
      navigator.clipboard.writeText(url).then(
        () => say("Link copied."),
        () => say("Link ready in the address bar."),
      );
    });
  });
}

/** On each page swap: a run whose widget left the page is stopped. */
export function onPageSwap(): void {
  const owner = runtime.owner;
  if (owner && !owner.isConnected) runtime.stop("navigation");
}

