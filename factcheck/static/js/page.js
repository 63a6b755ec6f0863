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
