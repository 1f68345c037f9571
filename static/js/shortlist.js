/* The shortlist (directory/shortlist.py): up to N centers kept in this browser's
   localStorage while comparing; nothing is sent to our server except the address of the
   page that lists them (/shortlist/?centers=a,b). Without this script the buttons stay hidden. */
(function () {
  "use strict";
  var KEY = "shortlist";
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (error) {
    return; // storage blocked: no shortlist, the buttons stay hidden
  }
  var link = document.querySelector(".shortlist-link");
  var most = link ? parseInt(link.getAttribute("data-shortlist-max"), 10) : 5;

  function kept() {
    try {
      var slugs = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(slugs) ? slugs.filter(function (slug) { return typeof slug === "string"; }) : [];
    } catch (error) {
      return [];
    }
  }

  function draw() {
    var slugs = kept();
    document.querySelectorAll(".shortlist-toggle").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", slugs.indexOf(button.getAttribute("data-shortlist-slug")) >= 0 ? "true" : "false");
    });
    if (link) {
      link.hidden = slugs.length === 0;
      link.querySelector(".shortlist-count").textContent = String(slugs.length);
      var anchor = link.querySelector("a");
      anchor.href = anchor.pathname + (slugs.length ? "?centers=" + slugs.map(encodeURIComponent).join(",") : "");
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".shortlist-toggle");
    if (!button) {
      return;
    }
    var slug = button.getAttribute("data-shortlist-slug");
    var slugs = kept();
    var status = link && link.querySelector(".shortlist-status");
    if (status) {
      status.textContent = "";
    }
    if (slugs.indexOf(slug) >= 0) {
      slugs.splice(slugs.indexOf(slug), 1);
    } else if (slugs.length >= most) {
      if (link) {
        link.hidden = false;
        status.textContent = link.getAttribute("data-full");
      }
      return;
    } else {
      slugs.push(slug);
    }
    storage.setItem(KEY, JSON.stringify(slugs));
    draw();
  });
  document.addEventListener("search:updated", draw); // new cards from the live search
  window.addEventListener("storage", draw); // another tab changed the list
  draw();
})();
