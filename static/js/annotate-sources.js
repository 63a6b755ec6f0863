// The claim form's sources: rows of url, title and note, numbered sources-0-url, … as the
// HTML form posts them; there is always one empty row at the end to type into.
import { form } from "./annotate-state.js";

export function sourceRows() {
  return Array.from(form.querySelectorAll(".source-row"));
}

function renumberSources() {
  sourceRows().forEach((row, i) => {
    for (const input of row.querySelectorAll("input")) {
      const part = input.name.split("-").pop();
      input.name = `sources-${i}-${part}`;
      input.id = `f-src-${i}-${part}`;
    }
    for (const label of row.querySelectorAll("label")) {
      label.htmlFor = `f-src-${i}-${label.htmlFor.split("-").pop()}`;
    }
  });
}

export function addSourceRow(values = {}) {
  const rows = sourceRows();
  const row = rows[rows.length - 1].cloneNode(true);
  for (const input of row.querySelectorAll("input")) input.value = values[input.name.split("-").pop()] || "";
  rows[rows.length - 1].after(row);
  renumberSources();
  return row;
}

export function removeSourceRow(row) {
  if (sourceRows().length > 1) row.remove();
  else for (const input of row.querySelectorAll("input")) input.value = "";
  renumberSources();
}

export function setSources(list) {
  const rows = sourceRows();
  rows.slice(1).forEach((r) => r.remove());
  for (const input of rows[0].querySelectorAll("input")) input.value = "";
  list.forEach((source, i) => {
    const row = i === 0 ? rows[0] : addSourceRow();
    for (const input of row.querySelectorAll("input")) input.value = source[input.name.split("-").pop()] || "";
  });
  addSourceRow();
}

// the filled rows, as the API takes them
export function readSources() {
  const sources = [];
  for (const row of sourceRows()) {
    const get = (part) => row.querySelector(`input[name$="-${part}"]`).value.trim();
    if (get("url") || get("title") || get("note")) sources.push({ url: get("url"), title: get("title"), note: get("note") });
  }
  return sources;
}
