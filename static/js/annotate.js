// The annotate page: wires the mouse and the keyboard to the modules that do the work.
//   annotate-state.js       the page's data and state, in one place
//   annotate-highlights.js  claims painted over the text
//   annotate-form.js        the claim form, its draft and its feedback
//   annotate-sources.js     the form's rows of sources
//   annotate-view.js        a claim, or every claim at a spot, shown in the panel
//   annotate-panel.js       new claim, save, close
//   annotate-find.js        Find, and the passage widened or narrowed by keyboard
import { codePoints, form, L, plural, root, state } from "./annotate-state.js";
import { forgetDraft, keepDraft, restoreDraft, showEmpty, useQuote } from "./annotate-form.js";
import { markActive, renderHighlights } from "./annotate-highlights.js";
import { addSourceRow, removeSourceRow } from "./annotate-sources.js";
import { clearSpot, listSpot, openAnnotation } from "./annotate-view.js";
import { closeForm, openNewClaim, save } from "./annotate-panel.js";
import { linkMatchesInPlace, onNudgeKey, openFind, startFromMatch } from "./annotate-find.js";
import { cleanSpan, rangeToOffsets } from "./selection.js";
import "./claimant-suggest.js"; // the claimant field's suggestions (self-starting)

document.documentElement.classList.add("js");

function onSelection() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed || !form) return false;
  const offsets = rangeToOffsets(root, selection.getRangeAt(0));
  if (!offsets) return false;
  const span = cleanSpan(codePoints(), offsets.start, offsets.end);
  if (!span) return false;
  openNewClaim(span);
  return true;
}

root.addEventListener("mouseup", () => {
  // let the browser finish updating the selection first
  setTimeout(onSelection, 0);
});

root.addEventListener("click", (event) => {
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return;
  const hl = event.target.closest(".hl");
  if (!hl) return;
  const ids = hl.dataset.ids.split(" ").map(Number);
  if (ids.length === 1) {
    clearSpot();
    openAnnotation(ids[0]);
    return;
  }
  // several claims here: list them all, open the innermost
  if (!closeForm()) return;
  listSpot(plural(ids.length, L.spot_one, L.spot_other), ids, { openFirst: true });
});

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-annotation-id]");
  if (!link) return;
  event.preventDefault();
  history.replaceState(null, "", `#annotation-${link.dataset.annotationId}`);
  openAnnotation(Number(link.dataset.annotationId));
  const first = root.querySelector(`.hl[data-ids~="${link.dataset.annotationId}"]`);
  if (first) first.scrollIntoView({ block: "center" });
});

if (form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const action = event.submitter && event.submitter.value === "submit" ? "submit" : "draft";
    save(action);
  });
  form.addEventListener("input", keepDraft);
  form.addEventListener("change", keepDraft);
  form.addEventListener("click", (event) => {
    if (event.target.closest(".use-quote")) useQuote();
    if (event.target.closest(".add-source")) addSourceRow().querySelector("input").focus();
    const remove = event.target.closest(".remove-source");
    if (remove) {
      removeSourceRow(remove.closest(".source-row"));
      keepDraft();
    }
  });
  form.querySelector(".cancel").addEventListener("click", (event) => {
    event.preventDefault();
    closeForm();
  });
  window.addEventListener("beforeunload", (event) => {
    // navigation, reload, closing the tab: the browser asks first (the draft is kept anyway)
    if (!form.hidden && state.dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  const discard = document.querySelector("#draft-restored .discard-draft");
  if (discard) {
    discard.addEventListener("click", () => {
      forgetDraft();
      markActive(null);
      showEmpty();
    });
  }
}

// true when keys typed go into a text field (then `/` and the verdict keys are plain text)
function typing(target) {
  if (!target || !target.closest) return false;
  if (target.isContentEditable) return true;
  const field = target.closest("textarea, select, input");
  return !!field && !(field.tagName === "INPUT" && ["radio", "checkbox", "button", "submit", "reset"].includes(field.type));
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form && !form.hidden) {
    event.preventDefault();
    save("submit");
    return;
  }
  if (event.key === "Escape") {
    closeForm();
    return;
  }
  if (form && !form.hidden && event.altKey && event.code === "KeyQ") {
    event.preventDefault();
    useQuote();
    return;
  }
  if (onNudgeKey(event)) return;
  if (typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "/") {
    if (openFind()) event.preventDefault();
    return;
  }
  if (form && !form.hidden) {
    const radio = form.querySelector(`input[name="verdict"][data-shortcut="${CSS.escape(event.key)}"]`);
    if (radio) {
      radio.checked = true;
      radio.focus();
      event.preventDefault();
    }
  }
});

renderHighlights();
linkMatchesInPlace();
const restored = form ? restoreDraft() : false;
if (!restored) startFromMatch();
const wanted = /^#annotation-(\d+)$/.exec(window.location.hash);
if (wanted && !restored) {
  const id = Number(wanted[1]);
  markActive(id);
  const first = root.querySelector(`.hl[data-ids~="${id}"]`);
  if (first) first.scrollIntoView({ block: "center" });
  if (!document.getElementById(`annotation-${id}`)) openAnnotation(id);
}
// suggestions on the article's sentences (suggestions.js): fetched once the page is painted
requestAnimationFrame(() => setTimeout(() => import("./suggestions.js"), 0));
