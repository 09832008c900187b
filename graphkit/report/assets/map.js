/* netscan: draws the graph in #netscan-graph with vis-network, with positions computed by
   netscan and physics off. Nothing from the data is ever parsed as HTML: tooltips are DOM
   text nodes, whatever the vis-network version does with title strings. */
(function () {
  "use strict";
  var graph = JSON.parse(document.getElementById("netscan-graph").textContent);

  // The first line (the name) in bold, the rest as it is: text nodes only.
  function withTextTooltip(item) {
    if (typeof item.title === "string") {
      var lines = item.title.split("\n");
      var tooltip = document.createElement("div");
      var heading = document.createElement("strong");
      tooltip.className = "netscan-tooltip";
      heading.textContent = lines[0];
      tooltip.appendChild(heading);
      tooltip.appendChild(document.createTextNode("\n" + lines.slice(1).join("\n")));
      item.title = tooltip;
    }
    return item;
  }

  var network = new vis.Network(
    document.getElementById("netscan-map"),
    {
      nodes: new vis.DataSet(graph.nodes.map(withTextTooltip)),
      edges: new vis.DataSet(graph.edges.map(withTextTooltip))
    },
    graph.options
  );
  // Labels are measured in the first drawing; fitting before it would cut them off.
  window.netscanMap = network; // for scripts that drive the page, such as the browser tests
  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    // fit() counts the shapes only: zoom out a little so that long labels at the edges show.
    network.moveTo({ scale: network.getScale() * 0.9, animation: false });
    document.body.setAttribute("data-map-drawn", "true");
  });
  window.addEventListener("beforeprint", function () {
    network.redraw();
    network.fit();
  });
})();
