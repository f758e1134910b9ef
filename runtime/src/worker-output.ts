// A run's output on its way to the page: batched (never a message per
// write) and bounded (the head and the tail are kept, the middle is counted).
// Python calls `write` synchronously, often in a loop that never yields, so
// batches are cut by the clock inside `write`, not by a timer alone.

import type { FromWorker, Omitted, OutputItem, StreamName } from "./messages";

export interface OutputLimits {
  /** Text kept from the start of a run, in UTF-8 bytes and in lines. */
  headBytes: number;
  headLines: number;
  /** Text kept from the end of a run whose middle was left out. */
  tailBytes: number;
  tailLines: number;
  /** Display records kept, and the largest one (JSON characters). */
  records: number;
  recordChars: number;
  /** All of a run's text is kept for download up to this many bytes. */
  fullBytes: number;
  /** A batch is sent when it is this old or this big. */
  flushMs: number;
  flushChars: number;
}

export const OUTPUT_LIMITS: OutputLimits = {
  headBytes: 256 * 1024,
  headLines: 2000,
  tailBytes: 32 * 1024,
  tailLines: 200,
  records: 200,
  recordChars: 4 * 1024 * 1024,
  fullBytes: 8 * 1024 * 1024,
  flushMs: 50,
  flushChars: 64 * 1024,
};

const NEWLINE = 0x0a;
const BLOCK = 1024 * 1024;

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
  return lines;
}

/** The last `limit` bytes written to one stream since it last changed. */
interface TailSegment {
  stream: StreamName;
  buffer: Uint8Array;
  length: number;
}

export class OutputBatcher {
  private id = 0;
  private items: OutputItem[] = [];
  private pendingChars = 0;
  private lastSent = 0;
  private trailing: ReturnType<typeof setTimeout> | undefined;
  private decoders = this.freshDecoders();
  private headBytes = 0;
  private headLines = 0;
  private headFull = false;
  private omitted: Omitted = { bytes: 0, lines: 0, records: 0 };
  private omittedChanged = false;
  private records = 0;
  private tail: TailSegment[] = [];
  /** The whole text so far (up to `fullBytes`), in blocks that grow as needed. */
  private full: Uint8Array[] = [];
  private fullLength = 0;
  private fullDropped = false;
  /** Messages sent for the current run (for tests and the bench). */
  messages = 0;

  constructor(
    private readonly send: (message: FromWorker) => void,
    private readonly transfer: (message: FromWorker, buffers: ArrayBuffer[]) => void,
    private readonly limits: OutputLimits = OUTPUT_LIMITS,
    // The real timer functions: the worker's globals may be wrapped or
    // replaced by demo code.
    private readonly timers = { set: setTimeout, clear: clearTimeout },
  ) {}

  private freshDecoders(): Record<StreamName, TextDecoder> {
    return { stdout: new TextDecoder(), stderr: new TextDecoder() };
  }

  begin(id: number): void {
    this.id = id;
    this.items = [];
    this.pendingChars = 0;
    this.lastSent = performance.now();
    this.decoders = this.freshDecoders();
    this.headBytes = 0;
    this.headLines = 0;
    this.headFull = false;
    this.omitted = { bytes: 0, lines: 0, records: 0 };
    this.omittedChanged = false;
    this.records = 0;
    this.tail = [];
    this.full = [];
    this.fullLength = 0;
    this.fullDropped = false;
    this.messages = 0;
  }

  private keep(bytes: Uint8Array): void {
    const room = this.limits.fullBytes - this.fullLength;
    if (bytes.length > room) this.fullDropped = true;
    let rest = bytes.subarray(0, Math.max(0, room));
    while (rest.length > 0) {
      let block = this.full[this.full.length - 1];
      const used = this.fullLength % BLOCK;
      if (!block || used === 0) {
        block = new Uint8Array(BLOCK);
        this.full.push(block);
      }
      const take = Math.min(rest.length, BLOCK - used);
      block.set(rest.subarray(0, take), used);
      this.fullLength += take;
      rest = rest.subarray(take);
    }
  }

  /** Python wrote `bytes` to a stream; returns how many it consumed (all). */
  write(stream: StreamName, bytes: Uint8Array): number {
    this.keep(bytes);
    let rest = bytes;
    if (!this.headFull) {
      const room = this.limits.headBytes - this.headBytes;
      let take = rest.subarray(0, Math.min(rest.length, room));
      // Cut after the line that reaches the line limit.
      let lines = 0;
      for (let at = take.indexOf(NEWLINE); at !== -1; at = take.indexOf(NEWLINE, at + 1)) {
        lines++;
        if (this.headLines + lines >= this.limits.headLines) {
          take = take.subarray(0, at + 1);
          break;
        }
      }
      this.headBytes += take.length;
      this.headLines += lines;
      this.text(stream, this.decoders[stream].decode(take, { stream: true }));
      rest = rest.subarray(take.length);
      if (this.headBytes >= this.limits.headBytes || this.headLines >= this.limits.headLines) {
        this.headFull = true;
      }
    }
    if (rest.length > 0) this.overflow(stream, rest);
    this.maybeFlush();
    return bytes.length;
  }

  private text(stream: StreamName, text: string): void {
    if (!text) return;
    const last = this.items[this.items.length - 1];
    if (last && "stream" in last && last.stream === stream) last.text += text;
    else this.items.push({ stream, text });
    this.pendingChars += text.length;
  }

  /** Past the head: count the bytes, and keep the most recent as the tail. */
  private overflow(stream: StreamName, bytes: Uint8Array): void {
    this.omitted.bytes += bytes.length;
    this.omitted.lines += countLines(bytes);
    this.omittedChanged = true;
    const limit = this.limits.tailBytes;
    let segment = this.tail[this.tail.length - 1];
    if (!segment || segment.stream !== stream) {
      segment = { stream, buffer: new Uint8Array(2 * limit), length: 0 };
      this.tail.push(segment);
    }
    const keep = bytes.subarray(Math.max(0, bytes.length - limit));
    if (segment.length + keep.length > segment.buffer.length) {
      // Slide the newest `limit - keep.length` bytes to the front.
      const stay = Math.max(0, limit - keep.length);
      segment.buffer.copyWithin(0, segment.length - stay, segment.length);
      segment.length = stay;
    }
    segment.buffer.set(keep, segment.length);
    segment.length += keep.length;
    // Older segments beyond the tail's size are dropped whole.
    let total = 0;
    for (let index = this.tail.length - 1; index >= 0; index--) {
      total += Math.min(this.tail[index]!.length, limit);
      if (total > limit && index < this.tail.length - 1) {
        this.tail.splice(0, index);
        break;
      }
    }
  }

  /** A display record as JSON text; records past the limit are counted only. */
  display(payload: string): void {
    this.flushText();
    if (this.records >= this.limits.records) {
      this.omitted.records++;
      this.omittedChanged = true;
    } else if (payload.length > this.limits.recordChars) {
      this.records++;
      const mb = (payload.length / 1e6).toFixed(1);
      this.text("stderr", `[a display record of ${mb} MB was left out: the limit is ${this.limits.recordChars / 1e6} MB]\n`);
    } else {
      this.records++;
      let record: unknown;
      try {
        record = JSON.parse(payload);
      } catch {
        record = { malformed: true };
      }
      this.items.push({ display: record });
      this.pendingChars += payload.length;
    }
    this.maybeFlush();
  }

  /** Text decoders hold partial characters; a record must not overtake them. */
  private flushText(): void {
    for (const name of ["stdout", "stderr"] as const) {
      if (this.headFull) continue;
      this.text(name, this.decoders[name].decode(new Uint8Array(0), { stream: true }));
    }
  }

  private maybeFlush(): void {
    if (this.items.length === 0 && !this.omittedChanged) return;
    const now = performance.now();
    if (now - this.lastSent >= this.limits.flushMs || this.pendingChars >= this.limits.flushChars) {
      this.flush();
      return;
    }
    // Output that comes while Python is idle (awaiting) still goes out soon.
    this.trailing ??= this.timers.set(() => {
      this.trailing = undefined;
      this.flush();
    }, this.limits.flushMs);
  }

  flush(): void {
    if (this.trailing !== undefined) {
      this.timers.clear(this.trailing);
      this.trailing = undefined;
    }
    if (this.items.length === 0 && !this.omittedChanged) return;
    const message: FromWorker = { type: "output", id: this.id, items: this.items };
    if (this.omitted.bytes || this.omitted.records) message.omitted = { ...this.omitted };
    this.items = [];
    this.pendingChars = 0;
    this.omittedChanged = false;
    this.lastSent = performance.now();
    this.messages++;
    this.send(message);
  }

  /** The run ended: what the decoders hold, then the tail after the gap. */
  end(): void {
    for (const name of ["stdout", "stderr"] as const) {
      if (!this.headFull) this.text(name, this.decoders[name].decode());
    }
    this.flush();
    if (this.tail.length === 0) return;
    const items: OutputItem[] = [];
    let lines = 0;
    // Newest first, so that the line limit keeps the last lines.
    for (let index = this.tail.length - 1; index >= 0 && lines < this.limits.tailLines; index--) {
      const segment = this.tail[index]!;
      let bytes = segment.buffer.subarray(0, segment.length);
      let found = countLines(bytes);
      if (lines + found > this.limits.tailLines) {
        // Keep only the last lines that fit, starting after a newline.
        let skip = lines + found - this.limits.tailLines;
        let at = -1;
        while (skip-- > 0) at = bytes.indexOf(NEWLINE, at + 1);
        bytes = bytes.subarray(at + 1);
        found = countLines(bytes);
      } else if (index === 0 || lines + found === this.limits.tailLines) {
        // Start the tail at a line boundary where one is at hand.
        const first = bytes.indexOf(NEWLINE);
        if (first !== -1 && first < bytes.length - 1 && segment.length >= this.limits.tailBytes) {
          bytes = bytes.subarray(first + 1);
          found = countLines(bytes);
        }
      }
      // A cut inside a UTF-8 sequence: skip its continuation bytes.
      let start = 0;
      while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
      lines += found;
      this.omitted.bytes -= bytes.length;
      this.omitted.lines -= found;
      items.unshift({ stream: segment.stream, text: new TextDecoder().decode(bytes) });
    }
    this.tail = [];
    this.messages++;
    this.send({ type: "output", id: this.id, items, omitted: { ...this.omitted }, tail: true });
    this.sendFull();
  }

  /** The whole text, for the page to offer as a download. */
  private sendFull(): void {
    if (this.omitted.bytes === 0 && this.omitted.lines === 0) return;
    const data = new Uint8Array(this.fullLength);
    let at = 0;
    for (const block of this.full) {
      const take = Math.min(BLOCK, this.fullLength - at);
      data.set(block.subarray(0, take), at);
      at += take;
    }
    this.full = [];
    this.messages++;
    this.transfer({ type: "full", id: this.id, data: data.buffer, complete: !this.fullDropped }, [data.buffer]);
  }
}
