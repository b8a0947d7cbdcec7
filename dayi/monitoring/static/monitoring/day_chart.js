// Power (and current) over one day, with in-use sessions shaded; data from the json_script tag.
(function () {
  const element = document.getElementById("power-chart");
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const labels = document.getElementById("chart-labels").dataset;
  const chart = echarts.init(element);
  const day = data.day;
  const inUse = data.sessions
    .filter((s) => s.kind === "in_use")
    .map((s) => [{ xAxis: s.start }, { xAxis: s.end }]);
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 48, top: 32, bottom: 32 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    title: data.points.length ? undefined : { text: labels.empty, left: "center", top: "middle", textStyle: { fontSize: 14, color: "#6c757d" } },
    xAxis: { type: "time", min: day + "T00:00:00+08:00", max: day + "T23:59:59+08:00" },
    yAxis: [
      { type: "value", name: "W" },
      { type: "value", name: "mA", splitLine: { show: false } },
    ],
    series: [
      {
        name: labels.power, type: "line", showSymbol: false, step: "start",
        data: data.points.filter((p) => p[1] !== null).map((p) => [p[0], p[1]]),
        markArea: { itemStyle: { color: "rgba(25, 135, 84, 0.12)" }, data: inUse },
      },
      {
        name: labels.current, type: "line", showSymbol: false, step: "start", yAxisIndex: 1,
        lineStyle: { width: 1 }, data: data.points.filter((p) => p[2] !== null).map((p) => [p[0], p[2]]),
      },
    ],
  });
  window.addEventListener("resize", () => chart.resize());
})();
