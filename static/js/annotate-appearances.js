// The claim form's "When and where": the claim's date and medium, and its appearances, rows
// of url, date and note numbered appearances-0-url, … as the HTML form posts them, with one
// empty row at the end to type into. The radio appearances-first names the first
// appearance's row ("": none known; the earliest date is never marked on its own).
import { form } from "./annotate-state.js";

const PARTS = ["url", "date", "note"];

export function appearanceRows() {
  return Array.from(form.querySelectorAll(".appearance-row"));
}

function input(row, name) {
  return row.querySelector(`[name$="-${name}"]`);
}

function radio(row) {
  return row.querySelector('input[name="appearances-first"]');
}

function renumber() {
  appearanceRows().forEach((row, i) => {
    for (const name of PARTS) {
      const el = input(row, name);
      el.name = `appearances-${i}-${name}`;
      el.id = `f-app-${i}-${name}`;
      const label = row.querySelector(`label[for$="-${name}"]`);
      if (label) label.htmlFor = el.id;
    }
    radio(row).value = String(i);
  });
}

function fill(row, values) {
  for (const name of PARTS) input(row, name).value = values[name] ?? "";
  radio(row).checked = Boolean(values.first);
}

export function addAppearanceRow(values = {}) {
  const rows = appearanceRows();
  const row = rows[rows.length - 1].cloneNode(true);
  fill(row, values); // before it joins the radio group: a checked copy would steal the mark
  rows[rows.length - 1].after(row);
  renumber();
  return row;
}

function removeAppearanceRow(row) {
  if (appearanceRows().length > 1) row.remove();
  else fill(row, {});
  renumber();
  markNone();
}

// "First appearance not known" is checked whenever no row is
function markNone() {
  const none = form.querySelector(".no-first input");
  if (none && !appearanceRows().some((row) => radio(row).checked)) none.checked = true;
}

export function setWhenWhere(values) {
  form.elements.claim_date.value = values.claim_date ?? "";
  form.elements.claim_medium.value = values.claim_medium ?? "";
  const list = values.appearances || [];
  const rows = appearanceRows();
  rows.slice(1).forEach((r) => r.remove());
  fill(rows[0], {});
  list.forEach((appearance, i) => fill(i === 0 ? rows[0] : addAppearanceRow(), appearance));
  addAppearanceRow();
  markNone();
  // folded unless it holds something
  form.querySelector("#when-where").open = Boolean(values.claim_date || values.claim_medium || list.length);
}

// the filled rows, as the API takes them
export function readAppearances() {
  const found = [];
  for (const row of appearanceRows()) {
    const get = (name) => input(row, name).value.trim();
    if (get("url") || get("date") || get("note")) {
      found.push({ url: get("url"), date: get("date") || null, note: get("note"), first: radio(row).checked });
    }
  }
  return found;
}

export function readWhenWhere(f) {
  return {
    claim_date: f.get("claim_date") || null,
    claim_medium: f.get("claim_medium") || null,
    appearances: readAppearances(),
  };
}

form?.addEventListener("click", (event) => {
  if (event.target.closest(".add-appearance")) {
    addAppearanceRow().querySelector("input").focus();
    return;
  }
  const remove = event.target.closest(".remove-appearance");
  if (remove) {
    removeAppearanceRow(remove.closest(".appearance-row"));
    form.dispatchEvent(new Event("change", { bubbles: true })); // kept in the draft
  }
});
