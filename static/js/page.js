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

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Local time (issue 14): times are written in UTC by the server; the browser shows them in
// its own time zone, with the UTC time in the tooltip. Exports stay in UTC.
function two(n) {
  return String(n).padStart(2, "0");
}

for (const el of document.querySelectorAll("time[datetime]")) {
  const text = el.textContent.trim();
  if (!text.endsWith("UTC") || !el.dateTime.includes("T")) continue;
  const when = new Date(el.dateTime);
  if (Number.isNaN(when.getTime())) continue;
  const local = `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ${two(when.getHours())}:${two(when.getMinutes())}`;
  el.title = text;
  el.textContent = local;
  el.classList.add("local-time");
}
