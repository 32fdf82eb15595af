/* Relationship graph: force layout, click a company or unit to expand it, alert evidence edges in red. */
(function () {
  "use strict";
  var el = document.getElementById("graph");
  if (!el || !window.echarts) { return; }
  var chart = echarts.init(el);
  var nodes = {}, edges = {};
  var colours = { official: "#b71c1c", relative: "#ef6c00", company: "#1565c0", tender: "#2e7d32", contract: "#2e7d32", unit: "#6a1b9a", person: "#546e7a" };
  var names = { official: "干部", relative: "亲属", company: "企业", tender: "项目", contract: "合同", unit: "单位", person: "人员" };
  function query(extra) {
    var form = document.getElementById("graph-filter");
    var p = new URLSearchParams(new FormData(form));
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return el.dataset.url + "?" + p.toString();
  }
  function merge(data) {
    data.nodes.forEach(function (n) { nodes[n.id] = nodes[n.id] || n; if (n.label !== n.id.slice(2)) { nodes[n.id].label = n.label; } });
    data.edges.forEach(function (e) { edges[e.source + "|" + e.target + "|" + e.label] = e; });
  }
  function draw() {
    var kinds = Object.keys(names);
    chart.setOption({
      tooltip: { formatter: function (p) {
        if (p.dataType === "edge") { var e = p.data.raw; return e.label + (e.start ? "：" + e.start + " — " + (e.end || "") : ""); }
        return names[p.data.kind] + "：" + p.data.name; } },
      legend: { data: kinds.map(function (k) { return names[k]; }) },
      series: [{
        type: "graph", layout: "force", roam: true, draggable: true,
        force: { repulsion: 220, edgeLength: 90 },
        categories: kinds.map(function (k) { return { name: names[k], itemStyle: { color: colours[k] } }; }),
        label: { show: true, position: "right", fontSize: 11 },
        edgeLabel: { show: true, fontSize: 10, formatter: function (p) { return p.data.raw.label; } },
        data: Object.values(nodes).map(function (n) {
          return { id: n.id, name: n.label, kind: n.kind, category: kinds.indexOf(n.kind), symbolSize: n.root ? 36 : 20 };
        }),
        links: Object.values(edges).map(function (e) {
          return { source: e.source, target: e.target, raw: e, lineStyle: { color: e.alert ? "#c62828" : "#9aa0a6", width: e.alert ? 3 : 1 } };
        })
      }]
    }, true);
  }
  function load(extra) {
    return fetch(query(extra), { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) { merge(data); draw(); });
  }
  chart.on("click", function (p) {
    if (p.dataType !== "node") { return; }
    var id = p.data.id;
    if (id.indexOf("C:") === 0) { load({ expand: "company:" + id.slice(2) }); }
    if (id.indexOf("U:") === 0) { load({ expand: "unit:" + id.slice(2) }); }
  });
  document.getElementById("graph-filter").addEventListener("submit", function (ev) {
    ev.preventDefault(); nodes = {}; edges = {}; load();
  });
  load();
})();
