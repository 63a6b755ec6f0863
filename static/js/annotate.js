// The annotate page: highlights, selection → claim form, claim view, keyboard shortcuts.
import { api, ApiError, newIdempotencyKey } from "./api.js";
import { draftStore } from "./drafts.js";
import { watchLimits } from "./limits.js";
import { fetchClaims, hideSpotList, showSpotList } from "./spots.js";
import { cleanSpan, cpLength, cpsToUtf16, fullText, paragraphs, rangeToOffsets } from "./selection.js";

const data = JSON.parse(document.getElementById("annotate-data").textContent);
const root = document.getElementById("article-text");
const panel = document.getElementById("panel");
const form = document.getElementById("claim-form");
const empty = document.getElementById("panel-empty");
const L = data.labels;
document.documentElement.classList.add("js");

// spans: [id, start, end, verdict, status, mine]
let spans = data.spans.map(([id, start, end, verdict, status, mine]) => ({ id, start, end, verdict, status, mine: !!mine }));
let codePoints = null; // the text as an array of code points, built on first selection
let activeId = null;
// create exactly once: one Idempotency-Key per opening of the form, no second request in flight
let formKey = null;
let busy = false;
// drafts survive: the form's content is kept as it is typed; leaving with changes asks first
let dirty = false;
const drafts = draftStore(data.user, data.article_id);
const limits = form ? watchLimits(form, data.limits, L) : null;
const spotList = document.getElementById("spot-list");

// --- highlights: one pass over paragraphs and span boundaries ------------------------

function segmentClass(cover) {
  // the innermost (shortest) span gives the colour; depth and own states add marks
  let inner = cover[0];
  for (const s of cover) if (s.end - s.start < inner.end - inner.start) inner = s;
  let cls = `hl v-${inner.verdict || "none"} depth-${Math.min(cover.length, 3)}`;
  if (cover.some((s) => s.mine && s.status === "draft")) cls += " own-draft";
  if (cover.some((s) => s.mine && s.status === "rejected")) cls += " own-rejected";
  return cls;
}

export function renderHighlights() {
  performance.mark("highlights-start");
  const sorted = spans.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  let next = 0;
  let active = [];
  for (const p of paragraphs(root)) {
    const text = p.textContent;
    const pStart = Number(p.dataset.start);
    const pEnd = pStart + cpLength(text);
    while (next < sorted.length && sorted[next].start < pEnd) active.push(sorted[next++]);
    active = active.filter((s) => s.end > pStart);
    const here = active.filter((s) => s.start < pEnd);
    if (!here.length) {
      if (p.childElementCount) p.textContent = text;
      continue;
    }
    const cuts = new Set([pStart, pEnd]);
    for (const s of here) {
      if (s.start > pStart) cuts.add(s.start);
      if (s.end < pEnd) cuts.add(s.end);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const u16 = cpsToUtf16(text, points.map((c) => c - pStart));
    const frag = document.createDocumentFragment();
    for (let i = 0; i < points.length - 1; i++) {
      const piece = text.slice(u16[i], u16[i + 1]);
      const cover = here.filter((s) => s.start <= points[i] && s.end >= points[i + 1]);
      if (!cover.length) {
        frag.append(piece);
        continue;
      }
      cover.sort((a, b) => a.end - a.start - (b.end - b.start));
      const el = document.createElement("span");
      el.className = segmentClass(cover);
      el.dataset.ids = cover.map((s) => s.id).join(" ");
      if (activeId !== null && cover.some((s) => s.id === activeId)) el.classList.add("active");
      el.textContent = piece;
      frag.append(el);
    }
    p.replaceChildren(frag);
  }
  performance.mark("highlights-painted");
  performance.measure("highlights", "highlights-start", "highlights-painted");
}

function markActive(id) {
  activeId = id;
  for (const el of root.querySelectorAll(".hl.active")) el.classList.remove("active");
  if (id === null) return;
  for (const el of root.querySelectorAll(".hl")) {
    if (el.dataset.ids.split(" ").includes(String(id))) el.classList.add("active");
  }
}

// --- the panel ----------------------------------------------------------------------

function showOnly(section) {
  for (const el of panel.querySelectorAll(".annotation-view, #claim-form, #panel-empty")) {
    el.hidden = el !== section;
  }
}

function setError(message, field) {
  const box = form.querySelector(".form-error");
  box.textContent = message || "";
  box.hidden = !message;
  for (const el of form.querySelectorAll(".has-error")) el.classList.remove("has-error");
  if (field) {
    const input = form.querySelector(`[name="${field}"], [name^="${field}-"]`);
    const holder = input && input.closest(".field");
    if (holder) holder.classList.add("has-error");
  }
}

function sourceRows() {
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

function addSourceRow(values = {}) {
  const rows = sourceRows();
  const row = rows[rows.length - 1].cloneNode(true);
  for (const input of row.querySelectorAll("input")) input.value = values[input.name.split("-").pop()] || "";
  rows[rows.length - 1].after(row);
  renumberSources();
  return row;
}

function setSources(list) {
  const rows = sourceRows();
  rows.slice(1).forEach((r) => r.remove());
  for (const input of rows[0].querySelectorAll("input")) input.value = "";
  list.forEach((source, i) => {
    const row = i === 0 ? rows[0] : addSourceRow();
    for (const input of row.querySelectorAll("input")) input.value = source[input.name.split("-").pop()] || "";
  });
  addSourceRow();
}

function readForm() {
  const f = new FormData(form);
  const sources = [];
  for (const row of sourceRows()) {
    const get = (part) => row.querySelector(`input[name$="-${part}"]`).value.trim();
    if (get("url") || get("title") || get("note")) sources.push({ url: get("url"), title: get("title"), note: get("note") });
  }
  return {
    start: Number(f.get("start")),
    end: Number(f.get("end")),
    quote: f.get("quote"),
    claim: f.get("claim"),
    claimant: f.get("claimant"),
    verdict: f.get("verdict") || null,
    rationale: f.get("rationale"),
    sources,
  };
}

function fillForm(values, mode, annotation) {
  form.dataset.mode = mode;
  form.dataset.annotationId = annotation ? annotation.id : "";
  form.querySelector("#claim-form-title").textContent = mode === "edit" ? L.edit : L.new;
  for (const name of ["start", "end", "quote", "claim", "claimant", "rationale"]) {
    form.elements[name].value = values[name] ?? "";
  }
  form.elements.version.value = annotation ? annotation.version : "";
  form.querySelector(".quote-text").textContent = values.quote;
  for (const radio of form.querySelectorAll('input[name="verdict"]')) radio.checked = radio.value === values.verdict;
  setSources(values.sources || []);
  setError("");
  formKey = mode === "create" ? newIdempotencyKey() : null;
  dirty = false;
  hideRestoredNote();
  limits.update();
  showOnly(form);
}

// --- drafts, leaving, feedback ------------------------------------------------------------

function keepDraft() {
  if (form.hidden) return; // a late "change" event of a field in a form just closed
  dirty = true;
  drafts.save({
    mode: form.dataset.mode,
    annotationId: form.dataset.annotationId || null,
    version: form.elements.version.value,
    key: formKey,
    values: readForm(),
  });
}

function forgetDraft() {
  dirty = false;
  drafts.clear();
  hideRestoredNote();
}

function hideRestoredNote() {
  const note = document.getElementById("draft-restored");
  if (note) note.hidden = true;
}

function restoreDraft() {
  const draft = drafts.load();
  if (!draft || !form) return false;
  const annotation = draft.mode === "edit" && draft.annotationId ? { id: draft.annotationId, version: draft.version } : null;
  fillForm(draft.values, annotation ? "edit" : "create", annotation);
  if (draft.key && !annotation) formKey = draft.key; // a create that may have reached the server
  dirty = true;
  const note = document.getElementById("draft-restored");
  note.querySelector("[data-f=when]").textContent = new Date(draft.savedAt).toLocaleString();
  note.hidden = false;
  markActive(annotation ? Number(annotation.id) : null);
  return true;
}

// Esc, Cancel: close the form, after asking when it holds unsaved changes
function closeForm() {
  if (form && !form.hidden && dirty && !window.confirm(L.confirm_discard)) return false;
  if (form && !form.hidden) forgetDraft();
  markActive(null);
  showOnly(empty);
  clearSpot();
  return true;
}

function announce(message) {
  const status = document.getElementById("panel-status");
  status.textContent = message;
  status.hidden = false;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => {
    status.hidden = true;
  }, 6000);
}

function setBusy(value) {
  busy = value;
  form.setAttribute("aria-busy", value ? "true" : "false");
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = value;
}

function openNewClaim(span) {
  markActive(null);
  if (dirty && !form.hidden && !window.confirm(L.confirm_discard)) return;
  // the claim starts empty: "use the quote" (Alt+Q) copies it on purpose
  fillForm({ ...span, claim: "", claimant: "", rationale: "", verdict: null, sources: [] }, "create");
  drafts.clear();
  form.elements.claim.focus();
  const under = spans.filter((s) => s.start < span.end && s.end > span.start).map((s) => s.id);
  if (under.length) listSpot(plural(under.length, L.overlap_one, L.overlap_other), under);
  else clearSpot();
}

function useQuote() {
  const claim = form.elements.claim;
  claim.value = form.elements.quote.value;
  claim.focus();
  claim.setSelectionRange(claim.value.length, claim.value.length);
  limits.update();
  keepDraft();
}

async function save(action) {
  if (busy) return; // a double-click or a second Ctrl+Enter while the first is on its way
  const over = limits.firstOver();
  if (over) {
    setError(over.message, over.name);
    form.elements[over.name].focus();
    return;
  }
  const values = readForm();
  const edit = form.dataset.mode === "edit";
  setBusy(true);
  try {
    let saved;
    if (edit) {
      const id = form.dataset.annotationId;
      saved = await api("PATCH", `/api/v1/annotations/${id}`, { ...values, version: Number(form.elements.version.value) });
      if (action === "submit" && saved.status !== "submitted") {
        saved = await api("POST", `/api/v1/annotations/${id}/submit`, { version: saved.version });
      }
    } else {
      const body = { ...values, status: action === "submit" ? "submitted" : "draft" };
      saved = await api("POST", `/api/v1/articles/${data.article_id}/annotations`, body, { "Idempotency-Key": formKey });
    }
    forgetDraft();
    upsertSpan(saved);
    showAnnotation(saved);
    announce(saved.status === "submitted" ? L.submitted_msg : L.saved);
    window.getSelection().removeAllRanges();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const field = err.body && err.body.error && err.body.error.field;
    setError(err.message, field);
  } finally {
    setBusy(false);
  }
}

// "3 claims": the counts on the page follow every save and delete, without a reload
function plural(n, one, other) {
  const form = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
  return (form === "one" ? one : other).replace("{n}", n.toLocaleString());
}

function updateCounts() {
  const meta = document.getElementById("claims-count");
  if (meta) meta.textContent = plural(spans.length, L.claims_one, L.claims_other);
  const total = document.getElementById("claims-total");
  if (total) total.textContent = spans.length ? `(${spans.length.toLocaleString()})` : "";
}

let spotRequest = 0; // only the latest list is shown, however the answers arrive

function clearSpot() {
  spotRequest++;
  hideSpotList(spotList);
}

function listSpot(heading, ids, { openFirst = false } = {}) {
  const request = ++spotRequest;
  hideSpotList(spotList); // the old list goes at once; the new one comes with its answers
  return fetchClaims(ids).then((claims) => {
    if (request !== spotRequest) return;
    showSpotList(spotList, heading, claims, {
      labels: L,
      verdicts: data.verdicts,
      activeId: activeId,
      onOpen: (a) => showAnnotation(a),
    });
    if (openFirst && claims.length) showAnnotation(claims[0]);
  });
}

function upsertSpan(a) {
  spans = spans.filter((s) => s.id !== a.id);
  if (a) spans.push({ id: a.id, start: a.start, end: a.end, verdict: a.verdict || "", status: a.status, mine: a.author === data.user });
  activeId = a.id;
  renderHighlights();
  updateCounts();
  // keep the list under the text in step with what was just saved
  const badge = document.querySelector(`#claim-${a.id} .badge`);
  if (badge) {
    badge.className = `badge badge-${a.status}`;
    badge.textContent = L[a.status] || a.status;
  }
}

// --- viewing an annotation -------------------------------------------------------------

function showAnnotation(a) {
  const view = document.getElementById("annotation-template").content.firstElementChild.cloneNode(true);
  view.id = `annotation-${a.id}`;
  const set = (f, text) => {
    view.querySelector(`[data-f="${f}"]`).textContent = text;
  };
  set("verdict", a.verdict ? data.verdicts[a.verdict] || a.verdict : L.none);
  view.querySelector(".verdict-chip").classList.add(`v-${a.verdict || "none"}`);
  const badge = view.querySelector('[data-f="status"]');
  badge.textContent = L[a.status] || a.status;
  badge.classList.add(`badge-${a.status}`);
  set("claim", a.claim);
  set("claimant", a.claimant);
  set("quote", a.quote);
  set("rationale", a.rationale);
  set("author", a.author);
  set("version", a.version);
  if (a.review_comment) {
    const p = view.querySelector('[data-f="review_comment"]');
    p.textContent = `${L.reviewer_said} ${a.review_comment}`;
    p.hidden = false;
  }
  const list = view.querySelector('[data-f="sources"]');
  for (const s of a.sources) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = s.url; // the server only stores http(s) addresses
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    link.textContent = s.title || s.url;
    li.append(link);
    if (s.note) li.append(` — ${s.note}`);
    list.append(li);
  }
  const history = view.querySelector('[data-f="history"]');
  for (const h of a.history) {
    const li = document.createElement("li");
    li.textContent = `${h.at.slice(0, 16).replace("T", " ")} · ${h.by} · ${h.from || "—"} → ${h.to}${h.comment ? " · " + h.comment : ""}`;
    history.append(li);
  }
  const mine = a.author === data.user;
  const editable = mine && a.status !== "approved";
  const actions = view.querySelector('[data-f="actions"]');
  actions.hidden = !editable;
  view.querySelector(".submit-claim").hidden = !(editable && (a.status === "draft" || a.status === "rejected"));
  view.querySelector(".delete-claim").hidden = !(editable && a.status === "draft");
  view.querySelector(".edit-claim").addEventListener("click", () => {
    fillForm(a, "edit", a);
    form.elements.claim.focus();
  });
  view.querySelector(".submit-claim").addEventListener("click", async () => {
    try {
      showAnnotation(await api("POST", `/api/v1/annotations/${a.id}/submit`, { version: a.version }));
      upsertSpan({ ...a, status: "submitted" });
      announce(L.submitted_msg);
    } catch (err) {
      fillForm(a, "edit", a);
      setError(err.message, err.body && err.body.error && err.body.error.field);
    }
  });
  view.querySelector(".delete-claim").addEventListener("click", async () => {
    if (!window.confirm(L.confirm_delete)) return;
    await api("DELETE", `/api/v1/annotations/${a.id}?version=${a.version}`);
    spans = spans.filter((s) => s.id !== a.id);
    activeId = null;
    renderHighlights();
    view.remove();
    showOnly(empty);
    clearSpot();
    updateCounts();
    announce(L.deleted);
  });
  for (const old of panel.querySelectorAll(".annotation-view")) old.remove();
  form.before(view);
  // hook for other modules (anchors.js adds the revision notice)
  document.dispatchEvent(new CustomEvent("annotation:shown", { detail: { annotation: a, view } }));
  showOnly(view);
  markActive(a.id);
  view.tabIndex = -1;
  view.focus({ preventScroll: true });
}

async function openAnnotation(id) {
  try {
    showAnnotation(await api("GET", `/api/v1/annotations/${id}`));
  } catch (err) {
    setError(err.message);
    showOnly(form);
  }
}

// --- events ---------------------------------------------------------------------------

function onSelection() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed || !form) return false;
  const offsets = rangeToOffsets(root, selection.getRangeAt(0));
  if (!offsets) return false;
  codePoints = codePoints || Array.from(fullText(root));
  const span = cleanSpan(codePoints, offsets.start, offsets.end);
  if (!span) return false;
  openNewClaim(span);
  return true;
}

root.addEventListener("mouseup", () => {
  // let the browser finish updating the selection first
  setTimeout(() => {
    if (onSelection()) return;
  }, 0);
});

root.addEventListener("click", (event) => {
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return;
  const hl = event.target.closest(".hl");
  if (!hl) return;
  const ids = hl.dataset.ids.split(" ").map(Number);
  if (ids.length === 1) {
    clearSpot();
    openAnnotation(ids[0]);
    return;
  }
  // several claims here: list them all, open the innermost
  if (!closeForm()) return;
  listSpot(plural(ids.length, L.spot_one, L.spot_other), ids, { openFirst: true });
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-annotation-id]");
  if (!link) return;
  event.preventDefault();
  history.replaceState(null, "", `#annotation-${link.dataset.annotationId}`);
  openAnnotation(Number(link.dataset.annotationId));
  const first = root.querySelector(`.hl[data-ids~="${link.dataset.annotationId}"]`);
  if (first) first.scrollIntoView({ block: "center" });
});

if (form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const action = event.submitter && event.submitter.value === "submit" ? "submit" : "draft";
    save(action);
  });
  form.addEventListener("input", keepDraft);
  form.addEventListener("change", keepDraft);
  form.addEventListener("click", (event) => {
    if (event.target.closest(".use-quote")) useQuote();
    if (event.target.closest(".add-source")) addSourceRow().querySelector("input").focus();
    const remove = event.target.closest(".remove-source");
    if (remove) {
      if (sourceRows().length > 1) remove.closest(".source-row").remove();
      else for (const input of remove.closest(".source-row").querySelectorAll("input")) input.value = "";
      renumberSources();
      keepDraft();
    }
  });
  form.querySelector(".cancel").addEventListener("click", (event) => {
    event.preventDefault();
    closeForm();
  });
  window.addEventListener("beforeunload", (event) => {
    // navigation, reload, closing the tab: the browser asks first (the draft is kept anyway)
    if (!form.hidden && dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  const discard = document.querySelector("#draft-restored .discard-draft");
  if (discard) {
    discard.addEventListener("click", () => {
      forgetDraft();
      markActive(null);
      showOnly(empty);
    });
  }
}

// true when keys typed go into a text field (then `/` and the verdict keys are plain text)
function typing(target) {
  if (!target || !target.closest) return false;
  if (target.isContentEditable) return true;
  const field = target.closest("textarea, select, input");
  return !!field && !(field.tagName === "INPUT" && ["radio", "checkbox", "button", "submit", "reset"].includes(field.type));
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form && !form.hidden) {
    event.preventDefault();
    save("submit");
    return;
  }
  if (event.key === "Escape") {
    closeForm();
    return;
  }
  if (form && !form.hidden && event.altKey && event.code === "KeyQ") {
    event.preventDefault();
    useQuote();
    return;
  }
  if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/") {
    const find = document.getElementById("find-q");
    if (find) {
      event.preventDefault();
      find.focus();
    }
    return;
  }
  if (form && !form.hidden) {
    const radio = form.querySelector(`input[name="verdict"][data-shortcut="${CSS.escape(event.key)}"]`);
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
    }
  }
});

renderHighlights();
const restored = form ? restoreDraft() : false;
const wanted = /^#annotation-(\d+)$/.exec(window.location.hash);
if (wanted && !restored) {
  const id = Number(wanted[1]);
  markActive(id);
  const first = root.querySelector(`.hl[data-ids~="${id}"]`);
  if (first) first.scrollIntoView({ block: "center" });
  if (!document.getElementById(`annotation-${id}`)) openAnnotation(id);
}
