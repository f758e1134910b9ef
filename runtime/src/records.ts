// Display records come from demo code: the page checks each one against the
// documented shape (runtime/README.md, "The transcript") before it renders it.

import type { Cell, DisplayRecord, Tone } from "./messages";

type Json = Record<string, unknown>;

const TONES: readonly Tone[] = ["neutral", "ok", "info", "warn", "danger"];
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string";
const isTone = (value: unknown): value is Tone => TONES.includes(value as Tone);
const isLength = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

class Malformed extends Error {}

function need(condition: boolean, where: string, what: string): void {
  if (!condition) throw new Malformed(`${where}: ${what}`);
}

function cell(value: unknown, where: string): Cell {
  need(isObject(value), where, "expected a cell object");
  const raw = value as Json;
  need(isText(raw.text), `${where}.text`, "expected a string");
  const text = raw.text as string;
  switch (raw.type) {
    case "str":
    case "number":
    case "bool":
    case "none":
      return { type: raw.type, text };
    case "bytes":
      need(isText(raw.hex) && /^(?:[0-9a-f]{2})*$/.test(raw.hex as string), `${where}.hex`, "expected hex digits");
      need(isLength(raw.length), `${where}.length`, "expected a byte count");
      return { type: "bytes", text, hex: raw.hex as string, length: raw.length as number };
    case "badge":
      need(isTone(raw.tone), `${where}.tone`, `expected one of ${TONES.join(", ")}`);
      return { type: "badge", text, tone: raw.tone as Tone };
    default:
      throw new Malformed(`${where}.type: unknown cell type ${JSON.stringify(raw.type)}`);
  }
}

function body(raw: Json): DisplayRecord {
  const title = raw.title === null || raw.title === undefined ? null : raw.title;
  need(title === null || isText(title), "record.title", "expected a string or null");
  const base = { title: title as string | null };
  switch (raw.kind) {
    case "text":
      need(isText(raw.text), "record.text", "expected a string");
      return { ...base, kind: "text", text: raw.text as string };
    case "badge":
      need(isText(raw.text), "record.text", "expected a string");
      need(isTone(raw.tone), "record.tone", `expected one of ${TONES.join(", ")}`);
      return { ...base, kind: "badge", text: raw.text as string, tone: raw.tone as Tone };
    case "mermaid":
      need(isText(raw.source), "record.source", "expected a string");
      return { ...base, kind: "mermaid", source: raw.source as string };
    case "bytes":
      need(isText(raw.hex) && /^(?:[0-9a-f]{2})*$/.test(raw.hex as string), "record.hex", "expected hex digits");
      need(isLength(raw.length), "record.length", "expected a byte count");
      return { ...base, kind: "bytes", hex: raw.hex as string, length: raw.length as number };
    case "panel": {
      need(Array.isArray(raw.items), "record.items", "expected a list");
      const items = (raw.items as unknown[]).map((item, index) => {
        const where = `record.items[${index}]`;
        need(isObject(item) && isText((item as Json).key), `${where}.key`, "expected a string");
        return { key: (item as Json).key as string, value: cell((item as Json).value, `${where}.value`) };
      });
      return { ...base, kind: "panel", items };
    }
    case "table": {
      need(Array.isArray(raw.columns) && (raw.columns as unknown[]).every(isText), "record.columns", "expected a list of strings");
      need(Array.isArray(raw.rows), "record.rows", "expected a list");
      const columns = raw.columns as string[];
      const rows = (raw.rows as unknown[]).map((row, index) => {
        need(Array.isArray(row), `record.rows[${index}]`, "expected a list");
        need((row as unknown[]).length === columns.length, `record.rows[${index}]`, `expected ${columns.length} cells`);
        return (row as unknown[]).map((value, column) => cell(value, `record.rows[${index}][${column}]`));
      });
      return { ...base, kind: "table", columns, rows };
    }
    default:
      throw new Malformed(`record.kind: unknown kind ${JSON.stringify(raw.kind)}`);
  }
}

/** The record, checked, or the one-line reason it is not one. */
export function validateRecord(value: unknown): { record: DisplayRecord } | { problem: string } {
  try {
    if (!isObject(value)) return { problem: "record: expected an object" };
    return { record: body(value) };
  } catch (error) {
    if (error instanceof Malformed) return { problem: error.message };
    return { problem: `record: ${String(error)}` };
  }
}
