// Pyodide under Node as the calculators' worker starts it (same lock info, no packages, the same
// HOME): shared by the build's Node scripts (pyodide_compile.mjs; pyodide_snapshot.mjs and
// pyodide_stdlib.mjs keep their own copy of these lines, their cache keys being their own text).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export async function startPyodide(pkg, options = {}) {
  const { loadPyodide } = await import(pathToFileURL(path.join(pkg, "pyodide.mjs")).href);
  const lock = JSON.parse(fs.readFileSync(path.join(pkg, "pyodide-lock.json"), "utf8"));
  return loadPyodide({
    indexURL: pkg + "/",
    lockFileContents: { info: lock.info, packages: {} },
    packageBaseUrl: pkg + "/",
    env: { HOME: "/home/pyodide" },
    ...options,
  });
}
