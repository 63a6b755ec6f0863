// Viewing claims in the panel: one claim with its actions (edit, submit, delete), every
// claim at a spot (spots.js), and the spans and counts on the page kept in step with
// every save and delete, without a reload.
import { data, form, L, panel, plural, spotList, state, verdictHidden } from "./annotate-state.js";
import { announce, fillForm, setError, showEmpty, showOnly } from "./annotate-form.js";
import { markActive, renderHighlights } from "./annotate-highlights.js";
import { api, ApiError } from "./api.js";
import { citationDetails } from "./evidence-view.js";
import { localTime, utcTime } from "./localtime.js";
import { fetchClaims, hideSpotList, showSpotList } from "./spots.js";

export function updateCounts() {
  const n = state.spans.length;
  const meta = document.getElementById("claims-count");
  if (meta) meta.textContent = plural(n, L.claims_one, L.claims_other);
  const total = document.getElementById("claims-total");
  if (total) total.textContent = n ? `(${n.toLocaleString()})` : "";
}

export function clearSpot() {
  state.spotRequest++;
  hideSpotList(spotList);
}

export function listSpot(heading, ids, { openFirst = false } = {}) {
  const request = ++state.spotRequest;
  hideSpotList(spotList); // the old list goes at once; the new one comes with its answers
  return fetchClaims(ids).then((claims) => {
    if (request !== state.spotRequest) return;
    showSpotList(spotList, heading, claims, {
      labels: L,
      verdicts: data.verdicts,
      activeId: state.activeId,
      onOpen: (a) => showAnnotation(a),
    });
    if (openFirst && claims.length) showAnnotation(claims[0]);
  });
}

export function upsertSpan(a) {
  state.spans = state.spans.filter((s) => s.id !== a.id);
  state.spans.push({ id: a.id, start: a.start, end: a.end, verdict: a.verdict || "", status: a.status, mine: a.author === data.user });
  state.activeId = a.id;
  renderHighlights();
  updateCounts();
  // keep the list under the text in step with what was just saved
  const badge = document.querySelector(`#claim-${a.id} .badge`);
  if (badge) {
    badge.className = `badge badge-${a.status}`;
    badge.textContent = L[a.status] || a.status;
  }
}

function removeSpan(id) {
  state.spans = state.spans.filter((s) => s.id !== id);
  state.activeId = null;
  renderHighlights();
  updateCounts();
  const item = document.getElementById(`claim-${id}`);
  if (item) item.remove();
}

function fillView(view, a) {
  const set = (f, text) => {
    view.querySelector(`[data-f="${f}"]`).textContent = text;
  };
  // blind second verdict: a reviewer who has not given theirs sees that it is hidden, not
  // that there is none (the API sends the verdict and the rationale as null then)
  const blind = verdictHidden(a);
  set("verdict", blind ? L.verdict_hidden : a.verdict ? data.verdicts[a.verdict] || a.verdict : L.none);
  view.querySelector(".verdict-chip").classList.add(`v-${a.verdict || "none"}`);
  const badge = view.querySelector('[data-f="status"]');
  badge.textContent = L[a.status] || a.status;
  badge.classList.add(`badge-${a.status}`);
  set("claim", a.claim);
  set("claimant", a.claimant);
  set("quote", a.quote);
  set("rationale", blind ? L.rationale_hidden : a.rationale);
  set("author", a.author);
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
    li.append(...citationDetails(list, s));
    list.append(li);
  }
  const history = view.querySelector('[data-f="history"]');
  for (const h of a.history) {
    const li = document.createElement("li");
    const at = document.createElement("time");
    at.dateTime = h.at;
    at.className = "local-time";
    at.textContent = localTime(h.at);
    at.title = utcTime(h.at);
    li.append(at, ` · ${h.by} · ${h.from || "—"} → ${h.to}${h.comment ? " · " + h.comment : ""}`);
    history.append(li);
  }
}

// an action on the shown claim failed: say why in the view, and keep everything as it is
function viewError(view, err) {
  if (!(err instanceof ApiError)) throw err;
  const box = view.querySelector(".view-error");
  box.textContent = err.message;
  if (err.status === 401) {
    // the session ended: offer the login page, which brings the user back here
    const link = document.createElement("a");
    link.href = data.login_url;
    link.className = "log-in-again";
    link.textContent = L.log_in_again;
    box.append(" ", link);
  }
  box.hidden = false;
}

function wireActions(view, a) {
  const mine = a.author === data.user;
  const editable = mine && a.status !== "approved";
  view.querySelector('[data-f="actions"]').hidden = !editable;
  view.querySelector(".submit-claim").hidden = !(editable && (a.status === "draft" || a.status === "rejected"));
  const remove = view.querySelector(".delete-claim");
  remove.hidden = !(editable && a.status === "draft");
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
  remove.addEventListener("click", async () => {
    if (remove.disabled || !window.confirm(L.confirm_delete)) return;
    remove.disabled = true;
    view.setAttribute("aria-busy", "true");
    try {
      await api("DELETE", `/api/v1/annotations/${a.id}?version=${a.version}`);
    } catch (err) {
      // a network error, a 409 (changed meanwhile), a 403 or 404: the claim and the page
      // stay as they were, and the message says why
      viewError(view, err);
      return;
    } finally {
      remove.disabled = false;
      view.setAttribute("aria-busy", "false");
    }
    removeSpan(a.id);
    view.remove();
    showEmpty();
    clearSpot();
    announce(L.deleted);
  });
}

export function showAnnotation(a) {
  const view = document.getElementById("annotation-template").content.firstElementChild.cloneNode(true);
  view.id = `annotation-${a.id}`;
  fillView(view, a);
  wireActions(view, a);
  for (const old of panel.querySelectorAll(".annotation-view")) old.remove();
  spotList.after(view);
  // hook for other modules (anchors.js adds the revision notice)
  document.dispatchEvent(new CustomEvent("annotation:shown", { detail: { annotation: a, view } }));
  showOnly(view);
  markActive(a.id);
  view.tabIndex = -1;
  view.focus({ preventScroll: true });
}

export async function openAnnotation(id) {
  try {
    showAnnotation(await api("GET", `/api/v1/annotations/${id}`));
  } catch (err) {
    setError(err.message);
    showOnly(form);
  }
}
