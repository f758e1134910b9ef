// Display records -> DOM. Only createElement and textContent: nothing that
// Python produced is ever parsed as HTML.

import type { Cell, DisplayRecord } from "./messages";
import { renderMermaid } from "./mermaid";

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function renderCell(value: Cell): HTMLElement {
  if (value.type === "badge") return badge(value.text, value.tone);
  if (value.type === "bytes") {
    const code = el("code", "demo-show__hex", value.text);
    code.title = `${value.length} bytes`;
    return code;
  }
  return el("span", `demo-show__value demo-show__value--${value.type}`, value.text);
}

function badge(text: string, tone: string): HTMLElement {
  const node = el("span", `demo-badge demo-badge--${tone}`, text);
  // The tone is colour; say it in words for screen readers too.
  if (tone !== "neutral") node.setAttribute("aria-label", `${text} (${tone})`);
  return node;
}

/** Hex dump lines, the same layout as livedemo's plain-text rendering. */
export function hexLines(hex: string, length: number): string[] {
  const bytes = hex.match(/../g) ?? [];
  const lines = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    lines.push(`${offset.toString(16).padStart(8, "0")}  ${bytes.slice(offset, offset + 16).join(" ")}`);
  }
  if (bytes.length < length) lines.push(`… ${length - bytes.length} more bytes`);
  return lines;
}

/**
 * A record's element. Work that finishes later (a diagram is drawn
 * asynchronously) is handed to `later`, so that the output view can hold the
 * run's end until the output has its final size.
 */
export function renderRecord(
  record: DisplayRecord,
  mermaidURL: () => Promise<string>,
  later: (work: Promise<void>) => void = () => undefined,
): HTMLElement {
  const box = el("div", `demo-show demo-show--${record.kind}`);
  const heading = (): void => {
    if (record.title) box.append(el("p", "demo-show__title", record.title));
  };
  switch (record.kind) {
    case "text":
      heading();
      box.append(el("p", "demo-show__text", record.text));
      break;
    case "badge":
      heading();
      box.append(badge(record.text, record.tone));
      break;
    case "bytes": {
      heading();
      box.append(el("p", "demo-show__meta", `${record.length} bytes`));
      box.append(el("pre", "demo-show__dump", hexLines(record.hex, record.length).join("\n")));
      break;
    }
    case "panel": {
      heading();
      const list = el("dl", "demo-show__panel");
      for (const item of record.items) {
        const row = el("div", "demo-show__pair");
        const value = el("dd");
        value.append(renderCell(item.value));
        row.append(el("dt", undefined, item.key), value);
        list.append(row);
      }
      box.append(list);
      break;
    }
    case "table": {
      const scroll = el("div", "demo-show__scroll");
      // A scrollable region must be reachable by keyboard.
      scroll.tabIndex = 0;
      const table = el("table", "demo-show__table");
      if (record.title) table.append(el("caption", undefined, record.title));
      const head = el("thead");
      const headRow = el("tr");
      for (const column of record.columns) {
        const th = el("th", undefined, column);
        th.scope = "col";
        headRow.append(th);
      }
      head.append(headRow);
      const body = el("tbody");
      for (const row of record.rows) {
        const tr = el("tr");
        for (const value of row) {
          const td = el("td");
          td.append(renderCell(value));
          tr.append(td);
        }
        body.append(tr);
      }
      table.append(head, body);
      scroll.append(table);
      if (record.title) scroll.setAttribute("aria-label", record.title);
      box.append(scroll);
      break;
    }
    case "mermaid": {
      heading();
      const figure = el("div", "demo-show__diagram");
      figure.setAttribute("role", "img");
      figure.setAttribute("aria-label", record.title ?? "Diagram");
      box.append(figure);
      later(renderMermaid(figure, record.source, mermaidURL));
      break;
    }
  }
  return box;
}
