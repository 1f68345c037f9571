// Center admin, treatment rows: show only the detail the row's treatment asks about (TMS
// variant for TMS, route for ketamine...). The treatment box carries the map, from
// CenterTreatment.DETAIL_FIELD_BY_TREATMENT. A detail that already holds a value stays shown,
// so nothing entered is ever hidden; without this script every row shows every detail.
(function () {
  "use strict";

  function filled(box) {
    var control = box.querySelector("select, input, textarea");
    return control && control.value !== "" && control.value !== "unknown";
  }

  function fit(row) {
    var select = row.querySelector('select[name$="-treatment"][data-detail-fields]');
    if (!select) {
      return;
    }
    var map = JSON.parse(select.getAttribute("data-detail-fields"));
    var wanted = map[select.value];
    map.all.forEach(function (name) {
      row.querySelectorAll(".fieldBox.field-" + name + ", .form-row.field-" + name).forEach(function (box) {
        box.hidden = name !== wanted && !filled(box);
      });
    });
    // A line whose every box is hidden goes too.
    row.querySelectorAll(".form-row").forEach(function (line) {
      var boxes = line.querySelectorAll(".fieldBox");
      if (boxes.length) {
        line.hidden = Array.prototype.every.call(boxes, function (box) { return box.hidden; });
      }
    });
  }

  function fitAll() {
    document.querySelectorAll(".inline-related").forEach(fit);
  }

  document.addEventListener("DOMContentLoaded", function () {
    fitAll();
    // The treatment box is an autocomplete (select2), which announces changes through jQuery only.
    var jq = window.django && window.django.jQuery;
    if (jq) {
      jq(document).on("change", 'select[name$="-treatment"]', function () {
        fit(this.closest(".inline-related"));
      });
    }
    document.addEventListener("formset:added", function (event) {
      fit(event.target);
    });
  });
})();
