// Run the tools/ test modules, unchanged, inside real Pyodide under Node (offline).
//
//   node tests/pyodide/run.mjs [--wheels DIR] [--bundle FILE] [--stdlib FILE] [-- pytest arguments]
//
// Loads the npm package pyodide (node_modules/pyodide, as the site ships it), installs the
// pure-Python wheels that tests/pyodide/fetch_wheels.py downloaded (pytest and its deps,
// hypothesis, sortedcontainers, attrs, tzdata) with unpackArchive, and PyYAML from its sdist
// (pure-Python lib/yaml), mounts the repository with NODEFS at /repo and runs pytest.main.
// Nothing is fetched: no loadPackage, no micropip. The process exits with pytest's exit code.
//
// Without pytest arguments it runs every tests/test_*.py that imports tools (the engine's
// test modules). --bundle FILE sets PROCEDURES_BUNDLE_JSON (the real rules as JSON, for
// tests that cannot load rules/ inside Pyodide). --stdlib FILE starts Python with the site's trimmed
// standard library (macros/browser/stdlib.py; loadPyodide({stdLibURL}) as the worker does): pytest
// and its plugins then get the rest of the library from the package's full zip, placed after it
// on sys.path, and a guard fails the run when code under tools/ imports a module that only the
// full zip has (see GUARD below).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const MOUNT = "/repo";

function parseArgs(argv) {
  const opts = { wheels: path.join(REPO, "build", "pyodide-wheels"), bundle: null, stdlib: null, pytest: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") { opts.pytest = argv.slice(i + 1); break; }
    if (argv[i] === "--wheels") opts.wheels = path.resolve(argv[++i]);
    else if (argv[i] === "--bundle") opts.bundle = path.resolve(argv[++i]);
    else if (argv[i] === "--stdlib") opts.stdlib = path.resolve(argv[++i]);
    else { opts.pytest = argv.slice(i); break; }
  }
  return opts;
}

// tests/test_*.py that import the engine: the modules that must also pass inside Pyodide.
export function toolsTestModules(repo = REPO) {
  const dir = path.join(repo, "tests");
  return fs.readdirSync(dir)
    .filter((f) => /^test_.*\.py$/.test(f))
    .filter((f) => /^\s*(from tools[ .]|import tools\b)/m.test(fs.readFileSync(path.join(dir, f), "utf8")))
    .sort()
    .map((f) => `tests/${f}`);
}

function toMount(hostPath) {
  const rel = path.relative(REPO, hostPath);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  return path.posix.join(MOUNT, ...rel.split(path.sep));
}

// With --stdlib: the full library goes last on sys.path (for pytest), and a finder first on
// sys.meta_path refuses, while code under /repo/tools/ is on the stack, any module that only the
// full library has. After the run, every tools module's globals are checked too (a module pytest
// had imported already is not looked up again).
const GUARD = `
import sys, zipfile, zipimport

def _modules(zip_path):
    names = set()
    for entry in zipfile.ZipFile(zip_path).namelist():
        if entry.endswith((".py", ".pyc")):     # the shipped library holds bytecode only
            name = entry.rsplit(".", 1)[0].replace("/", ".")
            names.add(name[: -len(".__init__")] if name.endswith(".__init__") else name)
    return names

FULL_ONLY = _modules("/lib/full_stdlib.zip") - _modules("/lib/trimmed_stdlib.zip")
TOOLS = "/repo/tools/"
LEAKS = []

class TrimmedLibraryGuard:
    def find_spec(self, name, path=None, target=None):
        if name not in FULL_ONLY:
            return None
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename.startswith(TOOLS):
                LEAKS.append(f"{frame.f_code.co_filename}:{frame.f_lineno} imports {name}")
                raise ImportError(f"{name} is not in the calculators' trimmed standard library "
                                  f"(imported from {frame.f_code.co_filename}:{frame.f_lineno})")
            frame = frame.f_back
        if "." in name:
            # A submodule of a package the trimmed zip holds in part (importlib.resources for pytest):
            # the package's __path__ names only the trimmed zip, so look in the full one.
            folder = name.rpartition(".")[0].replace(".", "/")
            return zipimport.zipimporter(f"/lib/full_stdlib.zip/{folder}/").find_spec(name)
        return None

sys.meta_path.insert(0, TrimmedLibraryGuard())
sys.path.append("/lib/full_stdlib.zip")

def trimmed_library_leaks():
    found = list(LEAKS)
    for name, module in list(sys.modules.items()):
        if not (getattr(module, "__file__", None) or "").startswith(TOOLS):
            continue
        for value in list(vars(module).values()):
            owner = getattr(value, "__module__", None) if not isinstance(value, type(sys)) else value.__name__
            if isinstance(owner, str) and owner in FULL_ONLY:
                found.append(f"{name} uses {owner}")
    return found
`;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.wheels)) {
    console.error(`No wheels in ${opts.wheels}: run \`python tests/pyodide/fetch_wheels.py\` (part of make setup).`);
    return 3;
  }
  const pkg = path.join(REPO, "node_modules", "pyodide");
  if (!fs.existsSync(path.join(pkg, "pyodide.mjs"))) {
    console.error("node_modules/pyodide is missing: run `make setup` (npm ci).");
    return 3;
  }
  const { loadPyodide } = await import(pathToFileURL(path.join(pkg, "pyodide.mjs")).href);
  const lock = JSON.parse(fs.readFileSync(path.join(pkg, "pyodide-lock.json"), "utf8"));
  const started = performance.now();
  const pyodide = await loadPyodide({
    indexURL: pkg + path.sep,
    lockFileContents: { info: lock.info, packages: {} },
    packageBaseUrl: pkg + path.sep,
    ...(opts.stdlib ? { stdLibURL: opts.stdlib } : {}),
    stdout: (s) => process.stdout.write(s + "\n"),
    stderr: (s) => process.stderr.write(s + "\n"),
  });

  if (opts.stdlib) {
    pyodide.FS.writeFile("/lib/full_stdlib.zip", fs.readFileSync(path.join(pkg, "python_stdlib.zip")));
    pyodide.FS.writeFile("/lib/trimmed_stdlib.zip", fs.readFileSync(opts.stdlib));
    pyodide.runPython(GUARD);
  }
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  for (const name of fs.readdirSync(opts.wheels).sort()) {
    const file = path.join(opts.wheels, name);
    if (name.endsWith(".whl")) {
      pyodide.unpackArchive(new Uint8Array(fs.readFileSync(file)), "wheel", { extractDir: sitePackages });
    } else if (/^pyyaml-.*\.tar\.gz$/i.test(name)) {
      pyodide.unpackArchive(new Uint8Array(fs.readFileSync(file)), "gztar", { extractDir: "/tmp/sdist" });
    }
  }
  pyodide.runPython(`
import glob, shutil, site, sys
for lib in glob.glob("/tmp/sdist/*/lib/yaml"):
    shutil.copytree(lib, site.getsitepackages()[0] + "/yaml", dirs_exist_ok=True)
`);

  pyodide.FS.mkdirTree(MOUNT);
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: REPO }, MOUNT);
  const env = { HYPOTHESIS_STORAGE_DIRECTORY: "/tmp/hypothesis", PYTHONDONTWRITEBYTECODE: "1" };
  if (opts.bundle) {
    let inside = toMount(opts.bundle);
    if (!inside) {
      pyodide.FS.mkdirTree("/bundle");
      pyodide.FS.writeFile("/bundle/bundle.json", fs.readFileSync(opts.bundle));
      inside = "/bundle/bundle.json";
    }
    env.PROCEDURES_BUNDLE_JSON = inside;
  }
  const args = opts.pytest.length ? opts.pytest : toolsTestModules();
  pyodide.globals.set("pytest_args", pyodide.toPy([...args, "-p", "no:cacheprovider"]));
  pyodide.globals.set("extra_env", pyodide.toPy(env));
  console.log(`Pyodide ${pyodide.version} (Python ${pyodide.runPython("import sys; sys.version.split()[0]")}) `
    + `started in ${Math.round(performance.now() - started)} ms; running pytest ${args.join(" ")}`);
  const code = pyodide.runPython(`
import os, sys
os.environ.update(extra_env)
os.chdir(${JSON.stringify(MOUNT)})
sys.path.insert(0, ${JSON.stringify(MOUNT)})
sys.dont_write_bytecode = True
import pytest
_code = int(pytest.main(list(pytest_args)))
if "trimmed_library_leaks" in globals():
    _leaks = trimmed_library_leaks()
    if _leaks:
        print("tools/ uses modules the trimmed standard library leaves out:\\n  " + "\\n  ".join(_leaks))
        _code = _code or 5
    else:
        print("trimmed standard library: tools/ imported nothing outside it")
_code
`);
  return code;
}

try {
  process.exitCode = await main();
} catch (err) {
  // Keep the report short: the message (a Python traceback for a PythonError), not minified source.
  console.error(err && err.message ? err.message : String(err));
  process.exitCode = 2;
}
