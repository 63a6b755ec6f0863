// Adjudication keys. The forms work without this module; it only adds the keyboard:
//   j / k   next / previous undecided group
//   1 … 9   accept that version of the focused group
//   e       open "accept with edits" of the first version (Ctrl+Enter in it accepts)
//   d       drop the focused group

function typingIn(target) {
  if (!target) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

const groups = () => Array.from(document.querySelectorAll(".adj-group:not(.is-decided)"));

function current() {
  const focused = document.activeElement && document.activeElement.closest(".adj-group");
  return focused && !focused.classList.contains("is-decided") ? focused : groups()[0];
}

function focusGroup(group) {
  if (!group) return;
  group.focus();
  group.scrollIntoView({ block: "start", behavior: "smooth" });
}

function move(step) {
  const all = groups();
  const index = all.indexOf(current());
  focusGroup(all[Math.min(Math.max(index + step, 0), all.length - 1)]);
}

function submitOnce(button) {
  const form = button && button.form;
  if (!form || form.dataset.sent) return; // a held key sends one decision
  form.dataset.sent = "1";
  form.requestSubmit(button);
}

function onKey(event) {
  if (event.ctrlKey && event.key === "Enter" && typingIn(event.target)) {
    const form = event.target.form;
    if (form) submitOnce(form.querySelector("button[type=submit]"));
    event.preventDefault();
    return;
  }
  if (typingIn(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
  const group = current();
  const key = event.key;
  if (key === "j") move(1);
  else if (key === "k") move(-1);
  else if (/^[1-9]$/.test(key) && group) {
    submitOnce(group.querySelector(`[data-accept="${key}"]`));
  } else if (key === "d" && group) submitOnce(group.querySelector("[data-drop]"));
  else if (key === "e" && group) {
    const details = group.querySelector("details.adj-edit");
    if (!details) return;
    details.open = true;
    details.querySelector("textarea").focus();
  } else return;
  event.preventDefault();
}

document.addEventListener("keydown", onKey);
focusGroup(groups()[0]);
