// Preview on save (macros/deployment/preview.py): ask the server whether rules/ changed, as a
// long poll (the request waits until the version or "updating" changes, up to 20 s), and reload
// the page when the version or the error changes. While the rest of the site is rebuilt
// ("updating"), the line from preview_assets/updating.html is shown; it stays as long as the
// server says updating. An external file, so the site's Content-Security-Policy (no inline
// scripts) holds in preview too.
(function () {
  "use strict";
  var script = document.currentScript;
  var status = script ? script.getAttribute("data-status") : "_preview/status.json";
  var seen = script ? script.getAttribute("data-seen") : null;    // what the page was served at
  function show(updating) {
    var line = document.querySelector(".preview-updating");
    if (line) { line.hidden = !updating; }
  }
  function poll(version, updating) {
    var url = status + (version === null ? "" : "?version=" + version + "&updating=" + (updating ? 1 : 0));
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      var key = s.version + ":" + (s.error ? "error" : "ok");
      if (seen === null) { seen = key; } else if (key !== seen) { window.location.reload(); return; }
      show(s.updating);
      poll(s.version, s.updating);
    }).catch(function () { setTimeout(function () { poll(null, false); seen = null; }, 1000); });
  }
  poll(null, false);
})();
