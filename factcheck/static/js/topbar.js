// The top bar on a phone: the menu folds behind one button (issue 14).
document.documentElement.classList.add("js");
const bar = document.querySelector(".topbar");
const toggle = bar && bar.querySelector(".menu-toggle");
if (toggle) {
  toggle.addEventListener("click", () => {
    const open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}
