// An SVG string from Mermaid -> an inert SVG element for this document.
// Parsed as XML by DOMParser (its document has no browsing context: nothing
// in it loads or runs), then cut down to plain SVG: no element of another
// namespace (no HTML, so no <img> or <foreignObject> content), no script or
// animation, no event handler, no link or style that points outside the
// diagram itself. Only then is it imported into the page.

const SVG_NS = "http://www.w3.org/2000/svg";

// Elements a drawn diagram needs; anything else is dropped with its subtree.
const ALLOWED = new Set([
  "svg", "g", "defs", "style", "title", "desc", "marker", "symbol", "use",
  "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
  "text", "tspan", "textPath", "clipPath", "mask", "pattern",
  "linearGradient", "radialGradient", "stop", "filter",
  "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feDropShadow",
  "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur",
  "feMerge", "feMergeNode", "feMorphology", "feOffset",
]);

// url(...) that is not a reference inside the document (url(#id)).
const OUTSIDE_URL = /url\(\s*(?!['"]?#)[^)]*\)/gi;

function cleanCSS(css: string): string {
  // Escapes could spell url( or @import in a way the patterns miss: drop them.
  return css.replace(/\\/g, "").replace(/@import[^;]*;?/gi, "").replace(OUTSIDE_URL, "none");
}

function cleanAttributes(element: Element): void {
  for (const attribute of [...element.attributes]) {
    const name = attribute.localName.toLowerCase();
    const value = attribute.value.trim();
    if (name.startsWith("on")) {
      element.removeAttributeNode(attribute);
    } else if (name === "href" || name === "src" || name === "action") {
      if (!value.startsWith("#")) element.removeAttributeNode(attribute);
    } else if (name === "style") {
      attribute.value = cleanCSS(attribute.value);
    } else if (/url\(/i.test(value)) {
      attribute.value = value.replace(OUTSIDE_URL, "none");
    }
  }
}

function clean(element: Element): void {
  for (const child of [...element.children]) {
    if (child.namespaceURI !== SVG_NS || !ALLOWED.has(child.localName)) {
      child.remove();
      continue;
    }
    cleanAttributes(child);
    if (child.localName === "style") child.textContent = cleanCSS(child.textContent ?? "");
    clean(child);
  }
}

/** The SVG, safe to adopt into `owner`; throws if the text is not one SVG. */
export function sanitizeSVG(text: string, owner: Document = document): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = parsed.documentElement;
  if (parsed.querySelector("parsererror") || root.namespaceURI !== SVG_NS || root.localName !== "svg") {
    throw new Error("Mermaid returned malformed SVG");
  }
  cleanAttributes(root);
  clean(root);
  return owner.importNode(root, true) as unknown as SVGSVGElement;
}
