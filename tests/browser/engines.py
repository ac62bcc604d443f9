"""Firefox ESR and WebKitGTK behind one small interface, for tests/browser/test_engines.py.

* **Firefox ESR** is Debian's ``/usr/bin/firefox-esr``, started ``--headless`` with ``-marionette``
  by the ``marionette-driver`` package (PyPI) on a free port of 127.0.0.1, with a fresh profile.
* **WebKit** is Debian's ``webkit2gtk-driver`` (``/usr/bin/WebKitWebDriver``, WebKitGTK: the engine
  family of Safari on every iPhone), started under ``xvfb-run -a`` (WebKitGTK needs an X display)
  and driven by Selenium's WebDriver client.

Neither downloads anything: a missing browser is an install step (``make setup``), and a test
says which. Both speak W3C WebDriver, so a click is a real pointer click at the element's centre in
view (the driver refuses it when another element is there: "element click intercepted"), and typed
keys are trusted key events. :meth:`Engine.click` also hit-tests first, with the same question the
Chromium journeys ask (``document.elementFromPoint``), so the failure says what covers the control.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
XVFB_RUN = "/usr/bin/xvfb-run"
ENGINES = ("firefox", "webkit")
INSTALL = {"firefox": (FIREFOX, "firefox-esr"), "webkit": (WEBKIT_DRIVER, "webkit2gtk-driver")}

_HIT = """const el = arguments[0];
el.scrollIntoView({block: 'center', inline: 'center'});
const r = el.getClientRects()[0] || el.getBoundingClientRect();
if (!r.width || !r.height) return 'not drawn (no size)';
const x = r.left + r.width / 2, y = r.top + r.height / 2;
if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return 'off screen';
const t = document.elementFromPoint(x, y);
if (t === el || el.contains(t)) return '';
return t ? `under <${t.tagName.toLowerCase()} class="${t.className}">${(t.innerText || '').slice(0, 60)}` : 'nothing there';"""


def missing(name: str) -> str:
    """Why ``name`` cannot start here ("" when its program is installed)."""
    if name == "webkit" and not Path(XVFB_RUN).exists():
        return "xvfb-run is not installed: run `make setup` (apt-get install xvfb)"
    path, package = INSTALL[name]
    return "" if Path(path).exists() else f"{path} is not installed: run `make setup` (apt-get install {package})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Engine:
    """The few things a journey does: open, read (a script), wait, click, type, paste, resize."""

    name = ""

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def js(self, script: str, *args):
        """Run ``script`` (a function body: ``arguments[i]``, ``return``) in the page."""
        raise NotImplementedError

    def find(self, css: str):
        raise NotImplementedError

    def keys(self, *chords: tuple[str, ...]) -> None:
        """Press each chord (keys held down together, then released in reverse) on the focused element."""
        raise NotImplementedError

    def resize(self, width: int, height: int) -> None:
        raise NotImplementedError

    def quit(self) -> None:
        raise NotImplementedError

    # -- built on the above ---------------------------------------------------------------------
    CTRL = "\ue009"   # WebDriver's key code for Control

    def wait(self, script: str, *args, timeout: float = 60.0, what: str = ""):
        """Until ``script`` returns something truthy; that value."""
        end = time.monotonic() + timeout
        while True:
            value = self.js(script, *args)
            if value:
                return value
            if time.monotonic() > end:
                raise AssertionError(f"{self.name}: {what or script} did not happen within {timeout:.0f} s")
            time.sleep(0.1)

    def hit(self, css: str) -> str:
        """"" when the element at the centre of ``css`` is that control (or inside it), else why not."""
        return self.js(_HIT, self.find(css))

    def click(self, css: str, what: str) -> None:
        why = self.hit(css)
        assert not why, f"{self.name}: {what} cannot be clicked where it is drawn: {why}"
        self.find(css).click()

    def type(self, css: str, text: str) -> None:
        # A person types into a box they can see: wait until it is drawn (the calculator's script
        # may still be setting up the form on a loaded machine).
        self.wait("const e = document.querySelector(arguments[0]); return !!e && !e.disabled && e.getClientRects().length > 0",
                  css, timeout=30, what=f"{css} shown and enabled")
        element = self.find(css)
        element.clear()
        element.send_keys(text)

    def text(self, css: str) -> str:
        """What a person reads there (``innerText``)."""
        return self.js("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css)


class Firefox(Engine):
    name = "firefox"

    def __init__(self):
        from marionette_driver.marionette import Marionette
        self.m = Marionette(host="127.0.0.1", port=free_port(), bin=FIREFOX, headless=True,
                            app_args=["--headless"], gecko_log="-" if os.environ.get("ENGINES_LOG") else os.devnull,
                            startup_timeout=120)
        self.m.start_session()
        self.resize(1280, 900)

    def goto(self, url):
        self.m.navigate(url)

    def js(self, script, *args):
        return self.m.execute_script(script, script_args=list(args), new_sandbox=False, sandbox=None)

    def find(self, css):
        return self.m.find_element("css selector", css)

    def keys(self, *chords):
        seq = self.m.actions.sequence("key", "keyboard")
        for chord in chords:
            for k in chord:
                seq.key_down(k)
            for k in reversed(chord):
                seq.key_up(k)
        seq.perform()
        self.m.actions.release()

    def resize(self, width, height):
        self.m.set_window_rect(width=width, height=height)

    def quit(self):
        try:
            self.m.delete_session()
        finally:
            self.m.cleanup()


class WebKit(Engine):
    name = "webkit"

    def __init__(self):
        from selenium import webdriver
        port = free_port()
        # A process group of our own: xvfb-run, its Xvfb and WebKitWebDriver end together in quit().
        self.proc = subprocess.Popen([XVFB_RUN, "-a", WEBKIT_DRIVER, f"--port={port}", "--host=127.0.0.1"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        end = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "/status", timeout=2).read()
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > end:
                    self._stop()
                    raise RuntimeError(f"WebKitWebDriver did not start under xvfb-run (exit {self.proc.returncode})") from None
                time.sleep(0.2)
        options = webdriver.WebKitGTKOptions()
        options.binary_location = ""
        self.d = webdriver.Remote(command_executor=url, options=options)
        self.resize(1280, 900)

    def goto(self, url):
        self.d.get(url)
        # WebKitWebDriver can return from a navigation before the new document is the one
        # scripts see (seen on a loaded machine: a wait then matched the previous page's element).
        self.wait("return document.readyState === 'complete' && location.href.split('#')[0] === arguments[0]",
                  url.split("#")[0], timeout=60, what=f"the page {url} loaded")

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def find(self, css):
        return self.d.find_element("css selector", css)

    def keys(self, *chords):
        from selenium.webdriver.common.action_chains import ActionChains
        chain = ActionChains(self.d)
        for chord in chords:
            for k in chord:
                chain.key_down(k)
            for k in reversed(chord):
                chain.key_up(k)
        chain.perform()

    def resize(self, width, height):
        self.d.set_window_size(width, height)

    def _stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)

    def quit(self):
        try:
            self.d.quit()
        finally:
            self._stop()


def start(name: str) -> Engine:
    return {"firefox": Firefox, "webkit": WebKit}[name]()
