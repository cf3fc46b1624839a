/* Draws the Board's charts with plotly.js (its cartesian bundle, served compressed), each as it
   comes near the screen. Each chart follows its container's width; on a phone the toolbar is
   left out (drag to zoom and a double tap to reset still work) and long entry names on the axes
   are shortened, the full name staying in the hover text. */
(function () {
  "use strict";
  if (!window.Plotly) return;
  var NARROW = 600;
  var SHORT = 26;

  function shortened(text) {
    var plain = String(text);
    return plain.length > SHORT ? plain.slice(0, SHORT - 1) + "…" : plain;
  }

  function categories(data, axis) {
    var seen = [];
    data.forEach(function (trace) {
      // Numbers may come as typed arrays ({dtype, bdata}): only lists of names are categories.
      if (!Array.isArray(trace[axis])) return;
      trace[axis].forEach(function (value) {
        if (typeof value === "string" && seen.indexOf(value) < 0) seen.push(value);
      });
    });
    return seen;
  }

  function draw(node) {
    var source = document.getElementById(node.getAttribute("data-chart"));
    if (!source || node.getAttribute("data-drawn")) return;
    node.setAttribute("data-drawn", "true");
    var spec = JSON.parse(source.textContent);
    var data = spec.data || [];
    var narrow = node.clientWidth < NARROW;
    var layout = Object.assign({}, spec.layout || {}, { autosize: true });
    if (narrow) {
      var names = categories(data, "y");
      if (names.length) {
        layout.yaxis = Object.assign({}, layout.yaxis || {}, {
          tickmode: "array",
          tickvals: names,
          ticktext: names.map(shortened),
        });
      }
      layout.margin = Object.assign({}, layout.margin || {}, { t: 10, r: 4, l: 4 });
    }
    window.Plotly.newPlot(node, data, layout, {
      // The toolbar's tips, the hover's box statistics and the numbers' decimal mark in the
      // page's language (plotly-locales registers French and Spanish).
      locale: document.documentElement.lang || "en",
      responsive: true,
      displaylogo: false,
      displayModeBar: narrow ? false : "hover",
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  }

  // Each chart is drawn as it comes near the screen: the page is ready to read at once, and a
  // phone draws only the charts its reader scrolls to.
  var charts = document.querySelectorAll("[data-chart]");
  if (!("IntersectionObserver" in window)) {
    charts.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(
    function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        draw(entry.target);
      });
    },
    { rootMargin: "400px 0px" }
  );
  charts.forEach(function (node) {
    observer.observe(node);
  });
})();
