/* Metropolis pages: shared helpers, local times and countdowns. No framework, no network
   beyond the platform itself. Every page works without this script; it only adds comfort. */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "en";
  var stringsNode = document.getElementById("js-strings");
  var strings = stringsNode ? JSON.parse(stringsNode.textContent) : {};

  function t(key, values) {
    var text = strings[key] || key;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("%(" + name + ")s").join(String(values[name]));
    });
    return text.split("%%").join("%");
  }

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* The API answers every error as {"error": {"code", "message", "fields"}}. */
  function errorOf(status, body) {
    if (body && body.error) return body.error;
    return { code: "http_" + status, message: "HTTP " + status, fields: {} };
  }

  function api(url, options) {
    options = options || {};
    var headers = Object.assign(
      { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      options.json !== undefined ? { "Content-Type": "application/json" } : {},
      options.headers || {}
    );
    return fetch(url, {
      method: options.method || "GET",
      credentials: "same-origin",
      headers: headers,
      body: options.json !== undefined ? JSON.stringify(options.json) : options.body,
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
        if (!response.ok) {
          var error = errorOf(response.status, body);
          error.status = response.status;
          throw error;
        }
        return { body: body, response: response };
      });
    });
  }

  function formatMoment(date, withZone) {
    var options = { dateStyle: "long", timeStyle: "short" };
    try {
      var text = new Intl.DateTimeFormat(lang, options).format(date);
      if (withZone) {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        text += " (" + zone.replace(/_/g, " ") + ")";
      }
      return text;
    } catch (e) {
      return date.toLocaleString();
    }
  }

  function clock(date) {
    try {
      return new Intl.DateTimeFormat(lang, { timeStyle: "medium" }).format(date);
    } catch (e) {
      return date.toLocaleTimeString();
    }
  }

  function unit(value, name) {
    try {
      return new Intl.NumberFormat(lang, { style: "unit", unit: name, unitDisplay: "long" }).format(value);
    } catch (e) {
      return value + " " + name + (value === 1 ? "" : "s");
    }
  }

  function remaining(ms) {
    var seconds = Math.max(0, Math.floor(ms / 1000));
    var days = Math.floor(seconds / 86400);
    var hours = Math.floor((seconds % 86400) / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var secs = seconds % 60;
    var parts = [];
    if (days) parts.push(unit(days, "day"));
    if (days || hours) parts.push(unit(hours, "hour"));
    parts.push(unit(minutes, "minute"));
    if (!days) parts.push(unit(secs, "second"));
    return parts.join(" ");
  }

  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local]").forEach(function (node) {
      var date = new Date(node.getAttribute("datetime"));
      if (isNaN(date)) return;
      node.textContent = t("yourTime", { time: formatMoment(date, true) });
    });
  }

  function countdowns() {
    var nodes = document.querySelectorAll("[data-countdown]");
    if (!nodes.length) return;
    function tick() {
      var now = Date.now();
      nodes.forEach(function (node) {
        var end = new Date(node.getAttribute("data-countdown")).getTime();
        var left = end - now;
        if (left <= 0) {
          node.textContent = t("closed");
          node.classList.add("urgent");
          return;
        }
        node.textContent = t("left", { time: remaining(left) });
        node.classList.toggle("urgent", left < 48 * 3600 * 1000);
      });
    }
    tick();
    window.setInterval(tick, 1000);
  }

  /* A table wider than the screen scrolls sideways; a keyboard reaches that scrolling only if
     its box takes focus, so a box that scrolls becomes a named, focusable region (and stops
     being one when the window is wide enough again). */
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      var managed = wrap.hasAttribute("data-scroll-region");
      if (scrolls && !managed) {
        var caption = wrap.querySelector("caption");
        var section = wrap.closest("section");
        var heading = section && section.querySelector("h2, h3");
        var name = (caption || heading || {}).textContent || "";
        wrap.setAttribute("data-scroll-region", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", t("scrollTable", { name: name.trim() || "—" }));
      } else if (!scrolls && managed) {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (attribute) {
          wrap.removeAttribute(attribute);
        });
      }
    });
  }

  window.Metropolis = { t: t, api: api, csrfToken: csrfToken, clock: clock, localTimes: localTimes };

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    countdowns();
    scrollableTables();
    var resizing = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(scrollableTables, 100);
    });
    // After a refused form, take keyboard and screen-reader users straight to the message.
    var problem = document.querySelector("[data-focus-on-load]");
    if (problem) problem.focus();
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
