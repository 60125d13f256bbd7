// The engagement chart of an initiative: likes and comments (bars) and views (line) per day.
// Data comes from the JSON route in the canvas's data-url; labels from its data-label-* attributes
// (translated on the server). No inline script or style: the page's CSP forbids them.
(function () {
  "use strict";

  var COLOURS = { likes: "#dc3545", comments: "#0d6efd", views: "#198754" };

  function draw(canvas, data) {
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var narrow = window.innerWidth < 576;
    var chart = new window.Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: canvas.dataset.labelLikes, data: data.likes, backgroundColor: COLOURS.likes, yAxisID: "y", order: 2 },
          { type: "bar", label: canvas.dataset.labelComments, data: data.comments, backgroundColor: COLOURS.comments, yAxisID: "y", order: 2 },
          { type: "line", label: canvas.dataset.labelViews, data: data.views, borderColor: COLOURS.views, backgroundColor: COLOURS.views, yAxisID: "y1", cubicInterpolationMode: "monotone", pointRadius: narrow ? 1 : 2, order: 1 }
        ]
      },
      options: {
        locale: document.documentElement.lang || "vi",
        responsive: true,
        aspectRatio: narrow ? 1.2 : 2.6,
        animation: reduced ? false : { duration: 400 },
        interaction: { mode: "index", intersect: false },
        plugins: {
          // The legend in the datasets' order (likes, comments, views), not their drawing order.
          legend: { position: "bottom", labels: { sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } }
        },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: narrow ? 6 : 15 } },
          y: {
            beginAtZero: true, position: "left", ticks: { precision: 0 },
            title: { display: !narrow, text: canvas.dataset.labelLikes + " / " + canvas.dataset.labelComments }
          },
          y1: {
            beginAtZero: true, position: "right", ticks: { precision: 0 }, grid: { drawOnChartArea: false },
            title: { display: !narrow, text: canvas.dataset.labelViews }
          }
        }
      }
    });
    canvas.dataset.state = "drawn";
    return chart;
  }

  function start(canvas) {
    var status = canvas.parentNode.querySelector(".engagement-chart-status");
    function fail() {
      canvas.dataset.state = "error";
      if (status) { status.textContent = canvas.dataset.error; }
    }
    if (!window.Chart || !window.fetch) { fail(); return; }
    fetch(canvas.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { draw(canvas, data); })
      .catch(fail);
  }

  document.querySelectorAll("canvas.engagement-chart[data-url]").forEach(start);
})();
