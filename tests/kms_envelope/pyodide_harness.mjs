// Runs a Python file in Pyodide under Node, with kms_envelope (from demos/)
// and the pure wheels the site ships (.cache/pyodide-wheels/) installed.
// Usage: node [--experimental-wasm-stack-switching] pyodide_harness.mjs ROOT CODE.py
import fs from "node:fs";
import path from "node:path";

const [root, codeFile] = process.argv.slice(2);
const { loadPyodide } = await import(path.join(root, "node_modules/pyodide/pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.join(root, "node_modules/pyodide/") });
const site = py.runPython("import sysconfig; sysconfig.get_paths()['purelib']");

const wheelDir = path.join(root, ".cache/pyodide-wheels");
for (const name of fs.readdirSync(wheelDir).filter((n) => n.endsWith(".whl"))) {
  py.FS.writeFile("/tmp/" + name, fs.readFileSync(path.join(wheelDir, name)));
  py.runPython(`import zipfile; zipfile.ZipFile('/tmp/${name}').extractall('${site}')`);
}
for (const pkg of ["kms_envelope"]) {
  const src = path.join(root, "demos", pkg);
  py.FS.mkdirTree(`${site}/${pkg}`);
  for (const f of fs.readdirSync(src).filter((n) => n.endsWith(".py"))) {
    py.FS.writeFile(`${site}/${pkg}/${f}`, fs.readFileSync(path.join(src, f)));
  }
}
py.setStdout({ batched: (line) => console.log(line) });
try {
  // runPythonAsync: run_sync (JSPI) only works under it, as in the site's worker.
  await py.runPythonAsync(fs.readFileSync(codeFile, "utf8"));
} catch (err) {
  console.log("PYTHON-ERROR " + err.message);
  process.exit(1);
}
