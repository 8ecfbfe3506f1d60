/// EyesOn's one script, on signed-in pages only: the session-timeout warning (WCAG 2.2.1, timing
/// adjustable). A sign-in ends after `data-idle-timeout` seconds without a request; while the user
/// types, the page tells the server they are there, so a long form is not lost; when the page has
/// been idle until `data-idle-warning` seconds before the end, a warning with "Stay signed in"
/// appears, which extends the session without leaving or reloading the page. Pages work without it.
enum Script {
    static let js = #"""
    (function () {
      "use strict";
      var body = document.body;
      var timeout = Number(body.getAttribute("data-idle-timeout")) * 1000;
      var warning = Number(body.getAttribute("data-idle-warning")) * 1000;
      if (!timeout || !warning) return;
      var tokenField = document.querySelector('input[name="_csrf"]');
      var token = tokenField ? tokenField.value : "";
      var lastServer = Date.now(), lastActivity = 0, lastPing = Date.now(), box = null, ended = false;

      function ping() {
        lastPing = Date.now();
        return fetch("/session/keep-alive", {method: "POST", credentials: "same-origin",
          headers: {"X-CSRF-Token": token, "Accept": "application/json"}})
          .then(function (r) { if (r.ok) { lastServer = Date.now(); return true; } showEnded(); return false; })
          .catch(function () { return false; });
      }
      function remove() { if (box) { box.parentNode.removeChild(box); box = null; } }
      function make(html) {
        remove();
        box = document.createElement("div");
        box.className = "timeout-warning";
        box.id = "timeout-warning";
        box.setAttribute("role", "alertdialog");
        box.setAttribute("aria-labelledby", "timeout-title");
        box.setAttribute("aria-describedby", "timeout-text");
        box.innerHTML = html;
        var main = document.querySelector("main .container") || body;
        main.insertBefore(box, main.firstChild);
        return box;
      }
      function showWarning() {
        var minutes = Math.max(1, Math.round((lastServer + timeout - Date.now()) / 60000));
        make('<h2 id="timeout-title">You will be signed out soon</h2>' +
             '<p id="timeout-text">You have not used EyesOn for a while. To keep your details safe you will be signed out in about ' +
             minutes + (minutes === 1 ? ' minute' : ' minutes') + '. Anything you have typed on this page stays here.</p>' +
             '<button type="button" class="button" id="stay-signed-in">Stay signed in</button>');
        var button = document.getElementById("stay-signed-in");
        button.addEventListener("click", function () { ping().then(function (ok) { if (ok) remove(); }); });
        button.focus();
      }
      function showEnded() {
        if (ended) return;
        ended = true;
        make('<h2 id="timeout-title">You have been signed out</h2>' +
             '<p id="timeout-text">You were signed out after a time without using EyesOn. What you typed is still on this page: copy it, ' +
             '<a href="/sign-in" target="_blank" rel="noopener">sign in again in a new tab</a>, and enter it there.</p>');
        var heading = document.getElementById("timeout-title");
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
      ["input", "keydown", "change"].forEach(function (name) {
        document.addEventListener(name, function () { lastActivity = Date.now(); }, true);
      });
      setInterval(function () {
        if (ended) return;
        var now = Date.now();
        if (lastActivity > lastPing && now - lastPing > 60000 && !box) { ping(); return; }
        var left = lastServer + timeout - now;
        if (left <= 0) { showEnded(); return; }
        if (left <= warning && !box) showWarning();
      }, 5000);
    })();
    """#
}
