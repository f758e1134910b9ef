// A Mermaid of its own for diagrams from demo code, running in a hidden
// same-origin frame whose document forbids every fetch but Mermaid's script.
// Mermaid lays a diagram out in a live document (it measures text), so
// whatever a label makes it create (an <img>, say) is created there, in the
// frame, never in the page, and the frame's CSP stops any request it would make.

export interface MermaidAPI {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

const LOAD_MS = 30_000;

let frame: HTMLIFrameElement | null = null;
let ready: Promise<MermaidAPI> | null = null;

function srcdoc(script: string): string {
  const quoted = script.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const policy = `default-src 'none'; script-src ${quoted}; style-src 'unsafe-inline'`;
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${policy}">` +
    `<script src="${quoted}"></script></head><body></body></html>`
  );
}

function open(script: string): Promise<MermaidAPI> {
  const node = document.createElement("iframe");
  node.title = "Diagram renderer (hidden)";
  node.setAttribute("aria-hidden", "true");
  node.tabIndex = -1;
  node.dataset.demoMermaidFrame = "";
  // Laid out (Mermaid measures text) but out of sight and out of the way.
  node.style.cssText =
    "position:fixed;left:-20000px;top:0;width:1600px;height:1200px;border:0;visibility:hidden;pointer-events:none";
  node.srcdoc = srcdoc(script);
  frame = node;
  return new Promise<MermaidAPI>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Mermaid took too long to load")), LOAD_MS);
    node.addEventListener(
      "load",
      () => {
        clearTimeout(timer);
        const api = (node.contentWindow as (Window & { mermaid?: MermaidAPI }) | null)?.mermaid;
        if (api) resolve(api);
        else reject(new Error(`could not load ${script}`));
      },
      { once: true },
    );
    document.body.append(node);
  });
}

/** The frame's Mermaid; a new frame if the old one left the page. */
export function frameMermaid(script: () => Promise<string>): Promise<MermaidAPI> {
  if (!ready || !frame?.isConnected) {
    frame?.remove();
    const attempt = script().then(open);
    attempt.catch(() => {
      if (ready === attempt) ready = null;
    });
    ready = attempt;
  }
  return ready;
}
