// Parses Mermaid diagrams with the same Mermaid the site serves, so a broken
// diagram fails the build instead of showing an error box to readers.
// stdin: [{"where": "docs/x.md:12", "source": "..."}]; stdout: [{"where", "error"}].
// Mermaid sanitises labels with DOMPurify, which needs a DOM: jsdom gives it
// one, and must exist before Mermaid (and DOMPurify with it) is imported.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("");
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import("mermaid");

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const diagrams = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const problems = [];
for (const { where, source } of diagrams) {
  try {
    await mermaid.parse(source);
  } catch (error) {
    problems.push({ where, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(problems));
