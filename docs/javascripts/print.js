/* The date on every printed page: "Printed on DATE from the version of DATE: check the site
 * for the current version" (docs/overrides/partials/print-stamp.html holds the sentence and
 * the version date, the build's). This script fills only today's date, at load and again on
 * beforeprint (a page left open overnight prints the day it is printed). It reads nothing
 * else and stores nothing: no case data is ever in it.
 *
 * On procedure text it also gives each link its full address (data-print-url), which
 * print.css prints after the link text: a relative "../referrals/" is no use on paper.
 * External file only: the site's Content-Security-Policy is script-src 'self'.
 */
(function () {
  "use strict";
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];

  function today() {
    var d = new Date();
    return d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear();
  }

  // The sentence in a page margin box, so it is on every sheet and never covers the text.
  function marginBox(sentence) {
    var style = document.getElementById("print-stamp-page");
    if (!style) {
      style = document.createElement("style");
      style.id = "print-stamp-page";
      document.head.appendChild(style);
    }
    style.textContent = "@media print { @page { @bottom-center { content: " + JSON.stringify(sentence) +
      "; font-size: 8pt; color: #000; } } }";
    document.documentElement.classList.add("print-stamped");
  }

  function stamp() {
    document.querySelectorAll("[data-print-date]").forEach(function (el) { el.textContent = today(); });
    var line = document.querySelector(".print-stamp");
    if (line) marginBox(line.textContent.replace(/\s+/g, " ").trim());
    document.querySelectorAll(".proc-block a[href], .print-area a[href]").forEach(function (a) {
      var href = a.getAttribute("href") || "";
      if (href.charAt(0) === "#" || a.classList.contains("proc-anchor") || a.classList.contains("headerlink")) return;
      a.setAttribute("data-print-url", a.href.replace(/^mailto:/, "").replace(/^tel:/, ""));
    });
  }

  stamp();
  window.addEventListener("beforeprint", stamp);
})();
