// A widget's output region: text, display records and the runtime's notices,
// rendered in time slices so that no frame does much work, and bounded so
// that no run can grow the page without end. The worker already keeps only
// the head and the tail of a flood (worker-output.ts); these caps hold even
// if it did not.

import type { DisplayRecord, Omitted, OutputItem, StreamName, TranscriptEntry } from "./messages";
import { validateRecord } from "./records";
import { renderRecord } from "./render";

/** DOM caps per run: characters of text, display records. */
export const VIEW_LIMITS = { chars: 512 * 1024, records: 250 };
// Work per animation frame before the rest waits for the next one.
const SLICE_MS = 8;
// A frame that has not come by then is not coming soon: paint on a timer.
const FALLBACK_MS = 250;
// How long a run's end waits for its diagrams to be drawn: the widget says
// "done" when its output has its final size, so that nothing below moves
// under the reader's pointer, but a diagram that never comes does not hold it.
const DRAWING_WAIT_MS = 20_000;

type Piece =
  | { stream: StreamName; text: string }
  | { display: DisplayRecord }
  | { notice: string; tone: "neutral" | "warn" | "danger" }
  | { gap: Omitted }
  | { traceback: string }
  | { element: HTMLElement };

export interface OutputView {
  /** Empty the region for a new run. */
  clear(): void;
  /** Output from the worker. */
  add(items: OutputItem[], omitted: Omitted | undefined, tail: boolean): void;
  notice(text: string, tone: "neutral" | "warn" | "danger"): void;
  traceback(text: string): void;
  /** Offer all the text of a run whose output was cut, as a file. */
  offerDownload(data: ArrayBuffer, complete: boolean, name: string): void;
  /** Resolves once everything pending is on the page (the run ended). */
  drain(): Promise<void>;
  /** What the reader saw, in order (root.demoTranscript). */
  readonly transcript: TranscriptEntry[];
  /** What was left out so far, if anything. */
  readonly omitted: Omitted | null;
}

function formatCount(count: number): string {
  return count.toLocaleString("en");
}

export function describeOmitted(omitted: Omitted): string {
  const parts: string[] = [];
  if (omitted.bytes > 0) {
    const size = omitted.bytes >= 1e6 ? `${(omitted.bytes / 1e6).toFixed(1)} MB` : `${formatCount(omitted.bytes)} bytes`;
    parts.push(`${formatCount(omitted.lines)} lines (${size}) of output`);
  }
  if (omitted.records > 0) parts.push(`${formatCount(omitted.records)} displays`);
  return `${parts.join(" and ")} left out`;
}

export function mountOutput(region: HTMLElement, mermaidURL: () => Promise<string>): OutputView {
  let pending: Piece[] = [];
  let frame = 0;
  let fallback = 0;
  let chars = 0;
  let records = 0;
  let dropped: Omitted = { bytes: 0, lines: 0, records: 0 };
  let left: Omitted | null = null;
  let live: HTMLElement | null = null;
  let gapShown = false;
  let download: string | null = null;
  let drained: (() => void)[] = [];
  /** Diagrams of this run still being drawn. */
  let drawing = new Set<Promise<void>>();
  const transcript: TranscriptEntry[] = [];

  const remember = (entry: TranscriptEntry): void => {
    const last = transcript[transcript.length - 1];
    if ("stream" in entry && last && "stream" in last && last.stream === entry.stream) last.text += entry.text;
    else transcript.push("stream" in entry ? { ...entry } : entry);
  };

  const paint = (piece: Piece): void => {
    if ("stream" in piece) {
      const last = region.lastElementChild;
      const cls = `demo__stream demo__stream--${piece.stream}`;
      if (last instanceof HTMLPreElement && last.className === cls && last.firstChild instanceof Text) {
        last.firstChild.appendData(piece.text);
      } else {
        const pre = document.createElement("pre");
        pre.className = cls;
        pre.textContent = piece.text;
        region.append(pre);
      }
    } else if ("display" in piece) {
      try {
        region.append(
          renderRecord(piece.display, mermaidURL, (work) => {
            const own = drawing;
            own.add(work);
            void work.finally(() => own.delete(work));
          }),
        );
      } catch (error) {
        paint({ notice: `A display could not be shown: ${String(error)}`, tone: "danger" });
      }
    } else if ("gap" in piece) {
      const gap = document.createElement("p");
      gap.className = "demo__gap";
      gap.dataset.demoOmitted = "";
      gap.textContent = `… ${describeOmitted(piece.gap)} …`;
      region.append(gap);
    } else if ("element" in piece) {
      region.append(piece.element);
    } else if ("traceback" in piece) {
      const pre = document.createElement("pre");
      pre.className = "demo__stream demo__stream--stderr demo__traceback";
      pre.dataset.demoError = "";
      pre.textContent = piece.traceback;
      region.append(pre);
    } else {
      const note = document.createElement("p");
      note.className = `demo__notice demo__notice--${piece.tone}`;
      note.textContent = piece.notice;
      region.append(note);
    }
  };

  // Animation frames do not come in a hidden tab, and an engine may hold
  // them back in a tab it does not count as hidden (WebKitGTK in a window
  // that is not drawn): a timer stands by, so that a run always ends.
  const schedule = (): void => {
    if (frame || fallback) return;
    if (!document.hidden) frame = window.requestAnimationFrame(work);
    fallback = window.setTimeout(work, document.hidden ? 0 : FALLBACK_MS);
  };
  const unschedule = (): void => {
    // Separate handles: an animation frame's number may equal another timer's.
    if (frame) window.cancelAnimationFrame(frame);
    if (fallback) window.clearTimeout(fallback);
    frame = 0;
    fallback = 0;
  };

  function work(): void {
    unschedule();
    const until = performance.now() + SLICE_MS;
    let index = 0;
    try {
      while (index < pending.length && performance.now() < until) paint(pending[index++]!);
    } finally {
      pending = pending.slice(index);
      if (pending.length > 0) schedule();
      else for (const done of drained.splice(0)) done();
    }
  }

  const put = (piece: Piece): void => {
    if ("gap" in piece) gapShown = true;
    pending.push(piece);
    schedule();
  };

  const showLive = (omitted: Omitted): void => {
    live ??= region.parentElement?.querySelector<HTMLElement>("[data-demo-live]") ?? null;
    if (live) live.textContent = `${describeOmitted(omitted)} so far`;
  };

  const total = (): Omitted | null => {
    const sum = {
      bytes: (left?.bytes ?? 0) + dropped.bytes,
      lines: (left?.lines ?? 0) + dropped.lines,
      records: (left?.records ?? 0) + dropped.records,
    };
    return sum.bytes || sum.records ? sum : null;
  };

  return {
    transcript,
    get omitted() {
      return total();
    },
    clear() {
      if (download) URL.revokeObjectURL(download);
      download = null;
      unschedule();
      pending = [];
      gapShown = false;
      for (const done of drained.splice(0)) done();
      drawing = new Set();
      chars = 0;
      records = 0;
      dropped = { bytes: 0, lines: 0, records: 0 };
      left = null;
      transcript.length = 0;
      region.replaceChildren();
    },
    add(items, omitted, tail) {
      if (omitted) left = omitted;
      const gap = tail ? total() : null;
      if (gap) put({ gap });
      for (const item of items) {
        if ("stream" in item) {
          let text = item.text;
          if (chars + text.length > VIEW_LIMITS.chars) {
            const keep = Math.max(0, VIEW_LIMITS.chars - chars);
            const cut = text.slice(keep);
            dropped.bytes += new TextEncoder().encode(cut).length;
            dropped.lines += cut.split("\n").length - 1;
            text = text.slice(0, keep);
          }
          chars += text.length;
          if (!text) continue;
          remember({ stream: item.stream, text });
          put({ stream: item.stream, text });
          continue;
        }
        if (records >= VIEW_LIMITS.records) {
          dropped.records++;
          continue;
        }
        records++;
        const checked = validateRecord(item.display);
        if ("problem" in checked) {
          put({ notice: `A display record was malformed and left out (${checked.problem}).`, tone: "danger" });
          continue;
        }
        remember({ display: checked.record });
        put({ display: checked.record });
      }
      const sum = total();
      if (sum && !tail) showLive(sum);
    },
    notice(text, tone) {
      put({ notice: text, tone });
    },
    offerDownload(data, complete, name) {
      if (download) URL.revokeObjectURL(download);
      download = URL.createObjectURL(new Blob([data], { type: "text/plain;charset=utf-8" }));
      const link = document.createElement("a");
      link.className = "md-button demo__download";
      link.dataset.demoDownload = "";
      link.href = download;
      link.download = name;
      const mb = (data.byteLength / 1e6).toFixed(1);
      link.textContent = complete
        ? `Download the whole output (${mb} MB)`
        : `Download the first ${mb} MB of the output`;
      put({ element: link });
    },
    traceback(text) {
      remember({ stream: "stderr", text: text + "\n" });
      put({ traceback: text });
    },
    drain() {
      // A run that ended without its tail (stopped) still says what it left out.
      const sum = total();
      if (sum && !gapShown) put({ gap: sum });
      if (live) live.textContent = "";
      const painted = pending.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));
      return painted.then(() => drawn(drawing));
    },
  };
}

/** Until every diagram in `drawing` is drawn (or failed), or DRAWING_WAIT_MS. */
function drawn(drawing: Set<Promise<void>>): Promise<void> {
  if (drawing.size === 0) return Promise.resolve();
  let timer = 0;
  const waited = new Promise<void>((resolve) => (timer = window.setTimeout(resolve, DRAWING_WAIT_MS)));
  return Promise.race([Promise.allSettled([...drawing]).then(() => undefined), waited]).finally(() =>
    window.clearTimeout(timer),
  );
}
