// The loader, on every page: small, no editor, no Python. On each page that
// Material shows (document$ also fires after instant navigation), it mounts
// the demos that are not mounted yet, importing the widget chunk only when a
// page has one.

import "./styles.css";
import "./diagram-zoom";
import { mountIsolation } from "./isolation";

interface Observable {
  subscribe(next: () => void): unknown;
}

declare global {
  interface Window {
    document$?: Observable;
  }
}

type WidgetModule = typeof import("./widget");

mountIsolation();

const mounted = new WeakSet<Element>();
let widget: Promise<WidgetModule> | null = null;

function scan(): void {
  const roots = [...document.querySelectorAll<HTMLElement>("[data-demo]")].filter((root) => !mounted.has(root));
  if (roots.length === 0) {
    void widget?.then((module) => module.onPageSwap());
    return;
  }
  roots.forEach((root) => mounted.add(root));
  widget ??= import("./widget");
  widget.then(
    (module) => {
      module.onPageSwap();
      for (const root of roots) {
        try {
          module.mountDemo(root);
        } catch (error) {
          console.error(error);
        }
      }
    },
    (error: unknown) => {
      widget = null;
      roots.forEach((root) => mounted.delete(root));
      console.error("live demo: the editor could not load", error);
    },
  );
}

if (window.document$) {
  window.document$.subscribe(scan);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", scan, { once: true });
}
// Material's document$ replays the current page, but scanning here too is
// harmless (mounting is idempotent) and covers a late subscription.
if (document.readyState !== "loading") scan();
