// Compile the calculators' Python to bytecode with Pyodide's own Python (run by macros/browser/bytecode.py).
//
//   node macros/browser/pyodide_compile.mjs <node_modules/pyodide> <stdlib.zip> <tools.zip> <stdlib out> <tools out>
//
// The bytecode must be exactly what the browser's Python reads (same version, same magic
// number, same cache tag), so it is made by that Python, under Node, not by the build's CPython.
// * the standard library zip: each .py replaced by its .pyc, compiled with optimize=2 (no
//   docstrings, no asserts: python -OO) with a location table that says "no location" (tracebacks
//   through the library name the file and function, not the line); unchecked hash-based .pyc (PEP 552), which
//   zipimport loads without a source beside it;
// * the tools zip: its sources kept, and beside each a __pycache__/<name>.<cache tag>.pyc compiled
//   without docstrings but otherwise as is (optimize=0: asserts kept; line tables kept),
//   unchecked hash-based, so Python loads it without compiling and tracebacks still show the
//   source lines.
// Both zips stored (not deflated) with the fixed date, as the build writes them.
import fs from "node:fs";
import { startPyodide } from "./pyodide_node.mjs";

const [pkg, stdlibIn, toolsIn, stdlibOut, toolsOut] = process.argv.slice(2);
if (!pkg || !stdlibIn || !toolsIn || !stdlibOut || !toolsOut) {
  console.error("usage: node pyodide_compile.mjs <pyodide dir> <stdlib.zip> <tools.zip> <stdlib out> <tools out>");
  process.exit(2);
}
const pyodide = await startPyodide(pkg);
pyodide.FS.writeFile("/tmp/stdlib-in.zip", fs.readFileSync(stdlibIn));
pyodide.FS.writeFile("/tmp/tools-in.zip", fs.readFileSync(toolsIn));
let counts;
try {
  counts = pyodide.runPython(`
import ast
import importlib._bootstrap_external as external
import importlib.util
import sys
import zipfile

DATE = (1980, 1, 1, 0, 0, 0)
LIBRARY = "/lib/python%d%d.zip/" % sys.version_info[:2]      # where Pyodide mounts the library
CODE = type(compile("", "", "exec"))

def without_positions(code):
    """The code with a location table that says "no location" for every code unit: one byte per
    8 units (entry code 15, Objects/locations.md) instead of lines and columns, which are about a
    third of the compressed library. Python's traceback module still gets one entry per unit
    (an empty table makes it fail with "generator raised StopIteration" on any error that passes
    through the library); such frames print without a line number."""
    units = len(code.co_code) // 2
    table = bytes(0x80 | (15 << 3) | (min(8, units - i) - 1) for i in range(0, units, 8))
    consts = tuple(without_positions(c) if isinstance(c, CODE) else c for c in code.co_consts)
    return code.replace(co_linetable=table, co_consts=consts)

def without_docstrings(source, filename):
    """The module's syntax tree without its docstrings (asserts kept, unlike -OO)."""
    tree = ast.parse(source, filename)
    for node in ast.walk(tree):
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
                and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
                and isinstance(node.body[0].value.value, str)):
            if len(node.body) > 1:
                del node.body[0]
            else:
                node.body[0] = ast.copy_location(ast.Pass(), node.body[0])
    return tree

def pyc(source, filename, optimize, library):
    if library:
        code = without_positions(compile(source, filename, "exec", dont_inherit=True, optimize=optimize))
    else:
        code = compile(without_docstrings(source, filename), filename, "exec", dont_inherit=True, optimize=optimize)
    return bytes(external._code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))

def entry(zf, name, data):
    info = zipfile.ZipInfo(name, DATE)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = (0o40755 << 16 | 0x10) if name.endswith("/") else 0o644 << 16
    zf.writestr(info, data)

compiled = kept = 0
with zipfile.ZipFile("/tmp/stdlib-in.zip") as src, zipfile.ZipFile("/tmp/stdlib-out.zip", "w") as dst:
    for name in sorted(src.namelist()):
        data = src.read(name)
        if name.endswith(".py"):
            entry(dst, name + "c", pyc(data, LIBRARY + name, 2, True))
            compiled += 1
        else:
            entry(dst, name, data)
            kept += 1

tools = 0
with zipfile.ZipFile("/tmp/tools-in.zip") as src, zipfile.ZipFile("/tmp/tools-out.zip", "w") as dst:
    names = sorted(src.namelist())
    out = {}
    for name in names:
        data = src.read(name)
        out[name] = data
        if name.endswith(".py"):
            cached = importlib.util.cache_from_source("/home/pyodide/calculator/" + name)
            relative = cached[len("/home/pyodide/calculator/"):]
            out[relative] = pyc(data, "/home/pyodide/calculator/" + name, 0, False)
            tools += 1
    for name in sorted(out):
        entry(dst, name, out[name])
f"{compiled} {kept} {tools}"
`);
} catch (err) {
  console.error(err && err.message ? err.message : String(err));
  process.exit(1);
}
fs.writeFileSync(stdlibOut, pyodide.FS.readFile("/tmp/stdlib-out.zip"));
fs.writeFileSync(toolsOut, pyodide.FS.readFile("/tmp/tools-out.zip"));
const [compiled, kept, tools] = counts.split(" ");
console.log(`bytecode: ${compiled} standard library modules compiled (${kept} other entries kept), ${tools} tools modules`);
