// Runs the page's boundary code (protocol.ts, records.ts, render.ts) under
// Node + jsdom, bundled in memory from the sources. Reads JSON lines on stdin:
// {"kind": "message" | "record", "value": ...}; writes one JSON line each:
// {"ok": true, "result": ...} or {"ok": false, "error": "..."} if it threw.
import * as esbuild from "esbuild";
import { JSDOM } from "jsdom";
import path from "node:path";
import readline from "node:readline";

const root = process.argv[2];
const entry = `
export { parseFromWorker } from "./protocol";
export { validateRecord } from "./records";
export { renderRecord } from "./render";
`;
const built = await esbuild.build({
  stdin: { contents: entry, resolveDir: path.join(root, "runtime/src"), loader: "ts" },
  bundle: true,
  format: "esm",
  write: false,
  logLevel: "error",
});
const dom = new JSDOM("<!doctype html><body></body>");
for (const name of ["window", "document", "DOMParser", "HTMLElement", "Node", "Text", "XMLSerializer"]) {
  globalThis[name] = name === "window" ? dom.window : dom.window[name];
}
const code = built.outputFiles[0].text;
const api = await import("data:text/javascript;base64," + Buffer.from(code).toString("base64"));
// Diagrams load Mermaid on demand; here, no Mermaid: the widget's fallback shows the source.
const noMermaid = () => Promise.reject(new Error("no Mermaid in this harness"));

for await (const line of readline.createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const { kind, value } = JSON.parse(line);
  try {
    let result;
    if (kind === "message") result = api.parseFromWorker(value);
    else {
      const checked = api.validateRecord(value);
      if ("record" in checked) {
        const node = api.renderRecord(checked.record, noMermaid);
        result = { record: checked.record, html: node.outerHTML, elements: node.querySelectorAll("*").length };
      } else result = checked;
    }
    process.stdout.write(JSON.stringify({ ok: true, result: result ?? null }) + "\n");
  } catch (error) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(error && error.stack || error) }) + "\n");
  }
}
