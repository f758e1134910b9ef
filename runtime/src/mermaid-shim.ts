// Classic script on every page, before Material's bundle. Material loads
// Mermaid from unpkg unless `window.mermaid` exists (its bundle tests
// `typeof mermaid == "undefined"`, then calls `mermaid.initialize(config)` and
// `await mermaid.render(id, text)`). This stub satisfies that check and loads
// the site's own Mermaid only when a page first draws a diagram.

import { naturalSize } from "./mermaid-config";

declare const __MERMAID_VERSION__: string;

interface MermaidLike {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string, container?: Element): Promise<unknown>;
}

(() => {
  const global = window as unknown as { mermaid?: MermaidLike };
  if (typeof global.mermaid !== "undefined") return;
  const base = document.currentScript instanceof HTMLScriptElement ? document.currentScript.src : document.baseURI;
  const src = new URL(`../vendor/mermaid/${__MERMAID_VERSION__}/mermaid.min.js`, base).href;
  let config: Record<string, unknown> = {};
  let loading: Promise<MermaidLike> | null = null;

  const load = (): Promise<MermaidLike> =>
    (loading ??= new Promise<MermaidLike>((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => {
        const real = global.mermaid;
        if (!real || real === stub) {
          reject(new Error("Mermaid did not define window.mermaid"));
          return;
        }
        // "strict": Mermaid sanitises labels and disables click handlers.
        // Natural size: a wide diagram scrolls in its box, never shrinks.
        real.initialize(naturalSize({ startOnLoad: false, ...config, securityLevel: "strict" }));
        resolve(real);
      };
      script.onerror = () => {
        loading = null;
        reject(new Error(`could not load ${src}`));
      };
      document.head.append(script);
    }));

  const stub: MermaidLike = {
    initialize(next) {
      config = { ...next };
    },
    async render(id, text, container) {
      const real = await load();
      return real.render(id, text, container);
    },
  };
  global.mermaid = stub;
})();
