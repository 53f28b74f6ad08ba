// Cakap service worker: keeps e-learning modules, their files and the site's styles and
// scripts so a module once opened can be read again without a connection. Nothing else is
// kept (personal pages stay no-store). Progress made offline is queued by app.js.
"use strict";
var CACHE = "cakap-learn-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

function keep(url) {
  return url.pathname.indexOf("/learn/modules/") === 0 ||
    url.pathname.indexOf("/learn/files/") === 0 ||
    url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") {
    return;
  }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin || !keep(url)) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // Content-hashed: the cached copy is always right.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(req).then(function (hit) {
        return hit || fetch(req).then(function (res) {
          if (res.ok) {
            cache.put(req, res.clone());
          }
          return res;
        });
      });
    }));
    return;
  }
  // Modules and files: the network first (fresh text, progress ticks), the copy offline.
  event.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected && res.type === "basic") {
      var copy = res.clone();
      caches.open(CACHE).then(function (cache) {
        cache.put(req, copy);
      });
    }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) {
      return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  }));
});

self.addEventListener("message", function (event) {
  if (event.data === "logout") {
    caches.delete(CACHE);
  }
});
