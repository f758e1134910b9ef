// Loading Pyodide from the site, with download progress counted from a clone
// of each response (the original goes to Pyodide, keeping streaming
// compilation and the engine's wasm code cache).

import type { LoadStage } from "./messages";
import type { PyodideAPI, PyodideModule } from "./pyodide-types";

interface FetchScope {
  fetch: typeof fetch;
}

export async function loadPython(
  scope: FetchScope,
  indexURL: string,
  sizes: Record<string, number>,
  report: (stage: LoadStage) => void,
): Promise<PyodideAPI> {
  const total = Object.values(sizes).reduce((sum, size) => sum + size, 0);
  // pyodide.mjs and pyodide.asm.mjs arrive by import(), which has no byte
  // stream: they are counted as soon as the first fetch starts (the import of
  // pyodide.mjs is done by then). The rest is counted as it streams through
  // the global fetch, which Pyodide uses for the wasm, the stdlib and the lock.
  const imported = (sizes["pyodide.mjs"] ?? 0) + (sizes["pyodide.asm.mjs"] ?? 0);
  const fetchable = total - imported;
  let fetched = 0;
  let lastPost = 0;
  let starting = false;
  const update = (force = false): void => {
    if (starting) return;
    if (fetchable > 0 && fetched >= fetchable) {
      // Everything is here; what remains is compiling and booting.
      starting = true;
      report({ stage: "download", loaded: total, total });
      report({ stage: "start" });
      return;
    }
    const now = performance.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    const loaded = Math.min(total, fetched + (fetched > 0 ? imported : 0));
    report({ stage: "download", loaded, total });
  };
  update(true);
  const realFetch = scope.fetch.bind(scope);
  const count = async (copy: Response): Promise<void> => {
    const reader = copy.body?.getReader();
    if (!reader) return;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      fetched += value.byteLength;
      update();
    }
  };
  scope.fetch = async (input: RequestInfo | URL, options?: RequestInit): Promise<Response> => {
    const response = await realFetch(input, options);
    if (response.ok && response.body) void count(response.clone());
    return response;
  };
  let py: PyodideAPI;
  try {
    const module = (await import(new URL("pyodide.mjs", indexURL).href)) as PyodideModule;
    py = await module.loadPyodide({ indexURL });
  } finally {
    scope.fetch = realFetch;
  }
  if (!starting) report({ stage: "start" });
  return py;
}
