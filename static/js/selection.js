// Offsets per the contract: code points into the article text, end exclusive.
// The DOM counts UTF-16 code units (an emoji outside the BMP is 2), so every
// conversion between a DOM position and an offset goes through here.

const HIGH = (c) => c >= 0xd800 && c <= 0xdbff;
const LOW = (c) => c >= 0xdc00 && c <= 0xdfff;
const SURROGATE = /[\ud800-\udfff]/;

/** Number of code points in a JS string (a lone surrogate counts as one). */
export function cpLength(s) {
  if (!SURROGATE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (LOW(s.charCodeAt(i)) && i > 0 && HIGH(s.charCodeAt(i - 1))) continue;
    n++;
  }
  return n;
}

/** UTF-16 index of code point `cp` in `s`. */
export function cpToUtf16(s, cp) {
  if (!SURROGATE.test(s)) return Math.min(cp, s.length);
  let i = 0;
  for (let n = 0; n < cp && i < s.length; n++) {
    i += HIGH(s.charCodeAt(i)) && i + 1 < s.length && LOW(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/** UTF-16 indices of sorted code-point offsets in `s`, in one pass. */
export function cpsToUtf16(s, sortedCps) {
  if (!SURROGATE.test(s)) return sortedCps.map((cp) => Math.min(cp, s.length));
  const out = [];
  let i = 0;
  let n = 0;
  for (const cp of sortedCps) {
    while (n < cp && i < s.length) {
      i += HIGH(s.charCodeAt(i)) && i + 1 < s.length && LOW(s.charCodeAt(i + 1)) ? 2 : 1;
      n++;
    }
    out.push(i);
  }
  return out;
}

export function paragraphs(root) {
  return Array.from(root.querySelectorAll("p[data-start]"));
}

function paragraphOf(root, node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const p = el && el.closest("p[data-start]");
  return p && root.contains(p) ? p : null;
}

/** Code-point offset of a DOM boundary point (node, offset) inside `root`. */
export function pointToOffset(root, node, offset, isEnd) {
  const p = paragraphOf(root, node);
  if (p) {
    const range = document.createRange();
    range.setStart(p, 0);
    range.setEnd(node, offset);
    return Number(p.dataset.start) + cpLength(range.toString());
  }
  // a point between paragraphs (or on the container): snap to the nearest paragraph edge
  const probe = document.createRange();
  probe.setStart(node, offset);
  const paras = paragraphs(root);
  if (isEnd) {
    for (let i = paras.length - 1; i >= 0; i--) {
      if (probe.comparePoint(paras[i], paras[i].childNodes.length) <= 0) {
        return Number(paras[i].dataset.start) + cpLength(paras[i].textContent);
      }
    }
    return null;
  }
  for (const p2 of paras) {
    if (probe.comparePoint(p2, 0) >= 0) return Number(p2.dataset.start);
  }
  return null;
}

/** {start, end} in code points for a DOM Range inside `root`, or null. */
export function rangeToOffsets(root, range) {
  if (!root.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== root) {
    return null;
  }
  const start = pointToOffset(root, range.startContainer, range.startOffset, false);
  const end = pointToOffset(root, range.endContainer, range.endOffset, true);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

function locate(p, cpInParagraph) {
  // the text node and UTF-16 offset holding code point `cpInParagraph` of paragraph p
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let remaining = cpToUtf16(p.textContent, cpInParagraph);
  let node = walker.nextNode();
  let last = node;
  while (node) {
    if (remaining <= node.length) return [node, remaining];
    remaining -= node.length;
    last = node;
    node = walker.nextNode();
  }
  return [last, last ? last.length : 0];
}

/** A DOM Range for code-point offsets [start, end) of the text inside `root`. */
export function offsetsToRange(root, start, end) {
  const paras = paragraphs(root);
  const find = (offset, isEnd) => {
    for (const p of paras) {
      const s = Number(p.dataset.start);
      const e = s + cpLength(p.textContent);
      if (offset >= s && (offset < e || (isEnd && offset === e))) return locate(p, offset - s);
    }
    return null;
  };
  const a = find(start, false);
  const b = find(end, true);
  if (!a || !b) return null;
  const range = document.createRange();
  range.setStart(a[0], a[1]);
  range.setEnd(b[0], b[1]);
  return range;
}

/** The whole article text, rebuilt from the paragraphs (only newlines lie between them). */
export function fullText(root) {
  let text = "";
  let length = 0;
  for (const p of paragraphs(root)) {
    const start = Number(p.dataset.start);
    if (start > length) {
      text += "\n".repeat(start - length);
      length = start;
    }
    text += p.textContent;
    length += cpLength(p.textContent);
  }
  return text;
}

/** Trim whitespace and widen to whole grapheme clusters; returns {start, end, quote}. */
export function cleanSpan(codePoints, start, end) {
  while (start < end && /\s/u.test(codePoints[start])) start++;
  while (end > start && /\s/u.test(codePoints[end - 1])) end--;
  if (end <= start) return null;
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    const from = Math.max(0, start - 64);
    const to = Math.min(codePoints.length, end + 64);
    const bounds = [from];
    let cp = from;
    const seg = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    for (const part of seg.segment(codePoints.slice(from, to).join(""))) {
      cp += cpLength(part.segment);
      bounds.push(cp);
    }
    start = Math.max(...bounds.filter((b) => b <= start));
    end = Math.min(...bounds.filter((b) => b >= end));
  }
  return { start, end, quote: codePoints.slice(start, end).join("") };
}
