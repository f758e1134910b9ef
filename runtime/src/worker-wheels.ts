// Demo wheels: fetched once, checked against their sha256, unpacked into
// site-packages. The bytes that are checked are the bytes that get installed.

import type { WheelRef } from "./messages";
import type { PyodideAPI } from "./pyodide-types";

const downloads = new Map<string, Promise<Uint8Array>>();
const installed = new Set<string>();

/** Start (or join) the download of a wheel. */
export function wheelBytes(wheel: WheelRef): Promise<Uint8Array> {
  let download = downloads.get(wheel.sha256);
  if (!download) {
    download = fetchVerified(wheel);
    downloads.set(wheel.sha256, download);
    // A failed download may be retried by the next run.
    download.catch(() => downloads.delete(wheel.sha256));
  }
  return download;
}

async function fetchVerified(wheel: WheelRef): Promise<Uint8Array> {
  const response = await fetch(wheel.url);
  if (!response.ok) throw new Error(`${wheel.name}: HTTP ${response.status} for ${wheel.url}`);
  const body = new Uint8Array(await response.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  if (hex !== wheel.sha256.toLowerCase()) {
    throw new Error(`${wheel.name}: sha256 mismatch for ${wheel.url}`);
  }
  return body;
}

/** Install what is missing; `progress` sees (done, total). Returns whether anything was installed. */
export async function installWheels(
  py: PyodideAPI,
  wheels: WheelRef[],
  progress: (done: number, total: number) => void,
): Promise<boolean> {
  const missing = wheels.filter((wheel) => !installed.has(wheel.sha256));
  if (missing.length === 0) return false;
  progress(0, missing.length);
  const sitePackages = String(py.runPython("import sysconfig\nsysconfig.get_paths()['purelib']"));
  // Download in parallel, install in order.
  const bodies = await Promise.all(missing.map((wheel) => wheelBytes(wheel)));
  bodies.forEach((body, index) => {
    py.unpackArchive(body, "wheel", { extractDir: sitePackages });
    installed.add(missing[index]!.sha256);
    downloads.delete(missing[index]!.sha256);
    progress(index + 1, missing.length);
  });
  py.runPython("import importlib\nimportlib.invalidate_caches()");
  return true;
}
