// The annotate page's state, in one place: the page's data, the panel's elements and what
// changes as the user works (the spans on the page, the open claim, the form's flags).
// The other annotate-*.js modules read and write it here, never in globals of their own.
import { draftStore } from "./drafts.js";
import { watchLimits } from "./limits.js";
import { fullText } from "./selection.js";

export const data = JSON.parse(document.getElementById("annotate-data").textContent);
export const L = data.labels;
export const root = document.getElementById("article-text");
export const panel = document.getElementById("panel");
export const form = document.getElementById("claim-form");
export const empty = document.getElementById("panel-empty");
export const spotList = document.getElementById("spot-list");
// drafts survive: the form's content is kept as it is typed, per article and user
export const drafts = draftStore(data.user, data.article_id);
export const limits = form ? watchLimits(form, data.limits, L) : null;

export const state = {
  // spans: [id, start, end, verdict, status, mine] from the server
  spans: data.spans.map(([id, start, end, verdict, status, mine]) => ({ id, start, end, verdict, status, mine: !!mine })),
  codePoints: null, // the text as an array of code points, built on first use (see text())
  activeId: null, // the claim shown or edited in the panel
  formKey: null, // create exactly once: one Idempotency-Key per opening of the form
  busy: false, // a save is on its way: no second request
  dirty: false, // the form holds changes not yet saved (leaving asks first)
  spotRequest: 0, // only the latest list of claims at a spot is shown
};

// the article text as code points (offsets index it), built once on first use
export function codePoints() {
  if (!state.codePoints) state.codePoints = Array.from(fullText(root));
  return state.codePoints;
}

// "3 claims": plural forms of the page's language
export function plural(n, one, other) {
  const rule = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
  return (rule === "one" ? one : other).replace("{n}", n.toLocaleString());
}

/** The claim's verdict is hidden from this reviewer until they give their own (the API's
 * ``second_verdict.hidden``): a page says so instead of "no verdict yet". */
export function verdictHidden(a) {
  return Boolean(a.second_verdict && (a.second_verdict.hidden || []).includes("verdict"));
}
