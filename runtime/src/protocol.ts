// The page's guard on the worker boundary: a message is used only if it has
// the shape of its type. Anything else is dropped, so a malformed message
// can neither throw in the page nor move a widget to another state.

import type { FromWorker, Omitted, OutputItem } from "./messages";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= 0;
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

function outputItem(value: unknown): OutputItem | null {
  if (!isObject(value)) return null;
  if ("display" in value) return { display: value.display };
  if ((value.stream === "stdout" || value.stream === "stderr") && typeof value.text === "string") {
    return { stream: value.stream, text: value.text };
  }
  return null;
}

function omitted(value: unknown): Omitted | undefined | null {
  if (value === undefined) return undefined;
  if (!isObject(value) || !isCount(value.bytes) || !isCount(value.lines) || !isCount(value.records)) return null;
  return { bytes: value.bytes, lines: value.lines, records: value.records };
}

export function parseFromWorker(data: unknown): FromWorker | null {
  if (!isObject(data) || typeof data.type !== "string" || !Number.isInteger(data.id)) return null;
  const id = data.id as number;
  switch (data.type) {
    case "progress":
      if (data.stage === "start") return { type: "progress", id, stage: "start" };
      if (data.stage === "download" && isCount(data.loaded) && isCount(data.total)) {
        return { type: "progress", id, stage: "download", loaded: data.loaded, total: data.total };
      }
      if (data.stage === "packages" && isCount(data.done) && isCount(data.total)) {
        return { type: "progress", id, stage: "packages", done: data.done, total: data.total };
      }
      return null;
    case "ready":
      return typeof data.python === "string" && typeof data.jspi === "boolean"
        ? { type: "ready", id, python: data.python, jspi: data.jspi }
        : null;
    case "accepted":
    case "started":
      return { type: data.type, id };
    case "output": {
      if (!Array.isArray(data.items)) return null;
      const items: OutputItem[] = [];
      for (const raw of data.items) {
        const item = outputItem(raw);
        if (!item) return null;
        items.push(item);
      }
      const left = omitted(data.omitted);
      if (left === null) return null;
      const message: FromWorker = { type: "output", id, items };
      if (left) message.omitted = left;
      if (data.tail === true) message.tail = true;
      return message;
    }
    case "full":
      return data.data instanceof ArrayBuffer && typeof data.complete === "boolean"
        ? { type: "full", id, data: data.data, complete: data.complete }
        : null;
    case "done":
    case "interrupted":
      return isStrings(data.taint) ? { type: data.type, id, taint: data.taint } : null;
    case "error":
      return typeof data.traceback === "string" && isStrings(data.taint)
        ? { type: "error", id, traceback: data.traceback, taint: data.taint }
        : null;
    case "fatal":
      return typeof data.message === "string" ? { type: "fatal", id, message: data.message } : null;
    default:
      return null;
  }
}
