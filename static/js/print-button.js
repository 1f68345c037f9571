// Shows the "Print this checklist" button (hidden without JavaScript) and wires it to print.
document.querySelectorAll("[data-print-button]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
  var hint = document.querySelector("[data-print-hint]");
  if (hint) { hint.hidden = true; }
});
