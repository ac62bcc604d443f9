// The deadline calculator's address: what it was asked lives in the fragment, which a browser
// never sends to a server (docs/privacy.md):
//   #area=coventry                                              the area chosen (links from an area's pages)
//   #area=coventry&event=strategy-discussion&date=2026-11-13[&time=14:35]   one event's answer
//   #area=national&tl=strategy-discussion@2026-10-02&tl=icpc@2026-10-23T10:00  a case timeline
// Old links with the same keys in the query are moved to the fragment by javascripts/address.js
// (first in <head>) before this runs; the query is still read where that could not happen.

export const LINK_KEYS = ["area", "event", "date", "time", "tl"];

// What the address asks for, from its fragment (or, where address.js could not move them, its
// query). URLSearchParams never throws: malformed percent-encoding is kept as typed, and every
// value is then checked against the form's own options and by Python.
export function linkParams() {
  for (const part of [location.hash, location.search]) {
    let params;
    try { params = new URLSearchParams(part.slice(1)); } catch { continue; }
    if (LINK_KEYS.some((key) => params.has(key))) return params;
  }
  return new URLSearchParams();
}

// The answer's own address: this page with the answer's fragment (Python's answer.link, "#area=...").
export function addressFor(answer) {
  return `${location.pathname}${location.search}${answer.link}`;
}

// Another answer's link opened in this same tab changes only the fragment: no page load, so the
// form follows it here. Stops listening once instant navigation has swapped the page.
export function onLinkChange(root, apply) {
  const listener = () => {
    if (!root.isConnected) { window.removeEventListener("hashchange", listener); return; }
    apply(linkParams());
  };
  window.addEventListener("hashchange", listener);
}
