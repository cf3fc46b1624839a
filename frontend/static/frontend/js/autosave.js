/* Autosave: a form whose fields are saved through the API while the person types.
   The form still works without the script (its button posts to the page). */
(function () {
  "use strict";
  var M = window.Metropolis;

  function fieldErrors(form, fields) {
    form.querySelectorAll("[data-autosave-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[data-autosave-invalid]").forEach(function (node) {
      node.removeAttribute("aria-invalid");
      node.removeAttribute("data-autosave-invalid");
    });
    Object.keys(fields || {}).forEach(function (name) {
      var input = form.querySelector('[name="' + name + '"]') ||
        form.querySelector('[data-error-for="' + name + '"]');
      if (!input) return;
      var list = document.createElement("ul");
      list.className = "errorlist";
      list.id = (input.id || name) + "_autosave_error";
      list.setAttribute("data-autosave-error", "");
      [].concat(fields[name]).forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = typeof message === "string" ? message : JSON.stringify(message);
        list.appendChild(item);
      });
      var holder = input.closest(".field") || input.parentNode;
      holder.appendChild(list);
      if (input.matches("input, textarea, select")) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("data-autosave-invalid", "");
        var described = (input.getAttribute("aria-describedby") || "").split(" ");
        if (described.indexOf(list.id) < 0) described.push(list.id);
        input.setAttribute("aria-describedby", described.join(" ").trim());
      }
    });
  }

  /* options: url, method, payload(form) -> object, headers() -> object,
     onSaved(body), onError(error) -> true when it handled the error itself. */
  function attach(form, options) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var running = null;
    var again = false;
    var last = JSON.stringify(options.payload(form));

    function say(text, kind) {
      if (!status) return;
      status.textContent = text;
      status.className = "autosave-status" + (kind ? " " + kind : "");
    }

    function save() {
      window.clearTimeout(timer);
      timer = null;
      if (running) { again = true; return running; }
      var payload = options.payload(form);
      var text = JSON.stringify(payload);
      if (text === last) return Promise.resolve();
      say(M.t("saving"));
      running = M.api(options.url, {
        method: options.method || "PATCH",
        json: payload,
        headers: options.headers ? options.headers() : {},
      }).then(function (result) {
        last = text;
        fieldErrors(form, {});
        if (options.onSaved) options.onSaved(result.body, result.response);
        say(M.t("saved", { time: M.clock(new Date()) }), "saved");
      }, function (error) {
        if (options.onError && options.onError(error, say)) return;
        if (!error.status) { say(M.t("offline"), "error"); return; }
        fieldErrors(form, error.fields);
        say(M.t("saveFailed", { message: error.message }), "error");
      }).then(function () {
        running = null;
        if (again) { again = false; return save(); }
      });
      return running;
    }

    function later(delay) {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, delay);
    }

    form.addEventListener("input", function () { later(1200); });
    form.addEventListener("change", function () { later(200); });
    form.addEventListener("focusout", function () { if (timer) later(50); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save();
    });
    form.metropolisSave = save;
    return { save: save, say: say };
  }

  window.MetropolisAutosave = { attach: attach, fieldErrors: fieldErrors };

  /* An entry's draft: PATCH /api/v1/submissions/{id}/ with the fields of the form. */
  document.querySelectorAll('form[data-autosave][data-autosave-kind="entry"]').forEach(function (form) {
    var names = ["title", "summary", "description", "theme"];
    attach(form, {
      url: form.getAttribute("data-autosave-url"),
      method: "PATCH",
      payload: function () {
        var data = {};
        names.forEach(function (name) {
          var input = form.elements[name];
          if (input) data[name] = input.value;
        });
        return data;
      },
    });
  });
})();
