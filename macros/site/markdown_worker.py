"""A second process that converts the blocks' Markdown while the build renders the theme.

A large manual's build is one Python process on one core; on a 2-core machine the other core
was idle. Two-fifths of a page's time is Python-Markdown converting its paragraphs
(``macros.site.blocks``) and a fifth is Material's templates, which cannot start before the
paragraphs are known... except that they can: the page's template is rendered around the
blocks' placeholders, and the placeholders are filled in the written HTML afterwards. So the
build hands a page's Markdown to this process (``on_page_context``), renders the theme, and
takes the HTML back (``on_post_page``): the two overlap.

The worker is a plain ``python -m macros.site.markdown_worker``, started at the very beginning of
the build (its own ~20 MB, and never a copy of a process that already holds the manual), with
the site's Markdown extensions; it reads a list of texts and writes their HTML, over its
standard input and output, until its input closes. Messages are a 4-byte length and a pickle
(both ends are this project's code, on one machine).

>>> worker = Worker.start(["attr_list"], {})
>>> worker.submit(["*a*", "- b"])
>>> worker.result()
['<p><em>a</em></p>', '<ul>\\n<li>b</li>\\n</ul>']
>>> worker.close()
"""
from __future__ import annotations

import pickle
import struct
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class WorkerGone(RuntimeError):
    """The worker stopped or answered nonsense: the build converts the Markdown itself."""


def _send(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<I", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(4)
    if len(head) < 4:
        raise EOFError
    (size,) = struct.unpack("<I", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)


class Worker:
    """The build's end of the worker: ``submit`` a page's texts, later take their ``result``."""

    def __init__(self, process: subprocess.Popen):
        self._process = process
        self._waiting = 0

    @classmethod
    def start(cls, extensions: list, configs: dict) -> Worker:
        process = subprocess.Popen([sys.executable, "-m", "macros.site.markdown_worker"], cwd=REPO,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        worker = cls(process)
        try:
            _send(process.stdin, (extensions, configs))
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            worker.close()
            raise WorkerGone(f"the Markdown worker did not start: {exc}") from None
        return worker

    def submit(self, texts: list[str]) -> None:
        try:
            _send(self._process.stdin, texts)
        except OSError as exc:
            raise WorkerGone(str(exc)) from None
        self._waiting += 1

    def result(self) -> list[str]:
        """The HTML of the texts submitted first (one ``result`` per ``submit``, in order)."""
        try:
            answer = _receive(self._process.stdout)
        except (OSError, EOFError, pickle.UnpicklingError) as exc:
            raise WorkerGone(f"the Markdown worker stopped: {exc!r}") from None
        self._waiting -= 1
        if isinstance(answer, BaseException):
            raise WorkerGone(f"the Markdown worker failed: {answer!r}")
        return answer

    def close(self) -> None:
        try:
            self._process.stdin.close()
        except OSError:
            pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def serve(source, sink) -> None:
    """The worker's loop: the extensions first, then lists of texts until the input closes."""
    import markdown
    extensions, configs = _receive(source)
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    while True:
        try:
            texts = _receive(source)
        except EOFError:
            return
        try:
            answer = [md.reset().convert(text) for text in texts]
        except Exception as exc:  # noqa: BLE001  (sent back: the build falls back to converting itself)
            answer = RuntimeError(repr(exc))
        _send(sink, answer)


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
