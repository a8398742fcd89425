/* The case page's sections (issue 16, item 3): one open at a time, and the open one kept in
   the address so that a reload or the back button returns to it. Without this script every
   section is still a working <details> element and ?section= opens one. */
(function () {
  "use strict";
  function start() {
    var sections = document.querySelectorAll("details.case-section");
    if (!sections.length) { return; }
    function remember(section) {
      if (!window.history || !window.history.replaceState) { return; }
      var url = new URL(window.location.href);
      url.searchParams.set("section", section.getAttribute("data-section"));
      url.hash = section.id;
      window.history.replaceState(null, "", url.toString());
    }
    sections.forEach(function (section) {
      section.addEventListener("toggle", function () {
        if (!section.open) { return; }
        sections.forEach(function (other) {
          if (other !== section && other.open) { other.open = false; }
        });
        remember(section);
      });
    });
    document.documentElement.classList.add("case-sections-js");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
