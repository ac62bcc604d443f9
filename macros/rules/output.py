"""The one door from a build step to its output folder: nothing is written outside it.

Every build step that writes a file into the site (the redirect pages and the fragment map
of ``macros.rules.moves``, the Atom feed, ``build-info.json``, the calculators' runtime, the
search index's manifest and trimmed files) writes through :func:`write_text` or
:func:`write_bytes`, naming the output folder and the path inside it. The path is resolved
(``..``, symbolic links) before anything is written, and refused with :class:`OutsideOutput`
when it is absolute, holds a NUL or a backslash, or resolves outside the folder: an id from
rules/ such as ``../../x`` can then never make the build write elsewhere. (The rules loader
refuses such ids first; this is where it is enforced.) It lives in ``macros.rules``, the
bottom room, so every room can use it.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> write_text(out, "old/page/index.html", "x").relative_to(out.resolve()).as_posix()
'old/page/index.html'
>>> write_text(out, "../../x/index.html", "x")
Traceback (most recent call last):
macros.rules.output.OutsideOutput: '../../x/index.html' resolves outside the output folder
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath


class OutsideOutput(ValueError):
    """A build step asked to write outside its output folder."""


def inside(out_dir: Path | str, rel: str) -> Path:
    """The absolute path of ``rel`` inside ``out_dir``, or :class:`OutsideOutput`."""
    root = Path(out_dir).resolve()
    if not rel or "\x00" in rel or "\\" in rel or PurePosixPath(rel).is_absolute() or Path(rel).is_absolute():
        raise OutsideOutput(f"{rel!r} is not a relative path inside the output folder")
    target = (root / rel).resolve()
    if target == root or root not in target.parents:
        raise OutsideOutput(f"{rel!r} resolves outside the output folder")
    return target


def write_bytes(out_dir: Path | str, rel: str, data: bytes) -> Path:
    """Write ``data`` to ``rel`` inside ``out_dir`` (folders made as needed); returns the path."""
    target = inside(out_dir, rel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def write_text(out_dir: Path | str, rel: str, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``rel`` inside ``out_dir``; returns the path."""
    return write_bytes(out_dir, rel, text.encode("utf-8"))
