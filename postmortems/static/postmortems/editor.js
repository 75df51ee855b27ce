/* Postmortem editor: autosave through the API with the version lock, and merging after a 409.
 *
 * Only sections changed since the last save are sent, so a save never puts back old text in a
 * section someone else edited. After a 409 each section is merged three ways (the last saved
 * text, mine, theirs): one-sided changes merge by themselves; where both changed, both texts are
 * shown and autosave waits until the author says they have merged. Every keystroke is also kept
 * in this browser (localStorage) until the server has it. Loaded as a file (CSP: no inline JS).
 */
(function () {
  "use strict";

  var AUTOSAVE_DELAY = 1500;
  var RETRY_DELAY = 5000;

  // The same format as every time the server writes ("2026-03-08 10:58 CET", the person's zone).
  function localTime(date) {
    return window.Firebreak ? window.Firebreak.localTime(date) : date.toISOString();
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function init(form) {
    var api = form.getAttribute("data-api-url");
    var storeKey = "firebreak:postmortem:" + form.getAttribute("data-postmortem");
    var statusBox = document.getElementById("pm-save-status");
    var conflictBox = document.getElementById("pm-conflict");
    var versionInput = form.querySelector("input[name=version]");
    var titleInput = form.querySelector("input[name=title]");
    var tagsInput = form.querySelector("input[name=tags]");
    var visibilityInput = form.querySelector("select[name=visibility]");
    var areas = Array.prototype.slice.call(form.querySelectorAll("textarea[data-section-key]"));
    var timer = null;
    var saving = false;
    var again = false;
    var conflictMode = false;

    function bodies() {
      var result = {};
      areas.forEach(function (area) { result[area.getAttribute("data-section-key")] = area.value; });
      return result;
    }

    function tagList() {
      return tagsInput.value.split(",").map(function (t) { return t.trim(); }).filter(Boolean);
    }

    // What the server has (as of the version in versionInput).
    var baseline = { bodies: bodies(), title: titleInput.value, tags: tagList().join(","), visibility: visibilityInput.value };

    function setStatus(text, kind) {
      statusBox.textContent = text;
      statusBox.className = "pm-save-status " + (kind || "muted");
      statusBox.setAttribute("data-state", kind || "idle");
    }

    function backup() {
      try {
        window.localStorage.setItem(storeKey, JSON.stringify({ at: Date.now(), version: versionInput.value, bodies: bodies() }));
      } catch (e) { /* storage full or disabled: the server copy is all we have */ }
    }

    function clearBackup() {
      try { window.localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
    }

    function changes() {
      var current = bodies();
      var sections = [];
      Object.keys(current).forEach(function (key) {
        if (current[key] !== baseline.bodies[key]) { sections.push({ key: key, body: current[key] }); }
      });
      var payload = { version: parseInt(versionInput.value, 10) };
      if (sections.length) { payload.sections = sections; }
      if (titleInput.value !== baseline.title) { payload.title = titleInput.value; }
      if (tagList().join(",") !== baseline.tags) { payload.tags = tagList(); }
      if (visibilityInput.value !== baseline.visibility) { payload.visibility = visibilityInput.value; }
      return Object.keys(payload).length > 1 ? payload : null;
    }

    function schedule(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }

    function refreshPreview() {
      form.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function accept(body, sent) {
      versionInput.value = body.version;
      (body.sections || []).forEach(function (s) { baseline.bodies[s.key] = s.body; });
      baseline.title = body.title;
      baseline.tags = (body.tags || []).join(",");
      baseline.visibility = body.visibility;
      var now = new Date();
      setStatus("Saved version " + body.version + " at " + localTime(now), "saved");
      refreshPreview();  // the header shows the new version and modification time
      if (!changes()) { clearBackup(); }
      return sent;
    }

    function merge(conflict) {
      var theirs = {};
      conflict.current.sections.forEach(function (s) { theirs[s.key] = s.body; });
      var clashes = [];
      areas.forEach(function (area) {
        var key = area.getAttribute("data-section-key");
        var base = baseline.bodies[key];
        var mine = area.value;
        var saved = theirs[key];
        if (saved === undefined) { return; }
        if (mine === base) {
          area.value = saved;  // only they changed it
        } else if (saved !== base && saved !== mine) {
          clashes.push({ key: key, title: area.closest(".pm-section-field").querySelector("label").textContent, theirs: saved, mine: mine });
        }
        baseline.bodies[key] = saved;
      });
      if (titleInput.value === baseline.title) { titleInput.value = conflict.current.title; }
      baseline.title = conflict.current.title;
      versionInput.value = conflict.current.version;
      return clashes;
    }

    function showConflict(conflict, clashes) {
      conflictMode = true;
      conflictBox.querySelector(".pm-conflict-message").textContent = conflict.detail;
      var list = conflictBox.querySelector(".pm-conflict-list");
      list.textContent = "";
      clashes.forEach(function (clash) {
        var block = el("div", "pm-conflict-section");
        block.setAttribute("data-section", clash.key);
        block.appendChild(el("h3", "", clash.title));
        var pair = el("div", "pm-conflict-pair");
        var left = el("div");
        left.appendChild(el("h4", "", "Saved by someone else (version " + conflict.current.version + ")"));
        left.appendChild(el("pre", "pm-theirs", clash.theirs));
        var right = el("div");
        right.appendChild(el("h4", "", "Yours (in the editor; also kept as revision " + conflict.conflict_revision + ")"));
        right.appendChild(el("pre", "pm-yours", clash.mine));
        pair.appendChild(left);
        pair.appendChild(right);
        block.appendChild(pair);
        var use = el("button", "button small", "Use their text for this section");
        use.type = "button";
        use.addEventListener("click", function () {
          var area = form.querySelector("textarea[data-section-key='" + clash.key + "']");
          area.value = clash.theirs;
          refreshPreview();
        });
        block.appendChild(use);
        list.appendChild(block);
      });
      conflictBox.hidden = false;
      setStatus("Not saved: someone else saved version " + conflict.current.version + ". Merge below.", "conflict");
    }

    function save() {
      if (conflictMode) { return; }
      if (saving) { again = true; return; }
      var payload = changes();
      if (!payload) {
        setStatus("All changes saved (version " + versionInput.value + ")", "saved");
        clearBackup();
        return;
      }
      saving = true;
      setStatus("Saving…", "saving");
      fetch(api, {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(payload)
      }).then(function (response) {
        return response.json().then(function (body) { return { status: response.status, body: body }; });
      }).then(function (result) {
        saving = false;
        if (result.status === 200) {
          accept(result.body, payload);
        } else if (result.status === 409 && result.body.current) {
          var clashes = merge(result.body);
          refreshPreview();
          if (clashes.length) {
            showConflict(result.body, clashes);
            return;
          }
          setStatus("Merged with version " + result.body.current.version + "; saving…", "saving");
          again = true;
        } else {
          setStatus("Not saved: " + (result.body.detail || ("HTTP " + result.status)), "error");
          return;
        }
        if (again) { again = false; schedule(0); }
      }).catch(function () {
        saving = false;
        setStatus("Not saved yet (connection problem). Your text is kept in this browser; retrying…", "error");
        schedule(RETRY_DELAY);
      });
    }

    function edited() {
      backup();
      if (conflictMode) { return; }
      setStatus("Unsaved changes", "dirty");
      schedule(AUTOSAVE_DELAY);
    }

    form.addEventListener("input", function (event) {
      if (event.isTrusted) { edited(); }
    });
    form.addEventListener("change", function (event) {
      if (event.isTrusted) { edited(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      save();
    });
    document.getElementById("pm-merge-save").addEventListener("click", function () {
      conflictMode = false;
      conflictBox.hidden = true;
      var server = document.getElementById("pm-conflict-server");
      if (server) { server.hidden = true; }
      save();
    });
    window.addEventListener("beforeunload", function (event) {
      if (changes()) { event.preventDefault(); event.returnValue = ""; }
    });

    offerRestore();

    function offerRestore() {
      var stored = null;
      try { stored = JSON.parse(window.localStorage.getItem(storeKey) || "null"); } catch (e) { stored = null; }
      if (!stored || !stored.bodies) { return; }
      var current = bodies();
      var differs = Object.keys(stored.bodies).some(function (k) { return current[k] !== undefined && stored.bodies[k] !== current[k]; });
      if (!differs) { clearBackup(); return; }
      var banner = el("div", "message message-warning pm-restore");
      banner.setAttribute("role", "alert");
      banner.appendChild(el("span", "", "Text you typed on " + localTime(new Date(stored.at)) + " was not saved. "));
      var restore = el("button", "button small", "Restore it");
      restore.type = "button";
      restore.addEventListener("click", function () {
        areas.forEach(function (area) {
          var key = area.getAttribute("data-section-key");
          if (stored.bodies[key] !== undefined) { area.value = stored.bodies[key]; }
        });
        banner.remove();
        refreshPreview();
        edited();
      });
      var discard = el("button", "link-button small", "Discard");
      discard.type = "button";
      discard.addEventListener("click", function () { clearBackup(); banner.remove(); });
      banner.appendChild(restore);
      banner.appendChild(discard);
      form.parentNode.parentNode.insertBefore(banner, form.parentNode);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("pm-editor");
    if (form) { init(form); }
  });
})();
