// runtime-config.json, written by the site build next to the loader.

export interface RuntimeConfig {
  pyodide: { version: string; indexURL: string; files: Record<string, number> };
  wheels: Record<string, { url: string; sha256: string }>;
  requires: Record<string, string[]>;
  mermaid: string;
}

/** The config with every URL made absolute against the config file's own URL. */
export interface ResolvedConfig extends RuntimeConfig {
  configURL: string;
}

let pending: Promise<ResolvedConfig> | null = null;

export function configURL(): string {
  // The loader and its chunks live beside runtime-config.json.
  return new URL("runtime-config.json", import.meta.url).href;
}

export function loadConfig(): Promise<ResolvedConfig> {
  pending ??= fetchConfig().catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}

async function fetchConfig(): Promise<ResolvedConfig> {
  const url = configURL();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`runtime-config.json: HTTP ${response.status}`);
  const raw = (await response.json()) as RuntimeConfig;
  const abs = (relative: string): string => new URL(relative, url).href;
  const wheels: RuntimeConfig["wheels"] = {};
  for (const [name, wheel] of Object.entries(raw.wheels)) {
    wheels[normalize(name)] = { url: abs(wheel.url), sha256: wheel.sha256 };
  }
  const requires: RuntimeConfig["requires"] = {};
  for (const [name, deps] of Object.entries(raw.requires)) requires[normalize(name)] = deps;
  return {
    configURL: url,
    pyodide: { ...raw.pyodide, indexURL: abs(raw.pyodide.indexURL) },
    wheels,
    requires,
    mermaid: abs(raw.mermaid),
  };
}

/** PEP 503 name normalisation, so `tlslite_ng` and `tlslite-ng` meet. */
export function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The wheels a demo needs: livedemo, its packages, and what they require. */
export function wheelsFor(config: ResolvedConfig, packages: string[]): { name: string; url: string; sha256: string }[] {
  const order: string[] = [];
  const visit = (name: string): void => {
    const key = normalize(name);
    if (order.includes(key)) return;
    order.push(key);
    for (const dep of config.requires[key] ?? []) visit(dep);
  };
  for (const name of ["livedemo", ...packages]) visit(name);
  return order.map((key) => {
    const wheel = config.wheels[key];
    if (!wheel) throw new Error(`runtime-config.json has no wheel for ${key}`);
    return { name: key, ...wheel };
  });
}
