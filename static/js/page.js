import { localTime } from "./localtime.js";

// Every page (issue 14): the top bar folds into a menu on phones, and a form marked
// data-confirm asks before it is sent (Deactivate, …).
document.documentElement.classList.add("js");
const bar = document.querySelector(".topbar");
const toggle = bar && bar.querySelector(".menu-toggle");
if (toggle) {
  toggle.addEventListener("click", () => {
    const open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

// Choosing a project in the top bar switches to it at once (the Switch button is there
// for a browser without script).
const projectSelect = document.getElementById("project-select");
if (projectSelect) {
  projectSelect.addEventListener("change", () => projectSelect.form.requestSubmit());
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Local time (issue 14): times are written in UTC by the server; they are shown in the
// user's zone (profile setting, else the browser's), with the UTC time in the tooltip.
// Exports stay in UTC.
for (const el of document.querySelectorAll("time[datetime]")) {
  const text = el.textContent.trim();
  if (!text.endsWith("UTC") || !el.dateTime.includes("T")) continue;
  const local = localTime(el.dateTime);
  if (!local) continue;
  el.title = text;
  // data-clock: the hour only ("until 14:05"), the date being today's; data-day: the day
  // only. A date without a time ("2024-03-12") is no moment and is left as written.
  if ("clock" in el.dataset) el.textContent = local.slice(11);
  else if ("day" in el.dataset) el.textContent = local.slice(0, 10);
  else el.textContent = local;
  el.classList.add("local-time");
}

// The top bar wraps onto a second line when its links do not fit (a narrow window, French
// labels): the sticky panels below it place themselves with its height (--topbar).
if (bar) {
  const keep = () => document.documentElement.style.setProperty("--topbar", `${bar.offsetHeight}px`);
  keep();
  if ("ResizeObserver" in window) new ResizeObserver(keep).observe(bar);
}
