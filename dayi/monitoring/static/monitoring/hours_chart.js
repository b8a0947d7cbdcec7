// Running and effective hours per month of one year (ECharts); data from the json_script tag.
(function () {
  const element = document.getElementById("hours-chart");
  const data = JSON.parse(document.getElementById("hours-data").textContent);
  const labels = document.getElementById("hours-labels").dataset;
  const chart = echarts.init(element);
  chart.setOption({
    animation: false,
    grid: { left: 40, right: 12, top: 36, bottom: 28 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: data.months.map((m) => m.slice(5)) },
    yAxis: { type: "value", name: "h" },
    series: [
      { name: labels.running, type: "bar", data: data.running, itemStyle: { color: "#adb5bd" } },
      { name: labels.measured, type: "bar", data: data.measured, itemStyle: { color: "#198754" } },
      { name: labels.effective, type: "line", data: data.effective, itemStyle: { color: "#0d6efd" } },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
