// Find and the keyboard path to a passage: `/` opens Find (the server finds the words, with
// accents, case and small typos forgiven); a picked match opens the claim form with the
// passage kept and the focus in the first field; Shift+Alt+arrows widen or narrow the
// passage by a word at either end.
import { codePoints, form, state } from "./annotate-state.js";
import { keepDraft, readForm, setSpan } from "./annotate-form.js";
import { newIdempotencyKey } from "./api.js";
import { cleanSpan } from "./selection.js";

const WORD = /[\p{L}\p{N}\p{M}]/u;

export function openFind() {
  const find = document.getElementById("find-q");
  if (!find) return false;
  find.focus();
  find.select();
  return true;
}

// With this script, the page a match opens brings the form into view itself: the link
// drops its ``#claim-form`` (kept for pages without script), whose jump, late in a slow
// load, takes the focus away from wherever the person already is (Chromium clears the
// focus when the fragment's target is not focusable).
export function linkMatchesInPlace() {
  for (const link of document.querySelectorAll("a.match")) {
    const url = new URL(link.href);
    url.hash = "";
    link.href = url.toString();
  }
}

// The page opened on a match picked in Find (``?start=…&end=…#claim-form``): the server
// filled the form; keep its passage visible and put the focus in the first field.
export function startFromMatch() {
  if (!form || form.hidden || form.dataset.mode !== "create" || form.elements.start.value === "") return false;
  state.formKey = newIdempotencyKey(); // create exactly once, as a form opened by a selection
  const { start, end, quote } = readForm();
  setSpan({ start, end, quote });
  const focus = () => {
    form.elements.claim.focus({ preventScroll: true });
    form.scrollIntoView({ block: "nearest" });
  };
  // On a slow device the person may already be in a field (the form came with the page,
  // before this script): never pull them out of it.
  const nowhere = () => [null, document.body, form].includes(document.activeElement);
  const active = document.activeElement;
  if (nowhere() || active === form.elements.claim) focus();
  // The browser's own move to #claim-form, around the page's load, takes the focus away
  // to nothing (the body, or the fragment's target), sooner or later on a busy machine.
  // For the first seconds, unless the person clicks somewhere: a field of the form that
  // loses the focus to nothing gets it back, and at load nothing focused means the claim.
  let clicked = false;
  window.addEventListener("pointerdown", () => { clicked = true; }, { once: true, capture: true });
  const until = performance.now() + 5000;
  form.addEventListener("focusout", (event) => {
    if (clicked || event.relatedTarget || performance.now() > until) return;
    const field = event.target;
    setTimeout(() => {
      if (!clicked && nowhere() && !form.hidden) field.focus({ preventScroll: true });
    }, 0);
  });
  const keep = () => { if (!clicked && nowhere() && !form.hidden) focus(); };
  window.addEventListener("load", () => {
    keep();
    for (const delay of [0, 50, 150, 400, 1000, 2000]) setTimeout(keep, delay);
  }, { once: true });
  return true;
}

// --- widen / narrow by a word ------------------------------------------------------------

const isWord = (cp) => cp !== undefined && WORD.test(cp);

function nextWordEnd(cps, i) {
  while (i < cps.length && !isWord(cps[i])) i++;
  while (i < cps.length && isWord(cps[i])) i++;
  return i;
}

function previousWordStart(cps, i) {
  while (i > 0 && !isWord(cps[i - 1])) i--;
  while (i > 0 && isWord(cps[i - 1])) i--;
  return i;
}

/** The span moved by one word: ``edge`` "end" or "start", ``widen`` true or false. */
export function nudge(cps, start, end, edge, widen) {
  if (edge === "end") {
    end = widen ? nextWordEnd(cps, end) : previousWordStart(cps, end);
  } else {
    start = widen ? previousWordStart(cps, start) : nextWordEnd(cps, start);
  }
  if (end <= start) return null; // never narrower than one word
  return cleanSpan(cps, start, end);
}

const MOVES = {
  ArrowRight: ["end", true],
  ArrowLeft: ["end", false],
  ArrowUp: ["start", true],
  ArrowDown: ["start", false],
};

// Shift+Alt+→/← : the end a word further / back; Shift+Alt+↑/↓ : the start a word earlier / later
export function onNudgeKey(event) {
  const move = MOVES[event.key];
  if (!move || !event.shiftKey || !event.altKey || event.ctrlKey || event.metaKey) return false;
  if (!form || form.hidden || form.elements.start.value === "") return false;
  event.preventDefault();
  const { start, end } = readForm();
  const span = nudge(codePoints(), start, end, ...move);
  if (!span) return true;
  setSpan(span);
  keepDraft();
  return true;
}
