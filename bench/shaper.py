"""A slow link in front of a local server: a TCP forwarder that shapes every byte it carries.

    with Shaper(upstream_port, bits_per_s=10_000_000, latency_ms=40) as shaper:
        url = f"http://127.0.0.1:{shaper.port}/"     # the browser talks to the shaper

Why not Chromium's network emulation (CDP ``Network.emulateNetworkConditions``): it throttles
the requests of the page it is sent to, not those of the page's dedicated worker (the calculators'
Python runtime) nor of the service worker; a first answer measured with it downloaded most of its
bytes at full local speed (measured: 8.8 MB "in" 4.4 s at "10 Mbit/s", faster than the 7.0 s the
bytes alone need). Here every connection the browser opens to the site, whoever opens it, goes
through one link:

* **bandwidth, shared**: the bytes from the server to the browser leave the shaper at
  ``bits_per_s`` in total, whatever the number of connections; the connections with data waiting
  take turns of ``QUANTUM`` bytes (round robin), as TCP flows share a bottleneck roughly fairly;
* **latency, per connection**: each direction is delayed by half of ``latency_ms`` (a request and
  its answer: one round trip), and a new connection waits one round trip before its first byte
  goes through (TCP's handshake, which on the loopback takes nothing);
* the browser to server direction (requests: a few hundred bytes each) is delayed, not throttled.

It also keeps a log of what it carried (:meth:`Shaper.delivered`): each request's path (from the
HTTP/1.1 request lines it forwards; Chromium does not pipeline, so the bytes that follow a request
on its connection are its response) and, for every chunk handed to the browser, when and how many
bytes. Headers count: these are the bytes on the wire (TCP payload).

:func:`link_check` measures the link itself: one big file's transfer time against its floor
(bytes / bandwidth + the handshake's and the request's round trips); a ratio near 1.00 says the
shaper does what it claims and adds nothing else.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import re
import threading
import time
import urllib.request

QUANTUM = 4096          # bytes a connection sends in its turn (3.3 ms at 10 Mbit/s)
READ = 65536
REQUEST_LINE = re.compile(rb"(?:^|\r\n)(GET|HEAD|POST|PUT|DELETE|OPTIONS) (\S+) HTTP/1\.[01]\r\n")


class _Connection:
    def __init__(self, number: int, writer: asyncio.StreamWriter):
        self.number = number
        self.writer = writer
        self.pending = collections.deque()      # bytes from the server, not yet given their turn
        self.out: asyncio.Queue = asyncio.Queue()  # (when to deliver, bytes)
        self.path = None                          # the request being answered
        self.tags = collections.deque()           # (request path, bytes) of what the server sent, in order
        self.seen = b""                           # the tail of the request stream (a split request line)
        self.closed = False


class Shaper:
    def __init__(self, upstream_port: int, bits_per_s: int, latency_ms: float, host: str = "127.0.0.1"):
        self.upstream = (host, upstream_port)
        self.rate = bits_per_s / 8               # bytes per second
        self.one_way = latency_ms / 2000          # seconds
        self.host = host
        self.port = None
        self.log: list[tuple[float, int, str | None, int]] = []   # (epoch s, connection, path, bytes)
        self.requests: list[tuple[float, int, str]] = []          # (epoch s, connection, path)
        self._lock = threading.Lock()
        self._loop = None
        self._thread = None
        self._ready = threading.Event()
        self._next = 0

    # -- what it carried -------------------------------------------------------------------------
    def mark(self) -> tuple[int, int]:
        """An index into the log: pass it to :meth:`delivered` to see only what came later."""
        with self._lock:
            return len(self.log), len(self.requests)

    def delivered(self, since=(0, 0), until: float | None = None) -> dict:
        """Bytes handed to the browser (after the mark ``since``, up to epoch time ``until``):
        ``{"bytes", "requests", "files": {path: bytes}, "last": epoch of the last chunk}``."""
        with self._lock:
            chunks = self.log[since[0]:]
            requests = self.requests[since[1]:]
        if until is not None:
            chunks = [c for c in chunks if c[0] <= until]
            requests = [r for r in requests if r[0] <= until]
        files: dict[str, int] = {}
        for _, _, path, n in chunks:
            key = (path or "?").split("?", 1)[0]
            files[key] = files.get(key, 0) + n
        return {"bytes": sum(c[3] for c in chunks), "requests": len(requests), "files": files,
                "last": max((c[0] for c in chunks), default=None)}

    # -- running ---------------------------------------------------------------------------------
    def __enter__(self) -> Shaper:
        self._thread = threading.Thread(target=self._run, daemon=True, name="shaper")
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the shaper did not start")
        return self

    def __exit__(self, *exc) -> None:
        if self._loop:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._main())
        self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._active: collections.deque[_Connection] = collections.deque()
        self._free_at = 0.0                       # loop time the link is next free
        server = await asyncio.start_server(self._accept, self.host, 0)
        self.port = server.sockets[0].getsockname()[1]
        pacer = asyncio.create_task(self._pace())
        self._ready.set()
        await self._stop.wait()
        pacer.cancel()
        server.close()
        for task in asyncio.all_tasks():
            if task is not asyncio.current_task():
                task.cancel()
        with contextlib.suppress(Exception):
            await server.wait_closed()

    async def _pace(self) -> None:
        """The link: one quantum at a time, connections with data waiting in turn, never faster
        than the bandwidth (times accumulate, so sleeping late does not lose bandwidth)."""
        loop = asyncio.get_running_loop()
        while True:
            busy = True                          # data was waiting: the link never fell idle
            while not self._active:
                busy = False
                self._wake.clear()
                await self._wake.wait()
            conn = self._active.popleft()
            data = bytearray()
            while conn.pending and len(data) < QUANTUM:
                head = conn.pending.popleft()
                take = QUANTUM - len(data)
                data += head[:take]
                if len(head) > take:
                    conn.pending.appendleft(head[take:])
            if conn.pending:
                self._active.append(conn)
            now = loop.time()
            start = self._free_at if busy else max(now, self._free_at)   # a late wake-up loses no bandwidth
            self._free_at = start + len(data) / self.rate
            conn.out.put_nowait((self._free_at + self.one_way, bytes(data)))
            if conn.closed and not conn.pending:
                conn.out.put_nowait(None)           # the server closed: end after this
            if self._free_at > now:
                await asyncio.sleep(self._free_at - now)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._next += 1
        conn = _Connection(self._next, writer)
        await asyncio.sleep(2 * self.one_way)      # the handshake's round trip
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        tasks = [asyncio.create_task(self._requests(conn, reader, up_writer)),
                 asyncio.create_task(self._responses(conn, up_reader)),
                 asyncio.create_task(self._deliver(conn))]
        await tasks[1]                           # the server closed, or the browser did (below)
        await tasks[2]
        tasks[0].cancel()
        for w in (writer, up_writer):
            with contextlib.suppress(Exception):
                w.close()

    async def _requests(self, conn: _Connection, reader, up_writer) -> None:
        """Browser to server: each chunk delayed by the one-way latency; request lines noted."""
        try:
            while data := await reader.read(READ):
                sent_at = time.time()
                text = conn.seen + data
                paths = [m[2].decode("latin-1") for m in REQUEST_LINE.finditer(text) if m.end() > len(conn.seen)]
                conn.seen = text[-300:]
                with self._lock:
                    self.requests.extend((sent_at, conn.number, path) for path in paths)
                await asyncio.sleep(max(0.0, sent_at + self.one_way - time.time()))
                if paths:
                    conn.path = paths[-1]
                up_writer.write(data)
                await up_writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                up_writer.write_eof()

    async def _responses(self, conn: _Connection, up_reader) -> None:
        """Server to browser: into the connection's queue for the link, tagged with its request."""
        try:
            while data := await up_reader.read(READ):
                conn.pending.append(data)
                conn.tags.append((conn.path, len(data)))
                if conn not in self._active:
                    self._active.append(conn)
                self._wake.set()
        except (ConnectionError, OSError):
            pass
        finally:
            conn.closed = True
            if not conn.pending and conn not in self._active:
                conn.out.put_nowait(None)           # everything already on the link: end after it

    async def _deliver(self, conn: _Connection) -> None:
        """Each quantum handed to the browser when the link and the latency say so; ends when the
        server has closed and everything it sent has been delivered."""
        loop = asyncio.get_running_loop()
        left, path = 0, None
        while True:
            item = await conn.out.get()
            if item is None:
                break
            when, data = item
            wait = when - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                conn.writer.write(data)
                await conn.writer.drain()
            except (ConnectionError, OSError):
                conn.pending.clear()
                break
            n = len(data)              # the bytes' request, in the order the server sent them
            stamp = time.time()
            while n:
                if left == 0:
                    path, left = conn.tags.popleft()
                k = min(n, left)
                with self._lock:
                    self.log.append((stamp, conn.number, path, k))
                n -= k
                left -= k
        with contextlib.suppress(Exception):
            conn.writer.write_eof()


def link_check(shaper: Shaper, path: str) -> dict:
    """Fetch ``path`` through the shaper (no compression asked): its time against the floor,
    bytes / bandwidth plus two round trips (the connection's handshake, the request)."""
    url = f"http://{shaper.host}:{shaper.port}/{path.lstrip('/')}"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=300) as response:
        size = len(response.read())
    seconds = time.perf_counter() - start
    floor = size / shaper.rate + 4 * shaper.one_way
    return {"bytes": size, "seconds": seconds, "floor": floor, "ratio": seconds / floor}
