// Diagrams from livedemo.mermaid(): laid out by a Mermaid of their own in a
// hidden frame (mermaid-frame.ts), with text-only labels, then cut down to
// plain SVG (svg-sanitize.ts) and adopted into a shadow root. No HTML from a
// label is ever created in the page, and nothing is fetched.
//
// Colours come from Material's --md-mermaid-* variables (notes.css sets them
// per scheme, as page diagrams use them), so a palette toggle restyles a drawn
// diagram with no second render.

import { frameMermaid, type MermaidAPI } from "./mermaid-frame";
import { naturalSize } from "./mermaid-config";
import { sanitizeSVG } from "./svg-sanitize";

// Mermaid's own keys that demo code may not change with a %%{init}%% directive,
// plus the ones this file depends on.
const SECURE = [
  "secure", "securityLevel", "startOnLoad", "maxTextSize", "suppressErrorRendering", "maxEdges",
  "htmlLabels", "themeCSS", "fontFamily", "theme", "themeVariables", "darkMode",
];

const THEME_CSS = [
  "svg{font-family:var(--md-mermaid-font-family)}",
  ".node rect,.node circle,.node ellipse,.node polygon,.node path,.cluster rect{" +
    "fill:var(--md-mermaid-node-bg-color);stroke:var(--md-mermaid-node-fg-color);stroke-width:1.5px}",
  ".flowchart-link,.edgePath .path,.relation,.transition,.messageLine0,.messageLine1," +
    ".actor-line,.loopLine{stroke:var(--md-mermaid-edge-color)}",
  "marker path,.marker,.arrowheadPath,.arrowMarkerPath{fill:var(--md-mermaid-edge-color);stroke:var(--md-mermaid-edge-color)}",
  "text,.label text,.nodeLabel,.edgeLabel text,.cluster-label text,.messageText,.loopText," +
    ".noteText,text.actor{fill:var(--md-mermaid-label-fg-color)}",
  ".edgeLabel rect,.edgeLabel .background,.labelBkg{fill:var(--md-mermaid-label-bg-color);opacity:1}",
].join("");

let queue: Promise<unknown> = Promise.resolve();
let counter = 0;

function pageFont(): string {
  return getComputedStyle(document.body).fontFamily || "sans-serif";
}

function config(): Record<string, unknown> {
  return naturalSize({
    startOnLoad: false,
    securityLevel: "strict",
    htmlLabels: false,
    flowchart: { htmlLabels: false },
    theme: "neutral",
    fontFamily: pageFont(),
    themeCSS: THEME_CSS,
    secure: SECURE,
  });
}

async function draw(api: MermaidAPI, source: string): Promise<string> {
  api.initialize(config());
  const { svg } = await api.render(`livedemo-mermaid-${++counter}`, source);
  return svg;
}

/** Draws `source` into `target`'s shadow root, or says why it could not. */
export async function renderMermaid(
  target: HTMLElement,
  source: string,
  url: () => Promise<string>,
): Promise<void> {
  try {
    const api = await frameMermaid(url);
    // One render at a time: Mermaid keeps per-render state in its module.
    const job = queue.then(() => draw(api, source));
    queue = job.catch(() => undefined);
    const svg = sanitizeSVG(await job);
    const shadow = target.shadowRoot ?? target.attachShadow({ mode: "open" });
    shadow.replaceChildren(svg);
  } catch (error) {
    target.removeAttribute("role");
    const message = document.createElement("p");
    message.className = "demo-show__error";
    message.textContent = `Diagram could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
    const pre = document.createElement("pre");
    pre.textContent = source;
    target.append(message, pre);
  }
}
