// Cakap service worker: keeps e-learning modules, their files and the site's styles and
// scripts so a module once opened can be read again without a connection. Nothing else is
// kept (personal pages stay no-store). Progress made offline is queued by app.js.
//
// Whose copy is it? Module pages are personal (progress, enrolment), and an office computer
// is shared. So:
// - The network always comes first. A copy is served only when the network FAILS (offline),
//   never instead of an answer from the server.
// - The server tags each /learn/ page with an opaque tag of the logged-in account (header
//   X-Cakap-Learner). Copies go into that account's own cache, "cakap-learn-v2-u<tag>", and
//   the worker remembers the last account the server confirmed. Offline, only that
//   account's cache is searched; another person's copies are never served.
// - When the network says the session is gone (401, or a redirect — to the login page — in
//   place of a module), or a different account appears, every other/stale account's copies
//   are dropped at once, so an expired or logged-out session leaves nothing to read.
// - Logging out (page or API) also sends Clear-Site-Data: "cache", "storage", which makes the
//   browser drop all of it; app.js deletes the copies itself for browsers without that header.
// Static files (content-hashed, not personal) live in one shared cache.
"use strict";
var STATIC = "cakap-static-v2";
var USER_PREFIX = "cakap-learn-v2-u";
var META = "cakap-learn-meta";
var WHO = "/__cakap_learner__";
// Caches of earlier versions held copies nobody owned: drop them.
var OLD = ["cakap-learn-v1"];

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(Promise.all(OLD.map(function (name) {
    return caches.delete(name);
  })).then(function () {
    return self.clients.claim();
  }));
});

function keep(url) {
  return url.pathname.indexOf("/learn/modules/") === 0 ||
    url.pathname.indexOf("/learn/files/") === 0 ||
    url.pathname.indexOf("/static/") === 0;
}

// The account the server last confirmed (kept in a cache: a worker's variables do not
// survive it being stopped).
function currentLearner() {
  return caches.open(META).then(function (meta) {
    return meta.match(WHO);
  }).then(function (hit) {
    return hit ? hit.text() : "";
  });
}

function setLearner(tag) {
  return caches.open(META).then(function (meta) {
    return meta.put(WHO, new Response(tag));
  });
}

// Drops every account's copies except `keepTag`'s ("" drops them all).
function dropLearners(keepTag) {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(USER_PREFIX) === 0 && name !== USER_PREFIX + keepTag;
    }).map(function (name) {
      return caches.delete(name);
    }));
  }).then(function () {
    return keepTag ? setLearner(keepTag) : caches.delete(META);
  });
}

// The server's answer shows the session is gone: a 401, or a redirect (the login page)
// instead of the module. Navigations see the redirect as "opaqueredirect".
function sessionGone(res) {
  return res.status === 401 || res.type === "opaqueredirect" ||
    (res.redirected && new URL(res.url).pathname === "/login");
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
    event.respondWith(caches.open(STATIC).then(function (cache) {
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
    if (sessionGone(res)) {
      event.waitUntil(dropLearners(""));
      return res;
    }
    var tag = res.headers.get("X-Cakap-Learner") || "";
    if (res.ok && !res.redirected && res.type === "basic" && /^[0-9a-f]{16}$/.test(tag)) {
      var copy = res.clone();
      // A different account on this device: the previous one's copies go first.
      event.waitUntil(dropLearners(tag).then(function () {
        return caches.open(USER_PREFIX + tag);
      }).then(function (cache) {
        return cache.put(req, copy);
      }));
    }
    return res;
  }, function () {
    // Offline: only the copy of the account the server last confirmed.
    return currentLearner().then(function (tag) {
      return tag ? caches.open(USER_PREFIX + tag).then(function (cache) {
        return cache.match(req);
      }) : undefined;
    }).then(function (hit) {
      return hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } });
    });
  }));
});

self.addEventListener("message", function (event) {
  if (event.data === "logout") {
    event.waitUntil(dropLearners(""));
  }
});
