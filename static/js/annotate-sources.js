// The claim form's sources: rows of url, title, note and stance, numbered sources-0-url, …
// as the HTML form posts them; there is always one empty row at the end to type into. Each
// row keeps its excerpts as JSON in a hidden field (shown as quotes with ×) and, once the
// claim is saved and the source captured, offers "Read and excerpt" (evidence pages).
import { form, state } from "./annotate-state.js";

const FIELDS = "input, select";

function labels() {
  const list = form.querySelector(".source-rows");
  return list && list.dataset.labels ? JSON.parse(list.dataset.labels) : {};
}

export function sourceRows() {
  return Array.from(form.querySelectorAll(".source-row"));
}

const part = (el) => el.name.split("-").pop();

function renumberSources() {
  sourceRows().forEach((row, i) => {
    for (const input of row.querySelectorAll(FIELDS)) {
      const name = part(input);
      input.name = `sources-${i}-${name}`;
      input.id = `f-src-${i}-${name}`;
    }
    for (const label of row.querySelectorAll("label")) {
      label.htmlFor = `f-src-${i}-${label.htmlFor.split("-").pop()}`;
    }
  });
}

function field(row, name) {
  return row.querySelector(`[name$="-${name}"]`);
}

function readExcerpts(row) {
  const input = field(row, "excerpts");
  try {
    const list = JSON.parse((input && input.value) || "[]");
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

// the row's quotes, each with × to remove it; "Read and excerpt" for a saved claim's
// captured source
function showEvidence(row) {
  const list = row.querySelector(".source-excerpts");
  if (list) {
    list.replaceChildren();
    readExcerpts(row).forEach((excerpt, i) => {
      const li = document.createElement("li");
      const q = document.createElement("q");
      q.textContent = excerpt.quote;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "small remove-excerpt";
      remove.dataset.index = String(i);
      remove.textContent = "×";
      remove.title = remove.ariaLabel = labels().remove || "×";
      li.append(q, " ", remove);
      list.append(li);
    });
  }
  const read = row.querySelector(".read-excerpt");
  if (read) {
    const sourceId = (field(row, "source_id") || {}).value;
    const claim = form.dataset.mode === "edit" ? form.dataset.annotationId : "";
    read.hidden = !(sourceId && claim);
    read.href = read.hidden ? "#" : `/sources/${encodeURIComponent(sourceId)}/read?claim=${encodeURIComponent(claim)}`;
  }
}

function fill(row, values) {
  for (const input of row.querySelectorAll(FIELDS)) {
    const name = part(input);
    if (name === "excerpts") input.value = JSON.stringify(values.excerpts || []);
    else input.value = values[name] ?? "";
  }
  showEvidence(row);
}

export function addSourceRow(values = {}) {
  const rows = sourceRows();
  const row = rows[rows.length - 1].cloneNode(true);
  rows[rows.length - 1].after(row);
  renumberSources();
  fill(row, values);
  return row;
}

export function removeSourceRow(row) {
  if (sourceRows().length > 1) row.remove();
  else fill(row, {});
  renumberSources();
}

export function setSources(list) {
  const rows = sourceRows();
  rows.slice(1).forEach((r) => r.remove());
  fill(rows[0], {});
  list.forEach((source, i) => {
    const row = i === 0 ? rows[0] : addSourceRow();
    fill(row, source);
  });
  addSourceRow();
}

// the filled rows, as the API takes them (the server finds the source by its address)
export function readSources() {
  const sources = [];
  for (const row of sourceRows()) {
    const get = (name) => ((field(row, name) || {}).value || "").trim();
    if (get("url") || get("title") || get("note")) {
      sources.push({
        url: get("url"),
        title: get("title"),
        note: get("note"),
        stance: get("stance") || null,
        excerpts: readExcerpts(row),
      });
    }
  }
  return sources;
}

// × on an excerpt, and "Read and excerpt" (which leaves the page: save first)
form?.addEventListener("click", (event) => {
  const remove = event.target.closest(".remove-excerpt");
  if (remove) {
    const row = remove.closest(".source-row");
    const excerpts = readExcerpts(row);
    excerpts.splice(Number(remove.dataset.index), 1);
    field(row, "excerpts").value = JSON.stringify(excerpts);
    showEvidence(row);
    form.dispatchEvent(new Event("change", { bubbles: true })); // kept in the draft
    return;
  }
  const read = event.target.closest(".read-excerpt");
  if (read && state.dirty) {
    event.preventDefault();
    window.alert(labels().save_first);
  }
});

// rows the server rendered (a claim opened by its address, a form sent back)
if (form) sourceRows().forEach(showEvidence);
