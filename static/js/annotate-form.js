// The claim form in the panel: filling and reading it, its errors, the draft kept as it is
// typed (restored with a note on the next visit), the busy flag of a save on its way.
import { data, drafts, empty, form, L, limits, panel, state } from "./annotate-state.js";
import { hidePending, markActive, showPending } from "./annotate-highlights.js";
import { readSources, setSources } from "./annotate-sources.js";
import { readWhenWhere, setWhenWhere } from "./annotate-appearances.js";
import { newIdempotencyKey } from "./api.js";
import { localTime } from "./localtime.js";

// the panel shows one thing at a time: a claim, the form, or the empty hint
export function showOnly(section) {
  for (const el of panel.querySelectorAll(".annotation-view, #claim-form, #panel-empty")) {
    el.hidden = el !== section;
  }
  if (section !== form) hidePending();
}

export function showEmpty() {
  showOnly(empty);
}

export function setError(message, field) {
  const box = form.querySelector(".form-error");
  box.textContent = message || "";
  box.hidden = !message;
  for (const el of form.querySelectorAll(".has-error")) el.classList.remove("has-error");
  if (field) {
    const input = form.querySelector(`[name="${field}"], [name^="${field}-"]`);
    const holder = input && input.closest(".field");
    if (holder) holder.classList.add("has-error");
    const folded = input && input.closest("details");
    if (folded) folded.open = true; // "When and where": the error shows unfolded
  }
}

// The session ended while the claim was being written (the API answers 401): nothing was
// saved, but the text is in this browser (drafts.js, per user and article), and the login
// page brings the user back here, where restoreDraft() puts it back in the form.
export function setLoggedOut() {
  keepDraft();
  const box = form.querySelector(".form-error");
  const link = document.createElement("a");
  link.href = data.login_url;
  link.className = "log-in-again";
  link.textContent = L.log_in_again;
  box.replaceChildren(`${L.session_ended} `, link);
  box.hidden = false;
}

export function readForm() {
  const f = new FormData(form);
  return {
    start: Number(f.get("start")),
    end: Number(f.get("end")),
    quote: f.get("quote"),
    claim: f.get("claim"),
    claimant: f.get("claimant"),
    // filled by the claimant suggestions (claimant-suggest.js); typed names have none
    claimant_id: /^\d+$/.test(f.get("claimant_id") || "") ? Number(f.get("claimant_id")) : null,
    verdict: f.get("verdict") || null,
    rationale: f.get("rationale"),
    sources: readSources(),
    ...readWhenWhere(f),
  };
}

// the passage the claim is about (a new selection, or one widened by keyboard)
export function setSpan({ start, end, quote }) {
  form.elements.start.value = start;
  form.elements.end.value = end;
  form.elements.quote.value = quote;
  form.querySelector(".quote-text").textContent = quote;
  showPending(start, end);
}

export function fillForm(values, mode, annotation) {
  form.dataset.mode = mode;
  form.dataset.annotationId = annotation ? annotation.id : "";
  form.querySelector("#claim-form-title").textContent = mode === "edit" ? L.edit : L.new;
  // saving keeps a submitted (or sent back) claim as it is: the button says "Save changes"
  const status = mode === "edit" ? (annotation && annotation.status) || "draft" : "new";
  form.dataset.status = status;
  form.querySelector("button.save-claim").textContent = status === "new" || status === "draft" ? L.save_draft : L.save_changes;
  for (const name of ["claim", "claimant", "rationale"]) {
    form.elements[name].value = values[name] ?? "";
  }
  form.elements.claimant_id.value = values.claimant_id ?? "";
  form.elements.version.value = annotation ? annotation.version : "";
  for (const radio of form.querySelectorAll('input[name="verdict"]')) radio.checked = radio.value === values.verdict;
  setSources(values.sources || []);
  setWhenWhere(values);
  setError("");
  state.formKey = mode === "create" ? newIdempotencyKey() : null;
  state.dirty = false;
  hideRestoredNote();
  limits.update();
  showOnly(form);
  setSpan({ start: values.start ?? "", end: values.end ?? "", quote: values.quote ?? "" });
}

// --- drafts: kept as typed, restored on the next visit --------------------------------------

export function keepDraft() {
  if (form.hidden) return; // a late "change" event of a field in a form just closed
  state.dirty = true;
  drafts.save({
    mode: form.dataset.mode,
    annotationId: form.dataset.annotationId || null,
    status: form.dataset.status,
    version: form.elements.version.value,
    key: state.formKey,
    values: readForm(),
  });
}

export function forgetDraft() {
  state.dirty = false;
  drafts.clear();
  hideRestoredNote();
}

function hideRestoredNote() {
  const note = document.getElementById("draft-restored");
  if (note) note.hidden = true;
}

export function restoreDraft() {
  const draft = drafts.load();
  if (!draft || !form) return false;
  const annotation = draft.mode === "edit" && draft.annotationId ? { id: draft.annotationId, version: draft.version, status: draft.status } : null;
  fillForm(draft.values, annotation ? "edit" : "create", annotation);
  if (draft.key && !annotation) state.formKey = draft.key; // a create that may have reached the server
  state.dirty = true;
  const note = document.getElementById("draft-restored");
  note.querySelector("[data-f=when]").textContent = localTime(draft.savedAt);
  note.hidden = false;
  markActive(annotation ? Number(annotation.id) : null);
  return true;
}

// --- feedback ----------------------------------------------------------------------------

export function announce(message) {
  const status = document.getElementById("panel-status");
  status.textContent = message;
  status.hidden = false;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => {
    status.hidden = true;
  }, 6000);
}

export function setBusy(value) {
  state.busy = value;
  form.setAttribute("aria-busy", value ? "true" : "false");
  for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = value;
}

// "use the quote" (Alt+Q) copies the quote into the claim, on purpose
export function useQuote() {
  const claim = form.elements.claim;
  claim.value = form.elements.quote.value;
  claim.focus();
  claim.setSelectionRange(claim.value.length, claim.value.length);
  limits.update();
  keepDraft();
}
