// The public results chart: each finalist's final score F as a stacked horizontal bar, the experts'
// part α·E and the public's part (1 − α)·P. Data comes from the canvas's data-chart attribute (JSON
// written by the server), labels from its data-label-* attributes (translated on the server).
// No inline script or style attribute: the page's CSP forbids them.
(function () {
  "use strict";

  var COLOURS = { expert: "#0d6efd", engagement: "#fd7e14" };

  function shorten(text, max) {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  function format(value) {
    var locale = document.documentElement.lang || "vi";
    return Number(value).toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function draw(canvas, data) {
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var narrow = window.innerWidth < 576;
    // One bar per finalist: the box grows with their number (CSSOM, which the CSP allows).
    canvas.parentNode.style.position = "relative";
    canvas.parentNode.style.height = (data.labels.length * (narrow ? 34 : 30) + 70) + "px";
    var labels = data.labels.map(function (label) { return shorten(label, narrow ? 22 : 48); });
    var chart = new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: canvas.dataset.labelExpert, data: data.expert, backgroundColor: COLOURS.expert },
          { label: canvas.dataset.labelEngagement, data: data.engagement, backgroundColor: COLOURS.engagement }
        ]
      },
      options: {
        indexAxis: "y",
        locale: document.documentElement.lang || "vi",
        responsive: true,
        maintainAspectRatio: false,
        animation: reduced ? false : { duration: 400 },
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) { return data.labels[items[0].dataIndex]; },
              label: function (item) { return item.dataset.label + ": " + format(item.raw); },
              footer: function (items) {
                return canvas.dataset.labelFinal + ": " + format(data.final[items[0].dataIndex]);
              }
            }
          }
        },
        scales: {
          x: { stacked: true, beginAtZero: true, suggestedMax: 100 },
          y: { stacked: true, ticks: { autoSkip: false } }
        }
      }
    });
    canvas.dataset.state = "drawn";
    return chart;
  }

  function start(canvas) {
    var status = canvas.parentNode.querySelector(".results-chart-status");
    function fail() {
      canvas.dataset.state = "error";
      if (status) { status.textContent = canvas.dataset.error; }
    }
    if (!window.Chart) { fail(); return; }
    try {
      draw(canvas, JSON.parse(canvas.dataset.chart));
    } catch (e) {
      fail();
    }
  }

  document.querySelectorAll("canvas.results-chart[data-chart]").forEach(start);
})();
