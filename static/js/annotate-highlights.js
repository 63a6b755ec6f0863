// Highlights: the claims' spans painted over the article text in one pass over paragraphs
// and span boundaries, and the mark of the claim open in the panel.
import { root, state } from "./annotate-state.js";
import { cpLength, cpsToUtf16, offsetsToRange, paragraphs } from "./selection.js";

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
  const sorted = state.spans.slice().sort((a, b) => a.start - b.start || b.end - a.end);
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
      if (state.activeId !== null && cover.some((s) => s.id === state.activeId)) el.classList.add("active");
      el.textContent = piece;
      frag.append(el);
    }
    p.replaceChildren(frag);
  }
  performance.mark("highlights-painted");
  performance.measure("highlights", "highlights-start", "highlights-painted");
  if (pending) showPending(pending.start, pending.end); // the nodes under it were replaced
}

export function markActive(id) {
  state.activeId = id;
  for (const el of root.querySelectorAll(".hl.active")) el.classList.remove("active");
  if (id === null) return;
  for (const el of root.querySelectorAll(".hl")) {
    if (el.dataset.ids.split(" ").includes(String(id))) el.classList.add("active");
  }
}

// The passage of the claim being written stays visible while focus is in the form (the
// browser's own selection goes when a field takes the focus): a CSS custom highlight.
let pending = null;

export function showPending(start, end) {
  pending = { start, end };
  if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
  const range = offsetsToRange(root, start, end);
  if (range) CSS.highlights.set("pending-claim", new Highlight(range));
  else CSS.highlights.delete("pending-claim");
}

export function hidePending() {
  pending = null;
  if (window.CSS && CSS.highlights) CSS.highlights.delete("pending-claim");
}

export function pendingSpan() {
  return pending;
}
