// Preview on save (macros/deployment/preview.py): ask the server every half second
// whether rules/ was rebuilt; reload the page when it was. An external file, so the
// site's Content-Security-Policy (no inline scripts) holds in preview too.
(function () {
  "use strict";
  var script = document.currentScript;
  var status = script ? script.getAttribute("data-status") : "_preview/status.json";
  var seen = null;
  function poll() {
    fetch(status, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      var key = s.version + ":" + (s.error ? "error" : "ok");
      if (seen === null) { seen = key; } else if (key !== seen) { window.location.reload(); return; }
      setTimeout(poll, 500);
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
