// Cross-origin isolation on a static host: registers the site's service
// worker (coi-sw.ts, which adds COOP/COEP), and on a first visit reloads the
// page once, when the worker has taken control, if the reader has not started
// doing anything yet. Where that is not so, the page stays as it is and the
// next full page load is isolated. It never reloads twice in one tab, and
// never a page that the service worker already controlled: there the engine
// has ignored the headers, and the runtime's terminate-and-respawn Stop is
// what the reader gets. See runtime/README.md, "Cross-origin isolation".

// hooks/assets.py puts the loader in assets/demos/ and the worker at the site
// root, the top of its scope (a worker's scope cannot be above its own path).
const SERVICE_WORKER = "../../coi-sw.js";
const SCOPE = "../../";
/** sessionStorage: set once this tab has reloaded for isolation; the scroll to restore. */
const RELOADED = "livedemo:isolation-reload";
/** localStorage: the user agent of an engine that isolates but shares no memory. */
const UNUSABLE = "livedemo:isolation-unusable";

interface Saved {
  href: string;
  x: number;
  y: number;
  /** The block of the article at the top of the viewport (its index), and
   * how far below the viewport's top edge it began. */
  block?: number;
  offset?: number;
}

/** How long after the load event the restored position follows late layout
 * (a diagram drawn, a font swapped), unless the reader moves first. */
const PIN_MS = 3000;

function article(): Element | null {
  return document.querySelector("article.md-content__inner");
}

/** The reader's position as "this block, this far from the top": a diagram
 * drawn above it after the reload then moves the block, not the reader. */
function anchorNow(): Pick<Saved, "block" | "offset"> {
  const blocks = article()?.children;
  if (!blocks) return {};
  for (let i = 0; i < blocks.length; i++) {
    const rect = blocks[i].getBoundingClientRect();
    if (rect.bottom > 0) return { block: i, offset: rect.top };
  }
  return {};
}

export function mountIsolation(): void {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  const container = navigator.serviceWorker;
  const controlledAtLoad = container.controller !== null;
  const scope = new URL(SCOPE, import.meta.url).href;
  restoreScroll();
  if (window.crossOriginIsolated && typeof SharedArrayBuffer !== "function") {
    // Isolated, yet no SharedArrayBuffer (WebKitGTK 2.50): isolation buys
    // no soft Stop here, only COEP's limits and a reload per new tab. Until
    // the browser changes (its user agent with it), the site does without.
    remember(UNUSABLE, navigator.userAgent, () => window.localStorage);
  }
  if (recalled(UNUSABLE, () => window.localStorage) === navigator.userAgent) {
    void container.getRegistration(scope).then((registration) => registration?.unregister(), () => undefined);
    return;
  }
  container
    .register(new URL(SERVICE_WORKER, import.meta.url), {
      scope,
      // The worker script is always revalidated, whatever the host's
      // max-age: a fixed worker reaches readers at their next page load.
      updateViaCache: "none",
    })
    .catch(() => undefined); // no worker: not isolated, Stop still works
  if (window.crossOriginIsolated || controlledAtLoad) return;
  const activity = watchActivity();
  // Usually before the load event: the reload is then over before the page
  // has finished loading the first time.
  container.addEventListener("controllerchange", () => reloadWhenQuiet(activity), { once: true });
}

interface Activity {
  /** A demo left `idle` in this document: Python may be loaded, keep it. */
  ran: boolean;
  /** The reader typed on this page (a demo's edits are saved after a delay). */
  typed: boolean;
  /** The reader is at a demo (its editor loads on pointer or focus). */
  engaged: boolean;
  stop(): void;
}

function watchActivity(): Activity {
  const states = new MutationObserver((records) => {
    for (const record of records) {
      if (record.target instanceof Element && record.target.getAttribute("data-demo-state") !== "idle") {
        activity.ran = true;
      }
    }
  });
  const onInput = (): void => {
    activity.typed = true;
  };
  const onEngage = (event: Event): void => {
    if (event.target instanceof Element && event.target.closest("[data-demo]")) activity.engaged = true;
  };
  const engageEvents = ["pointerover", "focusin", "touchstart"] as const;
  const activity: Activity = {
    ran: document.querySelector('[data-demo]:not([data-demo-state="idle"])') !== null,
    typed: false,
    engaged: false,
    stop: () => {
      states.disconnect();
      document.removeEventListener("input", onInput, true);
      for (const type of engageEvents) document.removeEventListener(type, onEngage, true);
    },
  };
  states.observe(document.documentElement, { subtree: true, attributeFilter: ["data-demo-state"] });
  document.addEventListener("input", onInput, true);
  for (const type of engageEvents) document.addEventListener(type, onEngage, { capture: true, passive: true });
  return activity;
}

function reloadWhenQuiet(activity: Activity): void {
  if (reloadIfQuiet(activity)) return;
  // Not now: try again when the reader moves to another page (Material's
  // instant navigation swaps the page without loading it, so it would stay
  // un-isolated), unless a demo has run in this document.
  const here = (): string => location.pathname + location.search;
  let page = here();
  let settled = false;
  window.document$?.subscribe(() => {
    if (settled || here() === page) return;
    page = here();
    activity.typed = false;
    activity.engaged = false;
    settled = reloadIfQuiet(activity);
  });
}

/** Reloads (keeping the URL and scroll) if nothing would be lost; true if it did or never will. */
function reloadIfQuiet(activity: Activity): boolean {
  if (activity.ran) {
    activity.stop();
    return true;
  }
  if (activity.typed || activity.engaged || editing()) return false;
  activity.stop();
  // At the top, the browser's own reload does the right thing (the URL's
  // fragment included); anywhere else, the reader's position is kept.
  const saved: Saved | Record<string, never> =
    window.scrollX === 0 && window.scrollY === 0
      ? {}
      : { href: location.href, x: window.scrollX, y: window.scrollY, ...anchorNow() };
  try {
    if (window.sessionStorage.getItem(RELOADED) !== null) return true;
    window.sessionStorage.setItem(RELOADED, JSON.stringify(saved));
  } catch {
    return true; // no sessionStorage, no guard against a loop: no reload
  }
  location.reload();
  return true;
}

function editing(): boolean {
  const focused = document.activeElement;
  return (
    focused instanceof HTMLElement &&
    (focused.isContentEditable || focused instanceof HTMLInputElement || focused instanceof HTMLTextAreaElement)
  );
}

/** After the isolation reload, back to where the reader was (once). */
function restoreScroll(): void {
  let saved: Partial<Saved> | null = null;
  try {
    const raw = window.sessionStorage.getItem(RELOADED);
    saved = raw ? (JSON.parse(raw) as Partial<Saved>) : null;
    // Keep the key (it is the loop guard), drop the position.
    if (saved?.href !== undefined) window.sessionStorage.setItem(RELOADED, "{}");
  } catch {
    return;
  }
  if (!saved || saved.href !== location.href || typeof saved.x !== "number" || typeof saved.y !== "number") return;
  const { x, y, block, offset } = saved;
  const place = (): void => {
    const target = typeof block === "number" ? article()?.children[block] : undefined;
    if (target && typeof offset === "number") {
      window.scrollTo(x, window.scrollY + target.getBoundingClientRect().top - offset);
    } else {
      window.scrollTo(x, y);
    }
  };
  place();
  // Again as the layout settles (images, fonts, diagrams drawn above), until
  // the reader moves on their own.
  const content = article();
  if (!content || typeof ResizeObserver !== "function") {
    if (document.readyState !== "complete") window.addEventListener("load", place, { once: true });
    return;
  }
  const follow = new ResizeObserver(place);
  const moves = ["wheel", "touchstart", "keydown", "pointerdown"] as const;
  const release = (): void => {
    follow.disconnect();
    for (const type of moves) window.removeEventListener(type, release, true);
  };
  for (const type of moves) window.addEventListener(type, release, { capture: true, passive: true });
  follow.observe(content);
  const later = (): void => {
    place();
    window.setTimeout(release, PIN_MS);
  };
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });
}

function remember(key: string, value: string, storage: () => Storage): void {
  try {
    storage().setItem(key, value);
  } catch {
    // storage disabled: decided again on every page
  }
}

function recalled(key: string, storage: () => Storage): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}
