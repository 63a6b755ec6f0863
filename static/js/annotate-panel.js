// The panel's flow: a selection opens a new claim, Save and Submit send it (once), Esc and
// Cancel close it after asking when it holds unsaved changes.
import { data, form, L, limits, plural, state } from "./annotate-state.js";
import { announce, fillForm, forgetDraft, readForm, setBusy, setError, setLoggedOut, showEmpty } from "./annotate-form.js";
import { markActive } from "./annotate-highlights.js";
import { clearSpot, listSpot, showAnnotation, upsertSpan } from "./annotate-view.js";
import { api, ApiError } from "./api.js";

export function openNewClaim(span) {
  markActive(null);
  if (state.dirty && !form.hidden && !window.confirm(L.confirm_discard)) return false;
  // the claim starts empty: "use the quote" (Alt+Q) copies it on purpose
  fillForm({ ...span, claim: "", claimant: "", rationale: "", verdict: null, sources: [] }, "create");
  form.elements.claim.focus();
  forgetDraft();
  const under = state.spans.filter((s) => s.start < span.end && s.end > span.start).map((s) => s.id);
  if (under.length) listSpot(plural(under.length, L.overlap_one, L.overlap_other), under);
  else clearSpot();
  return true;
}

// Esc, Cancel: close the form, after asking when it holds unsaved changes
export function closeForm() {
  if (form && !form.hidden && state.dirty && !window.confirm(L.confirm_discard)) return false;
  if (form && !form.hidden) forgetDraft();
  markActive(null);
  showEmpty();
  clearSpot();
  return true;
}

export async function save(action) {
  if (state.busy) return; // a double-click or a second Ctrl+Enter while the first is on its way
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
      saved = await api("POST", `/api/v1/articles/${data.article_id}/annotations`, body, { "Idempotency-Key": state.formKey });
    }
    forgetDraft();
    upsertSpan(saved);
    showAnnotation(saved);
    announce(saved.status === "submitted" ? L.submitted_msg : L.saved);
    window.getSelection().removeAllRanges();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.status === 401) {
      setLoggedOut();
      return;
    }
    const field = err.body && err.body.error && err.body.error.field;
    setError(err.message, field);
  } finally {
    setBusy(false);
  }
}
