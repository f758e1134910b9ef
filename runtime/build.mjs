// Builds runtime/dist/: the loader (every page) with its CSS and the
// code-split widget chunk (pages with a demo), the module worker, and the
// classic Mermaid shim. Names are content-hashed; entrypoints.json tells the
// site build which file is which.
import * as esbuild from "esbuild";
import { readFile, rm, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const src = path.join(here, "src");
const dist = path.join(here, "dist");
const root = path.dirname(here);

const common = {
  bundle: true,
  minify: true,
  target: ["es2022"],
  outdir: dist,
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
};

function outputFor(metafile, entry) {
  for (const [file, meta] of Object.entries(metafile.outputs)) {
    if (meta.entryPoint === entry) return { file: path.relative(dist, path.join(root, file)), meta };
  }
  throw new Error(`build: no output for ${entry}`);
}

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const mermaidVersion = JSON.parse(
  await readFile(path.join(root, "node_modules/mermaid/package.json"), "utf8"),
).version;

// The worker first: the page code needs its hashed name.
const worker = await esbuild.build({
  ...common,
  entryPoints: [path.join(src, "worker.ts")],
  format: "esm",
  entryNames: "[name]-[hash]",
  absWorkingDir: root,
});
const workerFile = outputFor(worker.metafile, "runtime/src/worker.ts").file;

const page = await esbuild.build({
  ...common,
  entryPoints: [path.join(src, "loader.ts")],
  format: "esm",
  splitting: true,
  entryNames: "[name]-[hash]",
  chunkNames: "[name]-[hash]",
  define: { __WORKER_FILE__: JSON.stringify(workerFile) },
  absWorkingDir: root,
});
const loader = outputFor(page.metafile, "runtime/src/loader.ts");
if (!loader.meta.cssBundle) throw new Error("build: the loader has no CSS bundle");

const shim = await esbuild.build({
  ...common,
  entryPoints: [path.join(src, "mermaid-shim.ts")],
  format: "iife",
  entryNames: "[name]-[hash]",
  define: { __MERMAID_VERSION__: JSON.stringify(mermaidVersion) },
  absWorkingDir: root,
});

// The service worker: a classic script (module service workers are not in
// every engine) under a fixed name, since its URL is its identity. The site
// build puts it at the site root, the top of the scope it controls.
const serviceWorker = await esbuild.build({
  ...common,
  entryPoints: [path.join(src, "coi-sw.ts")],
  format: "iife",
  entryNames: "[name]",
  absWorkingDir: root,
});

const entrypoints = {
  loader: loader.file,
  css: path.relative(dist, path.join(root, loader.meta.cssBundle)),
  mermaidShim: outputFor(shim.metafile, "runtime/src/mermaid-shim.ts").file,
  worker: workerFile,
  serviceWorker: outputFor(serviceWorker.metafile, "runtime/src/coi-sw.ts").file,
};
await writeFile(path.join(dist, "entrypoints.json"), JSON.stringify(entrypoints, null, 2) + "\n");

const sizes = {};
for (const result of [worker, page, shim, serviceWorker]) {
  for (const [file, meta] of Object.entries(result.metafile.outputs)) {
    sizes[path.relative(dist, path.join(root, file))] = meta.bytes;
  }
}
await writeFile(path.join(dist, "metafile.json"), JSON.stringify({ sizes }, null, 2) + "\n");
for (const [file, bytes] of Object.entries(sizes).sort()) {
  console.log(`${String(bytes).padStart(8)}  runtime/dist/${file}`);
}
