/* The pre-departure checklist: ticks are kept in this browser (localStorage), never sent. */
(function () {
  "use strict";
  var form = document.getElementById("checklist");
  if (!form) { return; }
  var key = form.getAttribute("data-storage-key");
  var boxes = form.querySelectorAll("input[type=checkbox]");
  var progress = document.getElementById("checklist-progress");
  var clear = document.getElementById("checklist-clear");

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }
  function save(state) {
    try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }
  function show() {
    var done = 0;
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { done++; } }
    var text = progress.getAttribute("data-template")
      .replace("{done}", String(done)).replace("{total}", String(boxes.length));
    if (done === boxes.length) { text += " " + progress.getAttribute("data-complete"); }
    progress.textContent = text;
    progress.hidden = false;
    clear.hidden = done === 0;
  }

  var state = load();
  for (var i = 0; i < boxes.length; i++) {
    boxes[i].checked = state[boxes[i].name] === true;
    boxes[i].addEventListener("change", function (event) {
      var current = load();
      current[event.target.name] = event.target.checked;
      save(current);
      show();
    });
  }
  clear.addEventListener("click", function () {
    save({});
    for (var j = 0; j < boxes.length; j++) { boxes[j].checked = false; }
    show();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  show();
})();
