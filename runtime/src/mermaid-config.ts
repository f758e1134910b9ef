// Mermaid settings shared by page diagrams (the shim, for Material) and demo
// diagrams (mermaid.ts): diagrams keep their natural size, so that a wide one
// scrolls in its box (or opens full screen) instead of shrinking its labels
// below legibility on a phone.

const DIAGRAMS = [
  "flowchart", "sequence", "gantt", "journey", "timeline", "class", "state", "er", "pie",
  "quadrantChart", "xyChart", "requirement", "architecture", "mindmap", "kanban",
  "gitGraph", "c4", "sankey", "packet", "block", "radar",
];

/** `config` with `useMaxWidth: false` for every diagram type, its own keys kept. */
export function naturalSize(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of DIAGRAMS) {
    const own = config[key];
    out[key] = { ...(typeof own === "object" && own !== null ? own : {}), useMaxWidth: false };
  }
  return out;
}
