/* Uploads with a progress bar. Local storage: the file goes to the API's attachments endpoint.
   S3 storage: the API hands out a presigned POST (or presigned parts above 100 MB), the browser
   sends the bytes straight to the bucket, then asks the platform to check them. Without the
   script, the form posts the file to the page, which calls the same service. */
(function () {
  "use strict";
  var M = window.Metropolis;

  function send(method, url, body, headers, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (onProgress) {
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) onProgress(event.loaded, event.total);
        });
      }
      xhr.addEventListener("load", function () { resolve(xhr); });
      xhr.addEventListener("error", function () { reject({ message: "network error", fields: {} }); });
      xhr.addEventListener("abort", function () { reject({ message: "aborted", fields: {} }); });
      xhr.send(body);
    });
  }

  function apiError(xhr) {
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
    if (body && body.error) return body.error;
    return { message: "HTTP " + xhr.status, fields: {} };
  }

  function ui(form) {
    var input = form.querySelector('input[type="file"]');
    var errors = form.querySelector("[data-upload-errors]");
    var box = form.querySelector("[data-upload-progress]");
    var bar = box.querySelector("progress");
    var label = box.querySelector("[data-upload-label]");
    var button = form.querySelector('button[type="submit"]');
    return {
      input: input,
      busy: function (on) { button.disabled = on; input.disabled = on; },
      progress: function (text, percent) {
        box.hidden = false;
        label.textContent = text;
        if (percent === null) bar.removeAttribute("value"); else bar.value = percent;
      },
      clear: function () {
        errors.innerHTML = "";
        input.removeAttribute("aria-invalid");
      },
      fail: function (name, error) {
        box.hidden = true;
        var list = document.createElement("ul");
        list.className = "errorlist";
        var lines = [name ? M.t("uploadFailed", { name: name, message: error.message }) : error.message];
        Object.keys(error.fields || {}).forEach(function (field) {
          [].concat(error.fields[field]).forEach(function (text) {
            if (lines.indexOf(text) < 0 && typeof text === "string") lines.push(text);
          });
        });
        lines.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          list.appendChild(item);
        });
        errors.innerHTML = "";
        errors.appendChild(list);
        input.setAttribute("aria-invalid", "true");
        input.focus();
      },
    };
  }

  function uploadLocal(form, file, kind, view) {
    var data = new FormData();
    data.append("kind", kind);
    data.append("file", file, file.name);
    return send("POST", form.getAttribute("data-api-local"), data, {
      "X-CSRFToken": M.csrfToken(), Accept: "application/json",
    }, function (loaded, total) {
      var percent = Math.round((100 * loaded) / total);
      view.progress(M.t("uploading", { name: file.name, percent: percent }), percent);
    }).then(function (xhr) {
      if (xhr.status !== 201) throw apiError(xhr);
    });
  }

  function contentType(form, file) {
    var types = JSON.parse(form.getAttribute("data-types") || "{}");
    var extension = file.name.indexOf(".") >= 0 ? file.name.split(".").pop().toLowerCase() : "";
    return types[extension] || file.type || "application/octet-stream";
  }

  function uploadS3(form, file, kind, view) {
    var start = {
      filename: file.name, content_type: contentType(form, file), size: file.size, kind: kind,
    };
    return M.api(form.getAttribute("data-api-start"), { method: "POST", json: start })
      .then(function (result) {
        var answer = result.body;
        var upload = answer.upload;
        function report(loaded) {
          var percent = Math.round((100 * loaded) / file.size);
          view.progress(M.t("uploading", { name: file.name, percent: percent }), percent);
        }
        var sent;
        if (upload.method === "multipart") {
          var parts = [];
          var done = 0;
          sent = upload.parts.reduce(function (chain, part) {
            return chain.then(function () {
              var from = (part.part_number - 1) * upload.part_size;
              var blob = file.slice(from, Math.min(from + upload.part_size, file.size));
              return send("PUT", part.url, blob, {}, function (loaded) { report(done + loaded); })
                .then(function (xhr) {
                  if (xhr.status >= 300) throw { message: "HTTP " + xhr.status, fields: {} };
                  done += blob.size;
                  parts.push({ part_number: part.part_number, etag: xhr.getResponseHeader("ETag") });
                });
            });
          }, Promise.resolve()).then(function () { return { parts: parts }; });
        } else {
          var data = new FormData();
          Object.keys(upload.fields).forEach(function (name) { data.append(name, upload.fields[name]); });
          data.append("file", file);  // last, as S3 requires
          sent = send("POST", upload.url, data, {}, report).then(function (xhr) {
            if (xhr.status >= 300) throw { message: "HTTP " + xhr.status, fields: {} };
            return {};
          });
        }
        return sent.then(function (body) {
          view.progress(M.t("checking", { name: file.name }), null);
          return M.api(answer.complete_url, { method: "POST", json: body });
        }).then(function (completed) {
          return settled(completed.body);
        });
      });
  }

  /* `complete` answers 202 while a worker checks the file (size, type, SHA-256): ask for its
     state until it is decided, a little less often as time goes by. A refused file throws
     its reason, shown next to the file field. */
  function settled(attachment, waited) {
    waited = waited || 0;
    if (attachment.state === "rejected") {
      throw { message: attachment.problem, fields: {}, refused: true };
    }
    if (attachment.state !== "verifying" || waited > 600000) return Promise.resolve(attachment);
    var pause = Math.min(1000 + waited / 10, 5000);
    return new Promise(function (resolve) { setTimeout(resolve, pause); }).then(function () {
      return M.api("/api/v1/attachments/" + attachment.id + "/").then(function (result) {
        return settled(result.body, waited + pause);
      });
    });
  }

  /* After an upload, the page's documents section is fetched again and swapped in place, so
     the draft being typed above is left alone. */
  function refreshFiles(message) {
    return fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("files");
        var section = document.getElementById("files");
        if (fresh && section) section.innerHTML = fresh.innerHTML;
        if (!message) return;
        var notice = document.createElement("p");
        notice.className = "notice success";
        notice.setAttribute("role", "status");
        notice.textContent = message;
        var heading = document.getElementById("files-title");
        if (heading) heading.insertAdjacentElement("afterend", notice);
        var input = document.querySelector('form[data-upload] input[type="file"]');
        if (input) input.focus();
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload]")) return;
    event.preventDefault();
    var view = ui(form);
    view.clear();
    var file = view.input.files[0];
    var kind = form.elements.kind.value;
    if (!file) {
      view.fail("", { message: M.t("chooseFile"), fields: {} });
      return;
    }
    view.busy(true);
    view.progress(M.t("uploading", { name: file.name, percent: 0 }), 0);
    var flush = document.querySelector("form[data-autosave]");
    var saved = flush && flush.metropolisSave ? flush.metropolisSave() : Promise.resolve();
    var storage = form.getAttribute("data-storage");
    Promise.resolve(saved)
      .then(function () {
        return storage === "s3" ? uploadS3(form, file, kind, view) : uploadLocal(form, file, kind, view);
      })
      .then(function () {
        return refreshFiles(M.t("uploaded", { name: file.name }));
      }, function (error) {
        // A refused file is listed with its reason: show the list as it now is, then the error.
        var shown = error.refused ? refreshFiles("") : Promise.resolve();
        return shown.then(function () {
          var again = ui(document.querySelector("form[data-upload]") || form);
          again.busy(false);
          again.fail(file.name, error);
        });
      });
  });
})();
