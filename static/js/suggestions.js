// Suggestions on the article's sentences (GET /api/v1/articles/<id>/suggestions), loaded
// after the page is painted: sentences repeating a checked claim, marked in its verdict's
// colour with a badge, and the sentences worth checking, faintly marked. A card says what
// each one is; Accept opens a new claim on the sentence, linked `same_as` the checked claim
// once it is saved; Dismiss puts it away for good. `n` / Shift+N go from one to the next.
// Nothing here becomes a claim by itself. Self-starting: needs #suggestions on the page.
import { data, form, root, state } from "./annotate-state.js";
import { openNewClaim } from "./annotate-panel.js";
import { announce } from "./annotate-form.js";
import { api } from "./api.js";
import { offsetsToRange } from "./selection.js";
import { keyOf, paintMarks, watchMarks } from "./suggestions-marks.js";

const box = document.getElementById("suggestions");
const HIDDEN_KEY = "factcheck.suggestions.hidden";
const RETRIES = [1000, 2000, 4000, 8000]; // while "pending": then stop and say so
const TOP_WORTH = 5; // worth-checking sentences marked (the best ones)

let L = {};
let known = []; // [{start, end, quote, target, verdict, verdict_label, score, claim}]
let worth = []; // [{start, end, quote, score}]
let model = "rules";
let current = null; // the suggestion shown in the card
let linkStore = null; // the new claim to link once saved (survives a reload with its draft)

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function fill(template, values) {
  return (template || "").replace(/\{(\w+)\}/g, (all, key) => (key in values ? String(values[key]) : all));
}

function plural(n, one, other) {
  let rule = "other";
  try {
    rule = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
  } catch {
    rule = n === 1 ? "one" : "other";
  }
  return fill(rule === "one" ? one : other, { n: n.toLocaleString() });
}

const percent = (score) => `${Math.round((Number(score) || 0) * 100)} %`;
const shown = () => !box.classList.contains("sg-off");

function safeHref(url) {
  return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
}

// --- what is marked ---------------------------------------------------------------------

// the suggestions on the page, in reading order: every known claim, the best worth checking
// (not those a claim of the page already covers: written meanwhile, or before)
function marked() {
  const knownSpans = new Set(known.map((k) => `${k.start}:${k.end}`));
  const claimed = (w) => state.spans.some((c) => c.start < w.end && w.start < c.end);
  const best = worth
    .filter((w) => !knownSpans.has(`${w.start}:${w.end}`) && !claimed(w))
    .sort((a, b) => b.score - a.score)
    .slice(0, TOP_WORTH);
  const all = [...known.map((k) => ({ ...k, kind: "known" })), ...best.map((w) => ({ ...w, kind: "worth_checking" }))];
  return all.sort((a, b) => a.start - b.start || a.end - b.end);
}

function paint() {
  paintMarks(shown() ? marked() : [], {
    current: current ? keyOf(current) : null,
    badge: (k) => fill(L.badge, { claim: k.claim, verdict: k.verdict_label || k.verdict || "" }),
    title: L.repeats || "",
  });
}

// --- the panel: status, toggle, previous / next, the card -----------------------------------

const parts = {};

function build() {
  const head = el("div", "sg-head");
  const title = el("h2", "panel-subtitle sg-title", L.title);
  title.id = "suggestions-title";
  const toggle = el("label", "sg-toggle");
  parts.toggle = el("input");
  parts.toggle.type = "checkbox";
  parts.toggle.checked = shown();
  toggle.append(parts.toggle, ` ${L.show}`);
  head.append(title, toggle);
  parts.status = el("p", "sg-status muted");
  parts.status.setAttribute("role", "status");
  parts.model = el("p", "sg-model muted small-print");
  parts.model.hidden = true;
  parts.nav = el("div", "sg-nav");
  parts.prev = el("button", "small sg-prev", `← ${L.previous}`);
  parts.next = el("button", "small sg-next", `${L.next} →`);
  for (const b of [parts.prev, parts.next]) b.type = "button";
  parts.prev.setAttribute("aria-keyshortcuts", "Shift+N");
  parts.next.setAttribute("aria-keyshortcuts", "N");
  parts.position = el("span", "sg-position muted");
  parts.nav.append(parts.prev, parts.position, parts.next);
  parts.nav.hidden = true;
  parts.card = el("div", "sg-card");
  parts.card.hidden = true;
  parts.card.tabIndex = -1;
  parts.card.setAttribute("role", "group");
  box.setAttribute("aria-labelledby", title.id);
  box.replaceChildren(head, parts.status, parts.model, parts.nav, parts.card);
  box.hidden = false;

  parts.toggle.addEventListener("change", () => {
    box.classList.toggle("sg-off", !parts.toggle.checked);
    try {
      if (parts.toggle.checked) localStorage.removeItem(HIDDEN_KEY);
      else localStorage.setItem(HIDDEN_KEY, "1");
    } catch {
      // private mode: the choice lasts as long as the page
    }
    if (!parts.toggle.checked) closeCard();
    paint();
    summary();
  });
  parts.prev.addEventListener("click", () => step(-1));
  parts.next.addEventListener("click", () => step(1));
}

function summary(message) {
  if (message !== undefined) {
    parts.status.textContent = message;
    return;
  }
  if (!shown()) {
    parts.status.textContent = L.hidden_msg;
    parts.nav.hidden = true;
    parts.model.hidden = true;
    return;
  }
  const all = marked();
  const nWorth = all.length - known.length;
  const lines = [];
  if (known.length) lines.push(plural(known.length, L.known_one, L.known_other));
  if (nWorth) lines.push(plural(nWorth, L.worth_one, L.worth_other));
  parts.status.textContent = lines.length ? lines.join(" ") : L.none;
  parts.model.textContent = model === "learned" ? L.model_learned : L.model_rules;
  parts.model.hidden = !nWorth;
  parts.nav.hidden = !all.length;
  const at = current ? all.findIndex((s) => keyOf(s) === keyOf(current)) : -1;
  parts.position.textContent = at >= 0 ? fill(L.position, { i: at + 1, n: all.length }) : "";
}

function closeCard() {
  current = null;
  parts.card.hidden = true;
  parts.card.replaceChildren();
  delete parts.card.dataset.sg;
  box.classList.remove("sg-sheet-open");
  for (const span of root.querySelectorAll(".sg-current")) span.classList.remove("sg-current");
}

function button(text, className, onClick) {
  const b = el("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

function showCard(s, { focus = true } = {}) {
  current = s;
  for (const span of root.querySelectorAll(".sg-current")) span.classList.remove("sg-current");
  for (const span of root.querySelectorAll(`.sg[data-sg="${keyOf(s)}"]`)) span.classList.add("sg-current");
  const card = parts.card;
  card.className = `sg-card sg-card-${s.kind === "known" ? "known" : "worth"}${s.kind === "known" ? ` v-${s.verdict || "none"}` : ""}`;
  card.dataset.sg = keyOf(s);
  const body = [];
  const close = button("×", "sg-close", () => {
    closeCard();
    summary();
  });
  close.setAttribute("aria-label", L.close);
  if (s.kind === "known") {
    const claim = el("p", "sg-claim");
    const href = safeHref(s.target);
    const text = el(href ? "a" : "span", "", s.claim);
    if (href) {
      text.href = href;
      text.target = "_blank";
      text.rel = "noopener noreferrer";
    }
    claim.append(text);
    const verdict = el("p", "sg-verdict");
    const chip = el("span", `verdict-chip v-${s.verdict || "none"}`);
    const swatch = el("span", "swatch");
    swatch.setAttribute("aria-hidden", "true");
    chip.append(swatch, document.createTextNode(s.verdict_label || s.verdict || L.no_verdict));
    verdict.append(el("span", "sg-dash", "— "), chip, el("span", "sg-score muted", ` (${fill(L.similarity, { n: percent(s.score) })})`));
    body.push(el("p", "sg-kind", L.repeats), claim, verdict);
  } else {
    body.push(el("p", "sg-kind", `${L.worth_title} (${fill(L.checkability, { n: percent(s.score) })})`));
  }
  const quote = el("blockquote", "sg-quote", s.quote.length > 220 ? `${s.quote.slice(0, 219)}…` : s.quote);
  body.push(quote);
  const actions = el("div", "sg-actions");
  if (box.dataset.canAct) {
    if (s.kind === "known") actions.append(button(L.accept, "primary sg-accept", () => accept(s)));
    else actions.append(button(L.write, "primary sg-write", () => write(s)));
    actions.append(button(L.dismiss, "sg-dismiss", () => dismiss(s)));
  }
  actions.append(button(L.close, "sg-done", () => {
    closeCard();
    summary();
  }));
  card.replaceChildren(close, ...body, actions);
  card.setAttribute("aria-label", s.kind === "known" ? L.repeats : L.worth_title);
  card.hidden = false;
  box.classList.add("sg-sheet-open");
  summary();
  if (focus) card.focus({ preventScroll: true });
}

// the sentence selected, as a person would with the mouse (the card's buttons act on it)
function select(s) {
  const range = offsetsToRange(root, s.start, s.end);
  if (!range) return;
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  const first = root.querySelector(`.sg[data-sg="${keyOf(s)}"]`);
  // one column: the sentence near the top, above the card's sheet at the bottom
  const sheet = window.matchMedia("(max-width: 1100px)").matches;
  if (first) first.scrollIntoView({ block: sheet ? "start" : "center", behavior: "smooth" });
}

function step(direction) {
  const all = marked();
  if (!all.length || !shown()) return false;
  let at = current ? all.findIndex((s) => keyOf(s) === keyOf(current)) : -1;
  if (at < 0) {
    // from the first suggestion after (or before) the place the reader is at
    const from = current ? current.start : direction > 0 ? -1 : Infinity;
    at = direction > 0 ? all.findIndex((s) => s.start > from) : all.findLastIndex((s) => s.start < from);
    if (at < 0) at = direction > 0 ? 0 : all.length - 1;
  } else {
    at = (at + direction + all.length) % all.length;
  }
  const s = all[at];
  showCard(s);
  select(s);
  return true;
}

// --- acting on a suggestion --------------------------------------------------------------

function forget(s) {
  if (s.kind === "known") known = known.filter((k) => !(k.start === s.start && k.end === s.end));
  else worth = worth.filter((w) => !(w.start === s.start && w.end === s.end));
  if (current && keyOf(current) === keyOf(s)) closeCard();
  paint();
}

function failed(err) {
  summary(err && err.message ? err.message : L.error);
}

async function dismiss(s) {
  try {
    await api("POST", `/api/v1/articles/${data.article_id}/suggestions/dismiss`, { start: s.start, end: s.end, kind: s.kind });
  } catch (err) {
    failed(err);
    return;
  }
  forget(s);
  summary();
  announce(L.dismissed);
  (parts.nav.hidden ? parts.toggle : parts.next).focus();
}

function write(s) {
  // the form takes over (on a phone the card would cover it)
  if (openNewClaim({ start: s.start, end: s.end, quote: s.quote })) {
    closeCard();
    summary();
  }
}

async function accept(s) {
  // the form holds another claim being written: ask first, before anything is recorded
  if (form && !form.hidden && state.dirty) {
    if (!window.confirm(data.labels.confirm_discard)) return;
    state.dirty = false; // asked once: the form opening on the sentence does not ask again
  }
  let answer;
  try {
    answer = await api("POST", `/api/v1/articles/${data.article_id}/suggestions/accept`, { start: s.start, end: s.end, target: s.target });
  } catch (err) {
    failed(err);
    return;
  }
  forget(s);
  const { start, end, quote } = answer.new_claim;
  if (!openNewClaim({ start, end, quote })) {
    summary();
    return;
  }
  // the link waits for the save: the claim needs an id first (as "Checked before?" asks)
  const link = { target: answer.same_as, key: state.formKey, claim: s.claim, before: state.spans.map((x) => x.id) };
  keepLink(link);
  summary(fill(L.accepted, { claim: s.claim }));
}

function keepLink(link) {
  linkStore = link;
  try {
    if (link) sessionStorage.setItem(`factcheck.same-as.${data.article_id}`, JSON.stringify(link));
    else sessionStorage.removeItem(`factcheck.same-as.${data.article_id}`);
  } catch {
    // private mode: the link waits in this page only
  }
}

function restoreLink() {
  try {
    const stored = JSON.parse(sessionStorage.getItem(`factcheck.same-as.${data.article_id}`) || "null");
    if (stored && stored.key && stored.key === state.formKey) linkStore = stored;
  } catch {
    linkStore = null;
  }
}

// a claim just saved from the form the accepted suggestion opened: link it to the checked claim
document.addEventListener("annotation:shown", async (event) => {
  const link = linkStore;
  const a = event.detail && event.detail.annotation;
  if (!link || !a || link.key !== state.formKey || link.before.includes(a.id) || a.author !== data.user) return;
  keepLink(null);
  try {
    const answer = await api("POST", `/api/v1/annotations/${a.id}/same_as`, { target: link.target, version: a.version });
    a.version = answer.version; // the view's Edit and Submit send the version they hold
    document.dispatchEvent(new CustomEvent("factcheck:same-as", { detail: answer }));
    summary(fill(L.linked, { claim: link.claim }));
  } catch (err) {
    summary(fill(L.link_failed, { error: err.message || L.error }));
  }
});

// --- loading -----------------------------------------------------------------------------

async function load(attempt = 0) {
  let answer;
  try {
    answer = await api("GET", `/api/v1/articles/${data.article_id}/suggestions`);
  } catch {
    summary(L.error);
    return;
  }
  if (answer.status === "pending") {
    if (attempt >= RETRIES.length) {
      summary(L.gave_up);
      return;
    }
    summary(L.pending);
    setTimeout(() => load(attempt + 1), RETRIES[attempt]);
    return;
  }
  known = answer.known || [];
  worth = answer.worth_checking || [];
  model = answer.model;
  paint();
  summary();
  watchMarks(paint);
}

function typing(target) {
  if (!target || !target.closest) return false;
  if (target.isContentEditable) return true;
  const field = target.closest("textarea, select, input");
  return !!field && !(field.tagName === "INPUT" && ["radio", "checkbox", "button", "submit", "reset"].includes(field.type));
}

function start() {
  try {
    L = JSON.parse(box.dataset.labels || "{}");
  } catch {
    L = {};
  }
  let off = false;
  try {
    off = localStorage.getItem(HIDDEN_KEY) === "1";
  } catch {
    off = false;
  }
  box.classList.toggle("sg-off", off);
  build();
  restoreLink();
  summary(L.pending);

  // a click on a mark or its badge shows its card (a claim's own highlight comes first)
  root.addEventListener("click", (event) => {
    const target = event.target.closest(".sg-badge, .sg");
    if (!target) return;
    const selection = window.getSelection();
    if (target.classList.contains("sg-badge")) event.stopPropagation();
    else if ((selection && !selection.isCollapsed) || event.target.closest(".hl")) return;
    const s = marked().find((x) => keyOf(x) === target.dataset.sg);
    if (s) showCard(s, { focus: target.classList.contains("sg-badge") });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) closeCard();
    if ((event.key !== "n" && event.key !== "N") || event.defaultPrevented) return;
    if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (step(event.shiftKey ? -1 : 1)) event.preventDefault();
  });
  load();
}

if (box && root) start();
