// Full screen for diagrams. A diagram keeps its natural size and scrolls in
// its own box; a button above it (or a click or tap on the diagram) opens it
// full screen, where it scrolls both ways. Esc, the button again, or a click
// outside the drawing closes it. Covers page diagrams (Material's div.mermaid)
// and demo diagrams (.demo-show__diagram), both of which appear after the
// page loads, so one MutationObserver finds them.
//
// State: the wrapper `.diagram-zoom` carries `data-diagram-fullscreen` while open.

const DIAGRAMS = "div.mermaid, .demo-show__diagram";
const SVG_NS = "http://www.w3.org/2000/svg";
const OPEN = "Open diagram full screen";
const CLOSE = "Close full screen";

const wrapped = new WeakSet<Element>();

function icon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5");
  svg.append(path);
  return svg;
}

function setOpen(wrapper: HTMLElement, button: HTMLButtonElement, open: boolean): void {
  wrapper.toggleAttribute("data-diagram-fullscreen", open);
  button.setAttribute("aria-label", open ? CLOSE : OPEN);
  button.setAttribute("aria-expanded", String(open));
  button.lastChild!.textContent = open ? "Close" : "Full screen";
  if (open) button.focus();
}

function wrap(box: HTMLElement): void {
  if (wrapped.has(box) || box.closest(".diagram-zoom") !== null) return;
  wrapped.add(box);
  const wrapper = document.createElement("div");
  wrapper.className = "diagram-zoom";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "diagram-zoom__toggle";
  button.append(icon(), document.createElement("span"));
  box.before(wrapper);
  wrapper.append(button, box);
  // The box scrolls sideways: keyboard readers must be able to reach it.
  if (!box.hasAttribute("tabindex")) box.tabIndex = 0;
  setOpen(wrapper, button, false);

  const isOpen = (): boolean => wrapper.hasAttribute("data-diagram-fullscreen");
  button.addEventListener("click", () => setOpen(wrapper, button, !isOpen()));
  box.addEventListener("click", () => {
    if (!isOpen()) setOpen(wrapper, button, true);
  });
  wrapper.addEventListener("click", (event) => {
    // In full screen, a click on the backdrop (not the drawing) closes.
    if (isOpen() && event.target === wrapper) setOpen(wrapper, button, false);
  });
  wrapper.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && isOpen()) {
      event.stopPropagation();
      setOpen(wrapper, button, false);
      button.focus();
    }
  });
}

function scan(root: ParentNode): void {
  if (root instanceof HTMLElement && root.matches(DIAGRAMS)) wrap(root);
  root.querySelectorAll<HTMLElement>(DIAGRAMS).forEach(wrap);
}

/** Watches `root` for diagrams, now and as they appear, and gives each a full-screen toggle. */
export function mountDiagramZoom(root: HTMLElement): void {
  scan(root);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) if (node instanceof HTMLElement) scan(node);
    }
  }).observe(root, { childList: true, subtree: true });
}

// The loader imports this file for its effect: one observer per document.
if (document.body) mountDiagramZoom(document.body);
else document.addEventListener("DOMContentLoaded", () => mountDiagramZoom(document.body), { once: true });
