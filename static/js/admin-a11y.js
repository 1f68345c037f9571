// Django admin's autocomplete boxes (select2) type into a search field that has no label,
// which screen readers announce as a nameless text box. Name each after its form field.
(function () {
  "use strict";

  function fieldLabel(input) {
    var container = input.closest(".select2-container");
    var select = container && container.previousElementSibling;
    var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "Search";
  }

  function labelSearchFields() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", fieldLabel(input));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelSearchFields();
    // select2 re-creates the field whenever a choice is added or removed.
    new MutationObserver(labelSearchFields).observe(document.body, { childList: true, subtree: true });
  });
})();
