// Progressive enhancement of the clinic pages (no inline handlers: the Content-Security-Policy forbids them).
// Without JavaScript the pages still work: the server applies the same defaults and checks.
(function () {
  "use strict";

  // Print buttons (visit and patient pages).
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("button[data-print]")) window.print();
  });

  var form = document.querySelector("form.case-form");
  if (!form) return;

  // The error summary takes the focus, so a screen reader announces it and Tab reaches its links first.
  var summary = document.getElementById("errors");
  if (summary) summary.focus();

  // Enter in a field never submits the case form (a half-entered visit was saved that way); it only
  // moves on, like Tab. Buttons, links and text areas keep their own Enter.
  form.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var el = ev.target;
    if (el.tagName === "TEXTAREA" || el.tagName === "BUTTON" || el.type === "submit" || el.type === "button") return;
    ev.preventDefault();
  });

  function examined(regionRow) {
    var state = regionRow && regionRow.querySelector("select[name$='.examined']");
    if (state && state.value !== "yes") state.value = "yes";
    if (regionRow) regionRow.classList.remove("copied");
  }

  form.addEventListener("change", function (ev) {
    var el = ev.target;
    var region = el.closest("tr.region");
    // A ticked sign marks its region examined; "examined" without signs means examined, normal.
    if (region && el.matches("input[data-sign]") && el.checked) examined(region);
    // One tongue control: its fasciculations and wasting are the bulbar LMN signs.
    if (el.name === "exam.tongue" && el.value) {
      var signs = { fasciculations: ["fasciculations"], wasting: ["atrophy"], fasciculations_and_wasting: ["fasciculations", "atrophy"] };
      (signs[el.value] || []).forEach(function (code) {
        var box = form.querySelector("input[name='exam.bulbar.lmn'][value='" + code + "']");
        if (box) box.checked = true;
      });
      examined(form.querySelector("tr[data-region='bulbar']"));
    }
    if (el.name && /^emg\[\d+\]\.muscle$/.test(el.name)) fillNerve(el);
    if (el.closest("[data-alsfrs]")) alsfrsTotals(el.closest("[data-alsfrs]"));
    if (/^(birth_date|age_at_onset|symptom_onset|assessment_date)$/.test(el.name)) ageNow();
  });

  // The nerve of a table muscle is suggested from the muscle table (kept when the clinician typed one).
  function fillNerve(select) {
    var nerve = form.querySelector("[name='" + select.name.replace(".muscle", ".nerve") + "']");
    var option = select.selectedOptions[0];
    if (!nerve || !option) return;
    if (!nerve.value || nerve.dataset.auto === "1") {
      nerve.value = option.dataset.nerve || "";
      nerve.dataset.auto = "1";
    }
  }
  form.addEventListener("input", function (ev) {
    if (ev.target.name && /\.nerve$/.test(ev.target.name)) ev.target.dataset.auto = "0";
    if (ev.target.classList.contains("quick")) quickScores(ev.target);
  });

  // ALSFRS-R: the 12 scores typed in one field fill the item selects; the total and the four domain
  // subscores (bulbar 1-3, fine motor 4-6, gross motor 7-9, respiratory 10-12) follow every change.
  function quickScores(input) {
    var digits = input.value.replace(/[\s,;]/g, "");
    var box = input.closest("[data-alsfrs]");
    if (!/^[0-4]{12}$/.test(digits)) return;
    box.querySelectorAll("select[data-domain]").forEach(function (sel, i) { sel.value = digits[i]; });
    alsfrsTotals(box);
  }
  function alsfrsTotals(box) {
    var sums = { total: 0 };
    var scored = 0;
    box.querySelectorAll("select[data-domain]").forEach(function (sel) {
      var d = sel.dataset.domain;
      sums[d] = sums[d] || 0;
      if (sel.value !== "") { sums[d] += Number(sel.value); sums.total += Number(sel.value); scored += 1; }
    });
    box.querySelector("[data-total]").textContent = sums.total + (scored < 12 ? " (" + scored + " of 12 scored)" : "");
    box.querySelectorAll("[data-domain-total]").forEach(function (out) {
      out.textContent = sums[out.dataset.domainTotal] || 0;
    });
  }

  // Age at this visit, beside the age at onset (shown, not stored).
  function ageNow() {
    var out = document.getElementById("age-now");
    var seen = form.elements.assessment_date.value;
    var born = form.elements.birth_date.value;
    var onsetAge = form.elements.age_at_onset.value;
    var onset = form.elements.symptom_onset.value;
    var years = null;
    if (seen && born) {
      var s = new Date(seen), b = new Date(born);
      years = s.getFullYear() - b.getFullYear() - ((s.getMonth() < b.getMonth() || (s.getMonth() === b.getMonth() && s.getDate() < b.getDate())) ? 1 : 0);
    } else if (seen && onset && onsetAge !== "") {
      years = Math.floor(Number(onsetAge) + (new Date(seen) - new Date(onset)) / (365.25 * 86400000));
    }
    out.textContent = years === null || isNaN(years) ? "—" : String(years);
  }

  document.addEventListener("click", function (ev) {
    // "NCS normal": no conduction block, normal sensory conduction, no demyelinating slowing.
    if (ev.target.closest("button.ncs-normal")) {
      ["ncs.motor_conduction_block", "ncs.sensory_abnormal", "ncs.slowed_conduction_demyelinating"].forEach(function (n) {
        if (form.elements[n]) form.elements[n].value = "no";
      });
    }
    // Findings copied from the previous visit become findings of this visit.
    if (ev.target.closest("button.confirm-copied")) {
      form.querySelectorAll("tr.region select[name$='.examined']").forEach(function (sel) {
        if (sel.value === "copied") examined(sel.closest("tr.region"));
      });
      form.querySelectorAll("input[name$='.copied']").forEach(function (el) {
        var row = el.closest("tr");
        el.remove();
        if (row) { row.classList.remove("copied"); var f = row.querySelector(".copied-flag"); if (f) f.remove(); }
      });
      var note = document.getElementById("copied-note");
      if (note) note.textContent = "Copied findings confirmed for this visit.";
    }
    // "Add ..." clones the last row of a repeating group, renumbers its inputs (emg[3].side -> emg[4].side),
    // resets them to their defaults and moves the focus into the new row.
    var btn = ev.target.closest("button.add-row");
    if (!btn) return;
    var box = document.getElementById(btn.dataset.target);
    var row = box.lastElementChild.cloneNode(true);
    row.classList.remove("copied");
    row.querySelectorAll(".field-error, .copied-flag, input[name$='.copied']").forEach(function (el) { el.remove(); });
    row.querySelectorAll("[name]").forEach(function (el) {
      el.name = el.name.replace(/\[(\d+)\]/, function (_, i) { return "[" + (Number(i) + 1) + "]"; });
      if (el.id) el.id = el.name;
      el.removeAttribute("aria-invalid");
      el.removeAttribute("aria-describedby");
      el.classList.remove("invalid");
      if (el.type === "checkbox") el.checked = false;
      else if (el.tagName === "SELECT") {
        var preset = el.querySelector("option[data-default]");
        el.value = preset ? preset.value : el.options[0].value;
      } else if (el.type !== "hidden") { el.value = ""; delete el.dataset.auto; }
    });
    box.appendChild(row);
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  });
})();
