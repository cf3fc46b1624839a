/* The score form: autosaved drafts through the score-sheets API, with the sheet's ETag in
   If-Match so that two tabs never overwrite each other; the level descriptor that matches the
   typed value is highlighted. Saving and submitting still post the form as usual. */
(function () {
  "use strict";
  var M = window.Metropolis;
  var form = document.querySelector("form[data-score-sheet]");

  function highlight(input) {
    var list = document.getElementById("levels-" + input.getAttribute("data-criterion"));
    if (!list) return;
    var value = parseFloat(String(input.value).replace(",", "."));
    list.querySelectorAll("li").forEach(function (item) {
      var low = parseFloat(item.getAttribute("data-min"));
      var high = parseFloat(item.getAttribute("data-max"));
      item.classList.toggle("current", !isNaN(value) && value >= low && value <= high);
    });
  }

  /* The running weighted total: the weighted mean of the criteria given, as the server
     computes it (scoring.totals); the saved sheet's total, from the server, stays beside it. */
  var total = document.querySelector("[data-running-total]");
  function runningTotal() {
    if (!total) return;
    var inputs = document.querySelectorAll("input[data-criterion]");
    var weighed = 0, sum = 0, given = 0;
    inputs.forEach(function (input) {
      var value = parseFloat(String(input.value).trim().replace(",", "."));
      var weight = parseFloat(input.getAttribute("data-weight"));
      if (isNaN(value) || isNaN(weight)) return;
      given += 1;
      weighed += weight;
      sum += weight * value;
    });
    var live = total.querySelector("[data-live-total]");
    if (!weighed) { live.textContent = ""; return; }
    var shown = (Math.round((sum / weighed) * 100) / 100).toLocaleString(document.documentElement.lang || undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    live.textContent = total.getAttribute("data-label")
      .replace("{total}", shown).replace("{given}", given).replace("{count}", inputs.length);
  }

  document.querySelectorAll("input[data-criterion]").forEach(function (input) {
    highlight(input);
    input.addEventListener("input", function () { highlight(input); runningTotal(); });
  });
  runningTotal();

  if (!form) return;
  var etag = form.getAttribute("data-etag");
  var version = form.elements.version;

  function payload() {
    var scores = [];
    form.querySelectorAll("input[data-criterion]").forEach(function (input) {
      var key = input.getAttribute("data-criterion");
      var comment = form.querySelector('[data-criterion-comment="' + key + '"]');
      var text = String(input.value).trim().replace(",", ".");
      scores.push({ criterion: key, value: text === "" ? null : text, comment: comment ? comment.value : "" });
    });
    return { scores: scores, comment: form.elements.comment ? form.elements.comment.value : "" };
  }

  var saver = window.MetropolisAutosave.attach(form, {
    url: form.getAttribute("data-score-sheet"),
    method: "PUT",
    payload: payload,
    headers: function () { return { "If-Match": etag }; },
    onSaved: function (body) {
      if (!body) return;
      etag = body.etag;
      version.value = body.version;
    },
    onError: function (error, say) {
      if (error.status === 412 || error.status === 428) {
        say(M.t("stale"), "error");
        return true;
      }
      var fields = {};
      var scores = (error.fields && error.fields.scores) || {};
      Object.keys(scores).forEach(function (key) {
        var parts = key.split(".");
        fields[(parts[1] === "comment" ? "comment_" : "value_") + parts[0]] = scores[key];
      });
      window.MetropolisAutosave.fieldErrors(form, fields);
      say(M.t("saveFailed", { message: error.message }), "error");
      return true;
    },
  });

  /* Before the form is posted (save or submit), let a running autosave finish, so the page
     receives the version that autosave moved to. */
  var flushed = false;
  form.addEventListener("submit", function (event) {
    if (flushed) return;
    event.preventDefault();
    var button = event.submitter;
    Promise.resolve(saver.save()).then(function () {
      flushed = true;
      // A new task: a form ignores requestSubmit() while its submit event is being dispatched,
      // which is still the case when nothing was left to save.
      window.setTimeout(function () {
        if (form.requestSubmit) form.requestSubmit(button); else form.submit();
      }, 0);
    });
  });
})();
