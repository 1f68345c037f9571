/* A map of the current results, only when MAP_TILE_URL is set. The list is complete
   without it; this runs after the page is shown and tiles load on their own. */
(function () {
  "use strict";
  var map = null;

  function draw() {
    var element = document.getElementById("results-map");
    var data = document.getElementById("results-map-points");
    if (map) {
      map.remove();
      map = null;
    }
    if (!element || !data || !window.L) {
      return;
    }
    var points = JSON.parse(data.textContent);
    if (!points.length) {
      return;
    }
    element.hidden = false;
    map = window.L.map(element, { scrollWheelZoom: false });
    window.L.tileLayer(element.getAttribute("data-tiles"), {
      attribution: element.getAttribute("data-attribution"),
      maxZoom: 18
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.name;
      var popup = document.createElement("div");
      popup.appendChild(link);
      if (point.distance !== null) {
        popup.appendChild(document.createTextNode(" · " + point.distance.toFixed(1) + " mi"));
      }
      window.L.marker([point.lat, point.lng], { title: point.name, alt: point.name }).addTo(map).bindPopup(popup);
      bounds.push([point.lat, point.lng]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
  }

  document.addEventListener("search:updated", draw);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
