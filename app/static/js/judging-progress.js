// The organizers' judging pages.
// - Progress: a box plot of each judge's review scores r (Chart.js + @sgratzl/chartjs-chart-boxplot,
//   both vendored), read from the canvas's data-chart JSON; the table below it carries the same judges.
// - A ranking run: the α slider moves with the number field of the what-if form (the field alone works
//   without script).
// No inline script or style: the page's CSP forbids them. Labels are translated on the server.
(function () {
  "use strict";

  var BOX = "rgba(13, 110, 253, 0.25)";
  var LINE = "#0d6efd";

  function drawBoxplot(canvas) {
    var status = canvas.parentNode.querySelector(".judging-chart-status");
    function fail() {
      canvas.dataset.state = "error";
      if (status) { status.textContent = canvas.dataset.error; }
    }
    var data;
    try { data = JSON.parse(canvas.dataset.chart); } catch (e) { fail(); return; }
    if (!window.Chart || !window.ChartBoxPlot || !data || !data.labels || !data.labels.length) { fail(); return; }
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // One horizontal box per judge: names stay readable on a 360 px screen however many judges there are.
    var box = canvas.parentNode;
    box.style.position = "relative";
    box.style.height = Math.max(160, 44 * data.labels.length + 70) + "px";
    try {
      new window.Chart(canvas, {
        type: "boxplot",
        data: {
          labels: data.labels,
          datasets: [{
            label: data.label,
            data: data.data,
            backgroundColor: BOX,
            borderColor: LINE,
            borderWidth: 1,
            outlierBackgroundColor: LINE,
            itemRadius: 2,
            itemStyle: "circle",
            itemBackgroundColor: "rgba(13, 110, 253, 0.6)",
            coef: 1.5
          }]
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: reduced ? false : { duration: 300 },
          locale: document.documentElement.lang || "vi",
          plugins: { legend: { display: false } },
          scales: {
            x: { min: 0, max: 100, title: { display: true, text: canvas.dataset.axisLabel } },
            y: { ticks: { autoSkip: false } }
          }
        }
      });
      canvas.dataset.state = "drawn";
    } catch (e) {
      fail();
    }
  }

  function linkAlpha(range) {
    var number = document.getElementById(range.dataset.for);
    if (!number) { return; }
    range.classList.remove("d-none");
    if (number.value !== "" && !isNaN(parseFloat(number.value.replace(",", ".")))) {
      range.value = parseFloat(number.value.replace(",", "."));
    }
    range.addEventListener("input", function () { number.value = range.value; });
    number.addEventListener("input", function () {
      var value = parseFloat(number.value.replace(",", "."));
      if (!isNaN(value)) { range.value = value; }
    });
  }

  document.querySelectorAll("canvas.judging-boxplot[data-chart]").forEach(drawBoxplot);
  document.querySelectorAll("input.alpha-range[data-for]").forEach(linkAlpha);
})();
