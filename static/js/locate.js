/* "Use my location" (templates/includes/use_my_location.html). The browser is asked for the
   position only when the person taps the button; it is rounded here to 2 decimals of a
   degree (about 1 km) and only that rounded pair is put in the place box and sent. */
(function () {
  "use strict";
  if (!navigator.geolocation) {
    return; // the button stays hidden
  }

  function reveal() {
    document.querySelectorAll(".use-location[hidden]").forEach(function (box) {
      var field = document.getElementById(box.getAttribute("data-locate-field"));
      if (field && field.form) {
        box.hidden = false;
      }
    });
  }

  function locate(box) {
    var field = document.getElementById(box.getAttribute("data-locate-field"));
    var button = box.querySelector("button");
    var status = box.querySelector("[role=status]");
    button.disabled = true;
    status.textContent = box.getAttribute("data-asking");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        field.value = position.coords.latitude.toFixed(2) + "," + position.coords.longitude.toFixed(2);
        status.textContent = "";
        button.disabled = false;
        if (field.form.requestSubmit) {
          field.form.requestSubmit(); // the live search (static/js/search.js) takes it from here
        } else {
          field.form.submit();
        }
      },
      function () {
        button.disabled = false;
        status.textContent = box.getAttribute("data-failed");
        field.focus();
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".use-location-button");
    if (button) {
      locate(button.closest(".use-location"));
    }
  });
  document.addEventListener("search:updated", reveal); // the live search redraws the results
  reveal();
})();
