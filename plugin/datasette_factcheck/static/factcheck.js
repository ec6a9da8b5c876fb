// datasette-factcheck: small enhancements on top of pages that work without
// script. Nothing is fetched; every action is a link, a field or a button
// already on the page.
(function () {
  "use strict";

  // --- keyboard shortcuts -------------------------------------------------
  // An element with data-fc-key="j" (or "ctrl+enter") is what that key does:
  // a link or button is clicked, a field is focused.
  function keyName(event) {
    const parts = [];
    if (event.ctrlKey || event.metaKey) parts.push("ctrl");
    if (event.shiftKey && event.key.length > 1) parts.push("shift");
    parts.push(event.key.toLowerCase());
    return parts.join("+");
  }

  function typingIn(target) {
    return target.closest && target.closest("input, textarea, select, [contenteditable]");
  }

  document.addEventListener("keydown", function (event) {
    const name = keyName(event);
    const modified = name.indexOf("+") !== -1;
    // Single letters are for reading; while typing they are text.
    if ((!modified && typingIn(event.target)) || event.altKey || event.defaultPrevented) return;
    const element = document.querySelector('[data-fc-key="' + name + '"]');
    if (!element) return;
    event.preventDefault();
    if (element.matches("input, textarea, select")) {
      element.focus();
    } else if (element.matches("button") && element.form) {
      element.form.requestSubmit(element);
    } else {
      element.click();
    }
  });

  // --- the queue ----------------------------------------------------------
  // A click anywhere on a row opens its claim, as its link does; links,
  // boxes and selected text keep their own meaning.
  document.addEventListener("click", function (event) {
    const row = event.target.closest && event.target.closest("tr[data-href]");
    if (!row || event.target.closest("a, input, label, button, select")) return;
    if (String(window.getSelection()).trim()) return;
    window.location.href = row.dataset.href;
  });

  function setUpBulk(bar) {
    const form = bar.closest("form");
    const boxes = Array.from(form.querySelectorAll('input[type=checkbox][name="ids"]'));
    const all = bar.querySelector("[data-fc-select-all]");
    const counter = bar.querySelector("[data-fc-selected]");
    function update() {
      const chosen = boxes.filter(function (box) { return box.checked; }).length;
      counter.textContent = chosen + " selected";
      all.checked = chosen === boxes.length && chosen > 0;
      all.indeterminate = chosen > 0 && chosen < boxes.length;
      bar.classList.toggle("fc-nothing-selected", chosen === 0);
    }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      update();
    });
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    all.closest("label").hidden = false;
    counter.hidden = false;
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".fc-bulk").forEach(setUpBulk);
  });
})();
