// Adjudication keys. The forms work without this module; it only adds the keyboard:
//   j / k   next / previous undecided group
//   1 … 9   accept that version of the focused group
//   e       open "accept with edits" of the first version (Ctrl+Enter in it accepts)
//   d       drop the focused group
//   u       undo my last decision (while the page offers it)
// Before a decision closes the article (the last open group), or drops a group whose
// annotators agree, it asks first: keys and buttons alike (#adjudication-checks, from
// templates/review/_adjudication_undo.html, says which groups and in which words).

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

function checks() {
  const el = document.getElementById("adjudication-checks");
  try {
    return {
      agreed: new Set(JSON.parse(el.dataset.agreed || "[]").map(String)),
      labels: JSON.parse(el.dataset.labels || "{}"),
    };
  } catch {
    return { agreed: new Set(), labels: {} };
  }
}

function askFirst(event) {
  const form = event.target;
  const group = form.closest && form.closest(".adj-group");
  if (!group || group.classList.contains("is-decided")) return;
  const { agreed, labels } = checks();
  const decision = form.querySelector("input[name=decision]");
  const questions = [];
  if (decision && decision.value === "drop" && agreed.has(group.dataset.start)) {
    questions.push(labels.drop_agreed);
  }
  const open = groups();
  if (open.length === 1 && open[0] === group) questions.push(labels.close);
  for (const question of questions) {
    if (question && !window.confirm(question)) {
      event.preventDefault();
      delete form.dataset.sent; // the key may be pressed again
      return;
    }
  }
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
  else if (key === "u" && document.getElementById("adjudication-undo")) {
    submitOnce(document.querySelector("#adjudication-undo button[type=submit]"));
  }
  else if (key === "e" && group) {
    const details = group.querySelector("details.adj-edit");
    if (!details) return;
    details.open = true;
    details.querySelector("textarea").focus();
  } else return;
  event.preventDefault();
}

document.addEventListener("keydown", onKey);
document.addEventListener("submit", askFirst);
focusGroup(groups()[0]);
