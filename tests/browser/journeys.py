"""Small helpers for tests/browser/test_journeys.py: what a person can see, hit and read.

* :func:`hit` / :func:`click_as_a_person`: a control is usable where it is drawn only if the element
  at its centre (``document.elementFromPoint``) is the control or inside it: a control under another
  element, in a closed dialog or off screen fails, however present it is in the DOM.
* :func:`covered`: every match of a selector checked that way at once (scrolled into view in turn).
* :func:`readable`: the text a person reads (``innerText``), asserted free of missing values,
  maintainer words and ISO dates (:data:`test_practitioner_words.MAINTAINER_WORDS`).
* :func:`no_sideways_scroll`: nothing inside an element is wider than it (the content is not
  hidden off to the right).
* :func:`shot`: a screenshot of an answer state in ``/tmp/shots/wt-ux/`` (outside git), to look at.
* :data:`AREAS`: the areas found in rules/areas.yaml (never a hand-kept list).
"""
from __future__ import annotations

import re
from pathlib import Path

from macros.rules import load_rules
from tests.test_practitioner_words import MAINTAINER_WORDS

RULES = load_rules()
AREAS = list(RULES.areas)
SHOTS = Path("/tmp/shots/wt-ux")
WIDTHS = (320, 375, 1280)

_HIT = """el => {
  el.scrollIntoView({block: 'center', inline: 'center'});
  const r = el.getClientRects()[0] || el.getBoundingClientRect();   // a link that wraps: its first line
  if (!r.width || !r.height) return 'not drawn (no size)';
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return 'off screen';
  const t = document.elementFromPoint(x, y);
  if (t === el || el.contains(t)) return '';
  return t ? `under <${t.tagName.toLowerCase()} class="${t.className}">${(t.innerText || '').slice(0, 60)}` : 'nothing there';
}"""

_COVERED = """sel => {
  const bad = [];
  const all = [...document.querySelectorAll(sel)];
  for (const el of all) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const t = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!r.width || !(t === el || el.contains(t))) bad.push(el.dataset.copyId || el.id || el.outerHTML.slice(0, 80));
  }
  return [all.length, bad];
}"""


def hit(page, locator) -> str:
    """"" when the control is what a person's pointer meets at its centre, else why not."""
    return page.evaluate(_HIT, locator.element_handle())


def assert_hit(page, locator, what: str) -> None:
    why = hit(page, locator)
    assert not why, f"{what} cannot be clicked where it is drawn: {why}"


def centre(locator) -> tuple[float, float]:
    """The centre of the control's first line box (of the whole box for a block), in the viewport."""
    return tuple(locator.evaluate("""el => { const r = el.getClientRects()[0] || el.getBoundingClientRect();
                                             return [r.left + r.width / 2, r.top + r.height / 2]; }"""))


def click_as_a_person(page, locator, what: str, touch: bool = False) -> None:
    """A real mouse click (or a tap) at the control's centre, after proving the control is there."""
    assert_hit(page, locator, what)
    x, y = centre(locator)
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def covered(page, selector: str) -> tuple[int, list[str]]:
    """(how many match, those a click at the centre would miss)."""
    return page.evaluate(_COVERED, selector)


MISSING = re.compile(r"\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]")


def readable(page, selector: str) -> str:
    """The text a person reads in ``selector``, checked: no missing value, maintainer word or ISO date."""
    text = page.locator(selector).inner_text()
    bad = sorted({m.group(0) for m in MAINTAINER_WORDS.finditer(text)} | {m.group(0) for m in MISSING.finditer(text)})
    assert not bad, f"{selector} shows {bad} to a practitioner:\n{text[:1500]}"
    return text


def no_sideways_scroll(page, selector: str) -> list[str]:
    """What is drawn beyond the right edge of ``selector`` (or of the window): hidden from a person."""
    return page.evaluate("""sel => {
      const box = document.querySelector(sel);
      const right = Math.min(box.getBoundingClientRect().right, document.documentElement.clientWidth) + 1;
      const out = [];
      for (const el of box.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width && r.right > right && getComputedStyle(el).visibility !== 'hidden')
          out.push(`${el.tagName.toLowerCase()}.${el.className}: ${(el.innerText || '').slice(0, 40)}`);
      }
      if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) out.push('the page scrolls sideways');
      return out;
    }""", selector)


def shot(page, name: str, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
