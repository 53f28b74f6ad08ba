// Cakap: the little the pages need beyond HTML and htmx. No inline scripts (CSP).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
  });
  // Keep htmx requests carrying the CSRF token of the page (set on <body hx-headers>).
  document.addEventListener("htmx:responseError", function (e) {
    var target = e.detail.target;
    if (target) {
      target.setAttribute("aria-busy", "false");
    }
  });
})();
