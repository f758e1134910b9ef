// One demo widget: wires the server-rendered markup (see TEAM.md, "Widget
// HTML") to the editor, the shared worker runtime and the output region.

import type { EditorView } from "@codemirror/view";
import { loadConfig } from "./config";
import type { InputFile, Omitted, TranscriptEntry } from "./messages";
import { mountOutput } from "./output-view";
import { runtime, type Outcome, type Progress } from "./runtime";
import { decodeCode, sharedPayload, shareURL } from "./share";
import { clearEdits, loadEdits, loadStash, saveEdits, saveStash } from "./storage";
import { failingLine } from "./traceback";

export type DemoState = "idle" | "loading" | "running" | "done" | "error" | "stopped";

/** The root element as tests see it: the transcript is a documented property. */
export interface DemoRoot extends HTMLElement {
  demoTranscript: TranscriptEntry[];
  /** What the last run's output left out, or null (see runtime/README.md). */
  demoOmitted: Omitted | null;
  /** Worker messages the last run received (bounded by the worker's batching). */
  demoMessages: number;
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
  // The mark sits in the title's box but is not part of its name.
  const source = part<HTMLElement>(root, "[data-demo-source]");
  const runButton = part<HTMLButtonElement>(root, "[data-demo-run]");
  const stopButton = part<HTMLButtonElement>(root, "[data-demo-stop]");
  const resetButton = part<HTMLButtonElement>(root, "[data-demo-reset]");
  const copyButton = root.querySelector<HTMLButtonElement>("[data-demo-copy]");
  const shareButton = root.querySelector<HTMLButtonElement>("[data-demo-share]");
  const progress = part<HTMLElement>(root, "[data-demo-progress]");
  const fileInput = root.querySelector<HTMLInputElement>("[data-demo-file]");
  const inputName = root.dataset.demoInput?.split(/[\\/]/).pop() ?? "";
  const extraInput = root.querySelector<HTMLInputElement>("[data-demo-extra-file]");
  const extraName = root.dataset.demoExtra?.split(/[\\/]/).pop() ?? "";
  // Read at each Run, so a page (or a test) may change the limit.
  const limitS = (): number => {
    const value = Number(root.dataset.demoTimeout);
    return value > 0 ? value : DEFAULT_TIMEOUT_S;
  };
  const packages = (root.dataset.demoPackages ?? "").split(/\s+/).filter(Boolean);
  const original = (source.textContent ?? "").replace(/\n$/, "");

  const view = mountOutput(part<HTMLElement>(root, "[data-demo-output]"), mermaidURL);
  root.demoTranscript = view.transcript;
  root.demoOmitted = null;
  root.demoMessages = 0;
  // An explicit height fixes the editor's lines; otherwise it follows the code.
  const height = Number(root.dataset.demoHeight);
  if (height > 0) root.style.setProperty("--demo-lines", String(height));

  // What was left out of a flood, while the run goes on.
  const live = document.createElement("p");
  live.className = "demo__live";
  live.dataset.demoLive = "";
  live.setAttribute("aria-live", "off");
  progress.after(live);

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

  // -- Edited mark -----------------------------------------------------------------
  const edited = document.createElement("span");
  edited.className = "demo__edited";
  edited.textContent = "edited";
  edited.title = "This demo holds your edits; Reset restores the page's code.";
  root.querySelector(".demo__title")?.append(edited);

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
  const markEdited = (): void => {
    const changed = current !== original;
    edited.hidden = !changed;
    if (changed) root.dataset.demoEdited = "";
    else delete root.dataset.demoEdited;
  };
  markEdited();
  if (current !== original) showPlain(current);
  source.tabIndex = 0;
  source.setAttribute("aria-label", `Python code: ${title}`);
  let editor: EditorView | null = null;
  let editorModule: typeof import("./editor") | null = null;
  let saveTimer: number | undefined;
  let editorLoading: Promise<void> | null = null;
  // Keys typed into the code view before the editor is there, replayed into it.
  let typedEarly = "";
  const mountEditor = (): Promise<void> =>
    (editorLoading ??= import("./editor").then(
      (module) => {
        editorModule = module;
        const focused = document.activeElement === source;
        const holder = document.createElement("div");
        holder.className = "demo__editor";
        source.after(holder);
        editor = module.createEditor({
          parent: holder,
          doc: current,
          label: `Python code: ${title}`,
          onRun: () => void start(),
          onChange: (doc) => {
            current = doc;
            markEdited();
            window.clearTimeout(saveTimer);
            saveTimer = window.setTimeout(() => saveEdits(id, doc, original), SAVE_DELAY_MS);
          },
        });
        source.hidden = true;
        if (focused || typedEarly) editor.focus();
        if (typedEarly) module.typeAtCursor(editor, typedEarly);
        typedEarly = "";
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
      return;
    }
    if (editor || event.ctrlKey || event.metaKey || event.altKey) return;
    const key = event.key === "Enter" ? "\n" : event.key === "Tab" ? "" : event.key;
    if ([...key].length === 1) {
      event.preventDefault();
      typedEarly += key;
      void mountEditor();
    }
  });
  const code = (): string => current;
  const setCode = (text: string): void => {
    current = text;
    markEdited();
    if (editor && editorModule) editorModule.setDoc(editor, text);
    else showPlain(text);
  };

  // -- Share links ------------------------------------------------------------------
  // A link's code never silently replaces the reader's own edits: those are
  // kept aside, with a one-click way back.
  const offerBack = (): void => {
    const stash = loadStash(id);
    if (stash === null) return;
    const bar = document.createElement("p");
    bar.className = "demo__offer";
    bar.dataset.demoShareConflict = "";
    const text = document.createElement("span");
    text.textContent = "This link's code replaced your own edits of this demo, which are kept. ";
    const back = document.createElement("button");
    back.type = "button";
    back.className = "md-button demo__offer-button";
    back.dataset.demoRestoreEdits = "";
    back.textContent = "Back to my edits";
    back.addEventListener("click", () => {
      const mine = loadStash(id);
      if (mine !== null) {
        setCode(mine);
        saveEdits(id, mine, original);
      }
      bar.remove();
      say("Your edits are back.");
    });
    bar.append(text, back);
    source.before(bar);
  };
  const shared = sharedPayload(id);
  if (shared !== null) {
    decodeCode(shared).then(
      (text) => {
        const mine = loadEdits(id);
        if (mine !== null && mine !== text && mine !== original) saveStash(id, mine);
        setCode(text);
        saveEdits(id, text, original);
        if (mine !== null && mine !== text && mine !== original) offerBack();
        root.scrollIntoView({ block: "start" });
      },
      (error: unknown) =>
        say(`This share link could not be opened (${error instanceof Error ? error.message : "damaged"}); showing the page's code.`),
    );
  }

  for (const picker of [fileInput, extraInput]) {
    if (!picker) continue;
    const label = picker.closest("label");
    if (label) label.hidden = false;
    // Picking a file is asking to see its analysis.
    picker.addEventListener("change", () => {
      if (picker.files?.length) void start();
    });
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

  const showProgress = (stage: Progress): void => {
    progress.hidden = false;
    progress.replaceChildren();
    const text = document.createElement("span");
    let bar: HTMLProgressElement | null = null;
    switch (stage.stage) {
      case "queued":
        text.textContent = "Waiting for another demo to finish";
        break;
      case "restarting":
        text.textContent = "Restarting Python (the last run left work behind)";
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
  // Each picked file is written under its demo's name; one not picked is absent.
  const readInput = async (): Promise<{ files: InputFile[]; absent: string[] }> => {
    const files: InputFile[] = [];
    const absent: string[] = [];
    for (const [name, picker] of [
      [inputName, fileInput],
      [extraName, extraInput],
    ] as const) {
      if (!name) continue;
      const file = picker?.files?.[0];
      if (file) files.push({ name, data: await file.arrayBuffer() });
      else absent.push(name);
    }
    return { files, absent };
  };

  let timeoutS = DEFAULT_TIMEOUT_S;
  const finish = async (outcome: Outcome): Promise<void> => {
    try {
      switch (outcome.kind) {
        case "done":
          break;
        case "error": {
          view.traceback(outcome.traceback);
          const line = failingLine(outcome.traceback);
          if (line !== null && editor && editorModule) editorModule.markError(editor, line);
          break;
        }
        case "stopped":
          if (outcome.reason === "timeout") {
            view.notice(`Stopped: the run took longer than its ${timeoutS} s time limit.`, "warn");
          } else if (outcome.reason === "user") {
            view.notice("Stopped.", "neutral");
          }
          break;
        case "fatal":
          view.notice(`The Python runtime failed: ${outcome.message}. Run again to start afresh.`, "danger");
          break;
      }
      await view.drain();
    } catch (error) {
      console.error("live demo: output could not be shown", error);
    } finally {
      progress.hidden = true;
      root.demoOmitted = view.omitted;
      root.demoMessages = runtime.lastRunMessages;
      const state: Record<Outcome["kind"], DemoState> = {
        done: "done",
        error: "error",
        stopped: "stopped",
        fatal: "error",
      };
      setState(state[outcome.kind]);
    }
  };

  async function start(): Promise<void> {
    const state = root.dataset.demoState;
    if (state === "loading" || state === "running") return;
    setState("loading");
    timeoutS = limitS();
    view.clear();
    root.demoOmitted = null;
    if (editor && editorModule) editorModule.markError(editor, null);
    let input: { files: InputFile[]; absent: string[] };
    try {
      input = await readInput();
    } catch {
      await finish({ kind: "fatal", message: "could not read the picked file" });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await runtime.run(
        { owner: root, code: code(), packages, timeoutMs: timeoutS * 1000, ...input },
        {
          progress: showProgress,
          started: () => {
            progress.hidden = true;
            setState("running");
          },
          output: (items, omitted, tail) => view.add(items, omitted, tail),
          full: (data, complete) => view.offerDownload(data, complete, `${id || "demo"}-output.txt`),
        },
      );
    } catch (error) {
      outcome = { kind: "fatal", message: error instanceof Error ? error.message : String(error) };
    }
    await finish(outcome);
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
    // Back to how the page first showed it, output included (not mid-run).
    const busy = root.dataset.demoState === "loading" || root.dataset.demoState === "running";
    if (!busy) {
      view.clear();
      root.demoOmitted = null;
      if (editor && editorModule) editorModule.markError(editor, null);
      setState("idle");
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
    void shareURL(id, code()).then(
      (url) => {
        // replaceState, not location.hash: no scroll jump, no history entry.
        window.history.replaceState(window.history.state, "", url);
        navigator.clipboard.writeText(url).then(
          () => say("Link copied."),
          () => say("Link ready in the address bar."),
        );
      },
      (error: unknown) => say(error instanceof Error ? error.message : String(error)),
    );
  });
}

/** On each page swap: a run whose widget left the page is stopped. */
export function onPageSwap(): void {
  const owner = runtime.owner;
  if (owner && !owner.isConnected) runtime.stop("navigation");
}
