// Diagrams from livedemo.mermaid(): drawn by the site's own Mermaid, with
// securityLevel "strict" (Mermaid sanitises labels), and the SVG parsed as
// XML and adopted into a shadow root, never assigned as HTML.

interface MermaidAPI {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

declare global {
  interface Window {
    mermaid?: MermaidAPI;
  }
}

let loading: Promise<MermaidAPI> | null = null;
let counter = 0;

function loadMermaid(url: () => Promise<string>): Promise<MermaidAPI> {
  // The site's shim (mermaid-shim.ts) defines window.mermaid on every page
  // and loads the real one on first render; without it, load it ourselves.
  if (window.mermaid) return Promise.resolve(window.mermaid);
  loading ??= url().then(
    (src) =>
      new Promise<MermaidAPI>((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.onload = () => {
          const api = window.mermaid;
          if (!api) {
            reject(new Error("mermaid did not load"));
            return;
          }
          api.initialize({ startOnLoad: false, securityLevel: "strict" });
          resolve(api);
        };
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.head.append(script);
      }),
  );
  return loading;
}

export async function renderMermaid(
  target: HTMLElement,
  source: string,
  url: () => Promise<string>,
): Promise<void> {
  try {
    const api = await loadMermaid(url);
    const { svg } = await api.render(`livedemo-mermaid-${++counter}`, source);
    const parsed = new DOMParser().parseFromString(svg, "image/svg+xml");
    if (parsed.querySelector("parsererror")) throw new Error("Mermaid returned malformed SVG");
    const shadow = target.attachShadow({ mode: "open" });
    shadow.append(document.importNode(parsed.documentElement, true));
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
