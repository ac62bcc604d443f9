// Material for MkDocs' bootstrap (theme partial javascripts/base.html), as a file instead of an
// inline script so the site keeps working under `script-src 'self'`. Same behaviour as the original.
(function () {
  var scope = document.currentScript.getAttribute("data-scope") || ".";
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (e) {
    return [].concat(Array.from(e)).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* storage full or blocked */ }
  };
})();
