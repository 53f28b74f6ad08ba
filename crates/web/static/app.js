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

// Learning: offline reading (service worker), module progress that survives a lost link,
// the quiz timer and answers saved as they are given.
(function () {
  "use strict";
  // Progress queued offline belongs to the person logged in when it was made.
  var QUEUE = "cakap.pendingModules." + ((document.body && document.body.getAttribute("data-user")) || "");

  function token() {
    var h = document.body && document.body.getAttribute("hx-headers");
    try {
      return h ? JSON.parse(h)["X-CSRF-Token"] : "";
    } catch (e) {
      return "";
    }
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token() },
      body: JSON.stringify(body || {})
    });
  }

  function pending() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE) || "[]");
    } catch (e) {
      return [];
    }
  }

  function setPending(list) {
    try {
      localStorage.setItem(QUEUE, JSON.stringify(list));
    } catch (e) { /* storage full or off: the page form still works online */ }
  }

  // Sends progress recorded while offline, once the link is back.
  function flush() {
    var list = pending();
    if (!list.length || !navigator.onLine) {
      return;
    }
    // One at a time, in the order read.
    var left = list.slice();
    var send = function () {
      if (!left.length) {
        setPending([]);
        return;
      }
      post("/api/v1/modules/" + left[0] + "/progress").then(function (res) {
        // Sent, or refused for good (no longer enrolled): drop it; a server error: retry later.
        if (res.status >= 500) {
          setPending(left);
          return;
        }
        left.shift();
        setPending(left);
        send();
      }).catch(function () {
        setPending(left);
      });
    };
    send();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if ("serviceWorker" in navigator && location.pathname.indexOf("/learn") === 0) {
      navigator.serviceWorker.register("/sw.js", { scope: "/learn/" }).catch(function () {});
    }
    flush();

    var done = document.querySelector("form.module-done");
    if (done) {
      done.addEventListener("submit", function (e) {
        e.preventDefault();
        var id = done.getAttribute("data-module");
        var next = done.getAttribute("data-next");
        post("/api/v1/modules/" + id + "/progress").then(function (res) {
          if (res.ok || res.status < 500) {
            location.href = next;
          } else {
            throw new Error("server");
          }
        }).catch(function () {
          var list = pending();
          if (list.indexOf(id) < 0) {
            list.push(id);
          }
          setPending(list);
          var note = document.querySelector(".offline-note");
          if (note) {
            note.hidden = false;
          }
          location.href = next;
        });
      });
    }

    var logout = document.querySelector("form[action='/logout']");
    if (logout) {
      logout.addEventListener("submit", function () {
        // The server also sends Clear-Site-Data; this covers browsers without it.
        if (window.caches) {
          caches.keys().then(function (names) {
            names.forEach(function (name) {
              if (name.indexOf("cakap-learn") === 0) {
                caches.delete(name);
              }
            });
          });
        }
        setPending([]);
      });
    }

    var quiz = document.querySelector("form.quiz-form");
    if (quiz) {
      var attempt = quiz.getAttribute("data-attempt");
      quiz.addEventListener("change", function (e) {
        var set = e.target.closest("fieldset[data-q]");
        if (!set) {
          return;
        }
        var kind = set.getAttribute("data-kind");
        var inputs = set.querySelectorAll("input");
        var answer = null;
        if (kind === "multiple") {
          answer = [];
          inputs.forEach(function (i) {
            if (i.checked) {
              answer.push(Number(i.value));
            }
          });
        } else if (kind === "single") {
          inputs.forEach(function (i) {
            if (i.checked) {
              answer = Number(i.value);
            }
          });
        } else if (kind === "true_false") {
          inputs.forEach(function (i) {
            if (i.checked) {
              answer = i.value === "true";
            }
          });
        } else if (inputs[0]) {
          answer = inputs[0].value;
        }
        if (answer !== null) {
          post("/api/v1/attempts/" + attempt + "/answers", {
            question: Number(set.getAttribute("data-q")),
            answer: answer
          }).catch(function () { /* sent again with the form */ });
        }
      });
      var timer = document.querySelector(".timer[data-seconds]");
      if (timer) {
        var left = Number(timer.getAttribute("data-seconds"));
        var shown = timer.querySelector("strong");
        var tick = setInterval(function () {
          left -= 1;
          if (shown) {
            var s = Math.max(left, 0);
            shown.textContent = Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
          }
          // Hand it in just before the server's deadline.
          if (left <= 2) {
            clearInterval(tick);
            quiz.submit();
          }
        }, 1000);
      }
    }
  });
  window.addEventListener("online", flush);
})();

// Long work (the training-plan optimizer takes seconds): a form with data-busy says so while
// the server works, and cannot be sent twice.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-busy")) return;
    var button = form.querySelector("button[type=submit]");
    if (button) {
      if (button.disabled) {
        e.preventDefault();
        return;
      }
      // Disabled after this tick, so the click still submits the form.
      setTimeout(function () {
        button.disabled = true;
        button.textContent = form.getAttribute("data-busy");
      }, 0);
    }
    form.setAttribute("aria-busy", "true");
  });
})();
