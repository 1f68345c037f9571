/* The header menu is a <details>: it opens and closes without this script. On wide screens
   it is always open; browsers that cannot show a closed <details>' content with CSS
   (no ::details-content) get it opened here, and it closes again below that width. */
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  if (!menu || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 992px)");
  function fit() {
    menu.open = wide.matches;
  }
  fit();
  if (wide.addEventListener) {
    wide.addEventListener("change", fit);
  }
})();
