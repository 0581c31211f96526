// Small progressive enhancement for the case form: "Add ..." clones the last row of a repeating group
// (a table body or a list of panels), renumbering its inputs (emg[3].side -> emg[4].side) and clearing them.
document.addEventListener("click", function (ev) {
  var btn = ev.target.closest("button.add-row");
  if (!btn) return;
  var box = document.getElementById(btn.dataset.target);
  var last = box.lastElementChild;
  var row = last.cloneNode(true);
  row.querySelectorAll("[name]").forEach(function (el) {
    el.name = el.name.replace(/\[(\d+)\]/, function (_, i) { return "[" + (Number(i) + 1) + "]"; });
    if (el.id) el.id = el.name;
    if (el.type === "checkbox") el.checked = false;
    else if (el.tagName === "SELECT") el.selectedIndex = 0;
    else if (el.type !== "hidden") el.value = "";
  });
  row.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
  row.querySelectorAll(".invalid").forEach(function (el) { el.classList.remove("invalid"); });
  box.appendChild(row);
});
