// The exam runner's enhancements. The page works without this script (plain forms); with it:
// a live countdown from the server's deadline, autosave as answers change, strike-out, and
// keyboard shortcuts (1-6 or A-F choose, N next, P previous, F flag, R review).
(function () {
  "use strict";
  var root = document.getElementById("runner");
  if (!root) return;
  var attempt = root.dataset.attempt;
  var n = Number(root.dataset.n);
  var kind = root.dataset.kind;
  var select = Number(root.dataset.select || "1");
  var form = document.getElementById("item-form");
  var status = document.getElementById("select-count");

  // Countdown: the server computed the seconds left; at zero the report page submits.
  var left = Number(root.dataset.secondsLeft);
  var clock = document.getElementById("time-left");
  if (clock && left >= 0) {
    var ends = Date.now() + left * 1000;
    var tick = function () {
      var s = Math.max(0, Math.round((ends - Date.now()) / 1000));
      clock.textContent = Math.floor(s / 3600) + ":" + String(Math.floor(s / 60) % 60).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
      if (s === 0) { window.location.href = "/attempts/" + attempt + "/report"; return; }
      if (s === 300) { clock.parentElement.setAttribute("aria-live", "assertive"); }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  function response() {
    if (kind === "single" || kind === "multiple") {
      var chosen = Array.prototype.map.call(form.querySelectorAll('input[name="selected"]:checked'), function (i) { return i.value; });
      return chosen.length ? { selected: chosen } : null;
    }
    if (kind === "ordering") {
      var placed = Array.prototype.map.call(form.querySelectorAll('select[name^="pos-"]'), function (s) { return [Number(s.value), s.name.slice(4)]; });
      if (placed.some(function (p) { return !p[0]; })) return null;
      var positions = placed.map(function (p) { return p[0]; });
      if (new Set(positions).size !== positions.length) return null;
      placed.sort(function (a, b) { return a[0] - b[0]; });
      return { order: placed.map(function (p) { return p[1]; }) };
    }
    if (kind === "matching") {
      var matches = {};
      Array.prototype.forEach.call(form.querySelectorAll('select[name^="match-"]'), function (s) { if (s.value) matches[s.name.slice(6)] = s.value; });
      return Object.keys(matches).length ? { matches: matches } : null;
    }
    return null;
  }

  // Autosave, one save in flight at a time: a change made meanwhile is sent when it returns,
  // with the answer as it is on the page then, so an older save can never land after a newer
  // one. Saves in flight are exposed as data-pending on the form (0 once the server has them
  // all). A save the server could not take (no connection, 5xx, 429) is retried with back-off
  // (its Retry-After, else 1, 2, 4 … 30 s, with jitter so a cohort does not return at once);
  // the candidate reads "Not saved yet" meanwhile, and moving on waits for the save.
  var saveStatus = document.getElementById("save-status");
  var pending = 0, inFlight = false, dirty = false, failing = false, delay = 0, retryTimer = null, going = null;
  function track(delta) {
    pending += delta;
    form.dataset.pending = String(pending);
  }
  function say(text, state) {
    if (!saveStatus) return;
    saveStatus.textContent = text;
    saveStatus.dataset.state = state;
  }

  function retryLater(seconds) {
    delay = seconds > 0 ? Math.min(seconds, 30) : Math.min(delay ? delay * 2 : 1, 30);
    var wait = Math.round(delay * (0.75 + Math.random() * 0.5) * 1000);
    failing = true;
    say("Not saved yet: the server did not take this answer. Retrying in " + Math.max(1, Math.round(wait / 1000)) + " s; your answer stays on this page.", "retrying");
    retryTimer = window.setTimeout(save, wait);
  }

  function saved() {
    if (failing) say("Saved.", "saved");
    failing = false;
    delay = 0;
    if (going) { var submitter = going; going = null; form.requestSubmit(submitter); }
  }

  function save() {
    if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
    if (inFlight) { dirty = true; return; }
    inFlight = true;
    dirty = false;
    var body = response() || {};
    body.flagged = document.getElementById("flag").checked;
    track(1);
    fetch("/api/v1/attempts/" + attempt + "/items/" + n + "/response", {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (r) {
      if (r.status === 409) { window.location.href = "/attempts/" + attempt + "/report"; return; }
      if (r.ok) { if (!dirty) saved(); return; }
      if (r.status >= 500 || r.status === 429 || r.status === 408) {
        if (!dirty) retryLater(Number(r.headers.get("Retry-After")) || 0);
        return;
      }
      return r.json().then(function (e) { say("Not saved: " + e.error, "refused"); }, function () { say("Not saved (" + r.status + ").", "refused"); });
    }, function () {
      if (!dirty) retryLater(0);
    }).finally(function () {
      inFlight = false;
      if (dirty) save();
      track(-1);
    });
  }

  // While a save is failing, leaving the question waits for it: retry now, go on once saved.
  form.addEventListener("submit", function (e) {
    if (!failing) return;
    e.preventDefault();
    going = e.submitter || null;
    say("Not saved yet: saving before moving on…", "retrying");
    save();
  });

  function countSelected() {
    if (kind !== "multiple" || !status) return;
    var k = form.querySelectorAll('input[name="selected"]:checked').length;
    status.textContent = k === select ? "" : "(" + k + " of " + select + " selected)";
  }

  form.addEventListener("change", function () { countSelected(); save(); });
  countSelected();

  // Strike-out: a visual aid kept in this browser only.
  var key = "strike:" + attempt + ":" + n;
  var struck = JSON.parse(window.sessionStorage.getItem(key) || "[]");
  Array.prototype.forEach.call(form.querySelectorAll("button.strike"), function (b) {
    b.hidden = false;
    var li = b.closest("li");
    var on = struck.indexOf(b.dataset.strike) >= 0;
    li.classList.toggle("struck", on);
    b.setAttribute("aria-pressed", String(on));
    b.addEventListener("click", function () {
      on = !on;
      li.classList.toggle("struck", on);
      b.setAttribute("aria-pressed", String(on));
      struck = on ? struck.concat([b.dataset.strike]) : struck.filter(function (x) { return x !== b.dataset.strike; });
      window.sessionStorage.setItem(key, JSON.stringify(struck));
    });
  });

  function go(where) {
    var button = form.querySelector('button[name="go"][value="' + where + '"]');
    if (button) button.click();
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "SELECT" || t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && t.type === "text"))) return;
    var k = e.key.toLowerCase();
    var inputs = form.querySelectorAll('input[name="selected"]');
    var index = "123456".indexOf(k);
    if (index < 0) index = "abcdef".indexOf(k);
    if (index >= 0 && index < inputs.length && (kind === "single" || kind === "multiple")) {
      inputs[index].click();
      inputs[index].focus();
      e.preventDefault();
    } else if (k === "n") { go("next"); e.preventDefault(); }
    else if (k === "p") { go("prev"); e.preventDefault(); }
    else if (k === "r") { go("review"); e.preventDefault(); }
    else if (k === "f") { var f = document.getElementById("flag"); f.click(); e.preventDefault(); }
  });
})();
