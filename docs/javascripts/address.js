/* Case details never reach a server.
 *
 * The deadline calculator keeps what it was asked (area, event, dates and times) in the address's
 * fragment, "#area=coventry&event=strategy-discussion&date=2026-11-13&time=14:35": a browser never
 * sends the fragment to any server, so no access log holds it. Links made before this change
 * carried the same values in the query ("?area=...&date=..."), which a browser sends with every
 * reload. Such a link still opens its answer: this script, the first one on every page (in
 * <head>, before the page's other scripts and styles are requested), moves those values from the
 * query into the fragment with history.replaceState, so a reload, a bookmark or a copied address
 * no longer carries them. The old link's own first request cannot be taken back; with
 * Referrer-Policy: no-referrer (header and <meta>), the page's other requests never repeat it.
 *
 * Only the calculator's keys move; any other query (a search highlight) stays where it was.
 * External file only: the site's Content-Security-Policy is script-src 'self'.
 */
(function () {
  "use strict";
  var KEYS = { area: true, event: true, date: true, time: true, tl: true };

  function encoded(params) {
    // As the calculator writes its links: ":" "@" "," are plain in a fragment.
    return params.toString().replace(/%3A/gi, ":").replace(/%40/g, "@").replace(/%2C/gi, ",");
  }

  try {
    if (location.search.length < 2) return;
    var moved = new URLSearchParams();
    var kept = new URLSearchParams();
    new URLSearchParams(location.search).forEach(function (value, key) {
      (Object.prototype.hasOwnProperty.call(KEYS, key) ? moved : kept).append(key, value);
    });
    if (!moved.toString()) return;
    var rest = encoded(kept);
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + "#" + encoded(moved));
  } catch (e) {
    /* An address this browser cannot rewrite: the page still works from the query. */
  }
})();
