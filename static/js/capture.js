// A capture's reading view: the passage selected with the mouse becomes the excerpt the
// form adds to the claim, in code points of the capture's text (selection.js: the same
// offsets as the article page, widened to whole graphemes so none is ever cut).
import { cleanSpan, fullText, rangeToOffsets } from "./selection.js";

const root = document.getElementById("capture-text");
const form = document.getElementById("excerpt-form");

if (root && form) {
  const codePoints = Array.from(fullText(root));
  const preview = document.getElementById("excerpt-preview");
  const button = document.getElementById("add-excerpt");

  const choose = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const offsets = rangeToOffsets(root, selection.getRangeAt(0));
    const span = offsets && cleanSpan(codePoints, offsets.start, offsets.end);
    if (!span) return;
    form.elements.start.value = span.start;
    form.elements.end.value = span.end;
    form.elements.quote.value = span.quote;
    preview.textContent = span.quote;
    preview.hidden = false;
    button.disabled = false;
  };

  // a selection with the mouse, the keyboard or a finger
  document.addEventListener("selectionchange", choose);
  root.addEventListener("mouseup", choose);
}
