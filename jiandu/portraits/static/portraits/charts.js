/* Charts of the portrait pages, drawn with the locally served ECharts. Data comes from json_script blocks. */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var radarEl = document.getElementById("radar");
  if (radarEl && window.echarts) {
    var years = data(radarEl.dataset.source) || [];
    var latest = years[years.length - 1];
    if (latest) {
      var chart = echarts.init(radarEl);
      chart.setOption({
        title: { text: latest.year + " 年度多方评价", left: "center", textStyle: { fontSize: 14 } },
        tooltip: {},
        legend: { bottom: 0, data: latest.raters.map(function (r) { return r.rater; }) },
        radar: { indicator: [
          { name: "廉洁自律", max: 100 }, { name: "履职尽责", max: 100 },
          { name: "作风建设", max: 100 }, { name: "家风建设", max: 100 }] },
        series: [{ type: "radar", data: latest.raters.map(function (r) {
          return { name: r.rater, value: [r.integrity, r.duty, r.conduct, r.family_ethos || 0] };
        }) }]
      });
    }
  }
})();
(function () {
  "use strict";
  var el = document.getElementById("petition-chart");
  if (!el || !window.echarts) { return; }
  var source = JSON.parse(document.getElementById(el.dataset.source).textContent).petitions || {};
  var keys = Object.keys(source);
  echarts.init(el).setOption({
    tooltip: {}, xAxis: { type: "category", data: keys }, yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: keys.map(function (k) { return source[k]; }), itemStyle: { color: "#b71c1c" } }]
  });
})();
(function () {
  "use strict";
  var el = document.getElementById("month-chart");
  if (!el || !window.echarts) { return; }
  var months = JSON.parse(document.getElementById(el.dataset.source).textContent).months || [];
  echarts.init(el).setOption({
    tooltip: {}, xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", data: months.map(function (m) { return m.n; }), itemStyle: { color: "#b71c1c" } }]
  });
})();
