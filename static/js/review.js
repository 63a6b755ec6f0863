// Review keyboard shortcuts. The forms work without this module; it only adds keys:
//   queue page: n starts reviewing
//   item page:  a approve · r focus the reject comment (Enter in it rejects) · s skip
//               f open "Fix and approve" at its first field (also the bar's Reject and Fix)
//               j / ArrowRight next item · k / ArrowLeft previous item · u undo my last decision
//   blind second verdict: a verdict's shortcut picks it, Enter commits (before any other key)

function typingIn(target) {
  if (!target) return false;
  const tag = target.tagName;
  if (tag === "INPUT" && (target.type === "radio" || target.type === "checkbox")) return false;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

function submitOnce(form) {
  if (!form || form.dataset.sent) return; // a held key or double press sends one decision
  form.dataset.sent = "1";
  form.requestSubmit();
}

function follow(id) {
  const link = document.getElementById(id);
  if (link) window.location.assign(link.href);
}

function blindKeys(event) {
  const form = document.getElementById("blind-form");
  if (!form) return false;
  if (event.key === "Enter") {
    if (!form.querySelector("input[name=verdict]:checked")) return false;
    submitOnce(form);
    return true;
  }
  const choice = Array.from(form.querySelectorAll("input[data-shortcut]")).find(
    (input) => input.dataset.shortcut === event.key,
  );
  if (!choice) return false;
  choice.checked = true;
  choice.focus();
  return true;
}

// The decision bar's Reject and Fix are links to their fields (they work without this
// module); here they also put the cursor there.
function openReject() {
  const comment = document.getElementById("reject-comment");
  if (!comment) return false;
  comment.scrollIntoView({ block: "center" });
  comment.focus({ preventScroll: true });
  return true;
}

function openFix() {
  const fix = document.getElementById("fix-approve");
  if (!fix) return false;
  fix.open = true;
  const claim = document.getElementById("fix-claim");
  fix.scrollIntoView({ block: "start" });
  if (claim) claim.focus({ preventScroll: true });
  return true;
}

function itemKeys(event) {
  const key = event.key;
  if (blindKeys(event)) {
    event.preventDefault();
    return;
  }
  if (key === "a") submitOnce(document.getElementById("approve-form"));
  else if (key === "r") openReject();
  else if (key === "f") openFix();
  else if (key === "s") submitOnce(document.getElementById("skip-form"));
  else if (key === "u") submitOnce(document.getElementById("undo-form"));
  else if (key === "j" || key === "ArrowRight") follow("next-item");
  else if (key === "k" || key === "ArrowLeft") follow("prev-item");
  else return;
  event.preventDefault();
}

function queueKeys(event) {
  if (event.key === "u" && document.getElementById("undo-form")) {
    event.preventDefault();
    submitOnce(document.getElementById("undo-form"));
    return;
  }
  if (event.key !== "n") return;
  const button = document.getElementById("start-reviewing");
  if (button && !button.disabled) {
    event.preventDefault();
    submitOnce(button.form);
  }
}

function onCommentKey(event) {
  const comment = event.target;
  if (event.key === "Escape") {
    comment.blur();
    return;
  }
  if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  if (comment.value.trim() === "") {
    comment.reportValidity();
    return;
  }
  submitOnce(comment.form);
}

function init() {
  const onItem = document.getElementById("review-item") !== null;
  const comment = document.getElementById("reject-comment");
  if (comment) comment.addEventListener("keydown", onCommentKey);
  for (const [id, open] of [
    ["reject-open", openReject],
    ["fix-open", openFix],
  ]) {
    const link = document.getElementById(id);
    if (link) link.addEventListener("click", (event) => open() && event.preventDefault());
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return;
    if (onItem) itemKeys(event);
    else queueKeys(event);
  });
}

init();
