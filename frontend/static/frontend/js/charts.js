/* Draws the Board report's charts with plotly.js (served from the plotly package's own file). */
(function () {
  "use strict";
  if (!window.Plotly) return;
  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var source = document.getElementById(node.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var layout = Object.assign({}, spec.layout || {}, { autosize: true });
    window.Plotly.newPlot(node, spec.data || [], layout, {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d"],
    });
  });
})();
