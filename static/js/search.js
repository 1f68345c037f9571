/* Live search on /centers/: when a filter changes, fetch the results alone and put them
   in place, and update the address bar so the search stays bookmarkable. Without this
   script the form's "Show centers" button does the same with a full page load. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var results = document.getElementById("search-results");
  var panel = document.getElementById("search-panel");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 992px)").matches) {
    panel.open = true; // on wide screens the filters sit beside the results
  }
  if (!form || !results || !window.fetch || !window.URLSearchParams || !window.history.pushState) {
    return;
  }
  var heading = document.getElementById("results-heading");
  var status = document.getElementById("results-status");
  var submit = form.querySelector(".search-submit .btn");
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 991.98px)") : { matches: false };

  // "Show 12 centers": the count of the search as the filters now stand (the server words it).
  function labelSubmit() {
    var shown = results.querySelector(".results");
    if (submit && shown && shown.getAttribute("data-show-label")) {
      submit.textContent = shown.getAttribute("data-show-label");
    }
  }
  labelSubmit();
  var controller = null;
  // The search the page shows now. A link to a fragment of this page (the skip link)
  // fires popstate too; only a different search needs the server.
  var shownSearch = window.location.pathname + window.location.search;

  // The server leaves the default radius out of its links (directory/search/params.py); so do we.
  var defaultRadius = form.getAttribute("data-default-radius");

  function searchUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "" && !(key === "radius" && value === defaultRadius)) {
        params.append(key, value);
      }
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  // The place box sits outside the redrawn results: say whether the new search could use it.
  function markPlace(invalid) {
    var near = document.getElementById("search-near");
    if (!near) {
      return;
    }
    near.classList.toggle("is-invalid", invalid);
    if (invalid) {
      near.setAttribute("aria-invalid", "true");
    } else {
      near.removeAttribute("aria-invalid");
    }
  }

  // A box or menu that changes keeps the focus (people often tick several) and the new count
  // is announced; a submitted search (the button, or Enter in the place box) closes the
  // filters on a phone and takes the focus to the results' heading.
  function show(url, submitted) {
    if (controller) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    results.classList.add("is-loading");
    results.setAttribute("aria-busy", "true");
    fetch(url, {
      headers: { "X-Requested-With": "search-results" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        results.innerHTML = html;
        var fresh = results.querySelector(".results");
        if (fresh) {
          heading.textContent = fresh.getAttribute("data-heading");
          document.title = fresh.getAttribute("data-title");
          status.textContent = fresh.getAttribute("data-status");
          markPlace(fresh.getAttribute("data-near-invalid") === "true");
        }
        labelSubmit();
        if (window.location.pathname + window.location.search !== url) {
          window.history.pushState({ liveSearch: true }, "", url);
        }
        shownSearch = window.location.pathname + window.location.search;
        if (submitted) {
          if (panel && narrow.matches) {
            panel.open = false;
          }
          heading.focus();
        }
        document.dispatchEvent(new CustomEvent("search:updated"));
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          window.location.assign(url); // let the server answer the ordinary way
        }
      })
      .then(function () {
        results.classList.remove("is-loading");
        results.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    // Typed text waits for Enter or the button; boxes and menus apply at once.
    if (event.target.type === "text" || event.target.type === "search") {
      return;
    }
    show(searchUrl());
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(searchUrl(), true);
  });
  window.addEventListener("popstate", function () {
    if (window.location.pathname + window.location.search !== shownSearch) {
      window.location.reload(); // the form must match the address again: let the server draw both
    }
  });
})();
