// The suggestions' marks over the article text (for suggestions.js): each sentence's text
// nodes wrapped in a span (`sg sg-known v-<verdict>` or `sg sg-worth`), found through the
// page's own code-point ↔ DOM conversion (selection.js), and a badge button without text
// after a known claim (the article's text and its offsets stay as they are). The claims'
// highlights repaint the paragraphs after a save: the marks are painted again then; never
// under a selection being made with the mouse, and a selection already made is kept.
import { root } from "./annotate-state.js";
import { pendingSpan, showPending } from "./annotate-highlights.js";
import { offsetsToRange, rangeToOffsets } from "./selection.js";

export const keyOf = (s) => `${s.kind}:${s.start}:${s.end}`;

let observer = null;
let pointerDown = false;
let deferred = null; // the paint asked for while the mouse button was down

// the text nodes of [start, end) with the part of each inside it
function pieces(start, end) {
  const range = offsetsToRange(root, start, end);
  if (!range) return [];
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("p[data-start]") || !range.intersectsNode(node)) continue;
    const from = node === range.startContainer ? range.startOffset : 0;
    const to = node === range.endContainer ? range.endOffset : node.length;
    if (from < to) out.push([node, from, to]);
  }
  return out;
}

function wrap(s, options) {
  const cls = s.kind === "known" ? `sg sg-known v-${s.verdict || "none"}` : "sg sg-worth";
  const key = keyOf(s);
  let last = null;
  for (let [node, from, to] of pieces(s.start, s.end)) {
    if (to < node.length) node.splitText(to);
    if (from > 0) node = node.splitText(from);
    const span = document.createElement("span");
    span.className = key === options.current ? `${cls} sg-current` : cls;
    span.dataset.sg = key;
    node.replaceWith(span);
    span.append(node);
    last = span;
  }
  if (!last || s.kind !== "known") return;
  const badge = document.createElement("button");
  badge.type = "button";
  badge.className = `sg-badge v-${s.verdict || "none"}`;
  badge.dataset.sg = key;
  badge.setAttribute("aria-label", options.badge(s));
  badge.title = options.title;
  last.after(badge);
}

function unmarkAll() {
  for (const badge of root.querySelectorAll(".sg-badge")) badge.remove();
  const touched = new Set();
  for (const span of root.querySelectorAll("span.sg")) {
    touched.add(span.parentNode);
    span.replaceWith(...span.childNodes);
  }
  for (const parent of touched) if (parent.isConnected) parent.normalize();
}

// the reader's selection in the text, as offsets (the marks move its nodes)
function selectedSpan() {
  const selection = window.getSelection();
  if (!selection || !selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  return root.contains(range.commonAncestorContainer) ? rangeToOffsets(root, range) : null;
}

/** Mark ``items`` (the suggestions shown, each with kind, start, end; a known one with
 * verdict and claim) and nothing else. ``options``: ``current`` (the key of the one in
 * the card), ``badge(item)`` (a badge's accessible name), ``title`` (its tooltip). */
export function paintMarks(items, options) {
  if (pointerDown) {
    deferred = [items, options];
    return;
  }
  if (observer) observer.disconnect();
  const kept = selectedSpan();
  unmarkAll();
  for (const s of items) wrap(s, options);
  if (kept) {
    const range = offsetsToRange(root, kept.start, kept.end);
    if (range) {
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
    }
  }
  // the pending claim's highlight holds ranges over the nodes just moved: set it again
  const pending = pendingSpan();
  if (pending) showPending(pending.start, pending.end);
  if (observer) {
    observer.observe(root, { childList: true, subtree: true });
    observer.takeRecords();
  }
}

/** From now on, ``repaint()`` whenever something else repaints the text (the claims'
 * highlights after a save or a delete). */
export function watchMarks(repaint) {
  let queued = false;
  observer = new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      repaint();
    });
  });
  observer.observe(root, { childList: true, subtree: true });
}

root.addEventListener("pointerdown", () => {
  pointerDown = true;
});
window.addEventListener("pointerup", () => {
  pointerDown = false;
  if (!deferred) return;
  const [items, options] = deferred;
  deferred = null;
  // after the page has read the selection (annotate.js, on mouseup)
  setTimeout(() => paintMarks(items, options), 50);
});
window.addEventListener("pointercancel", () => {
  pointerDown = false;
});
