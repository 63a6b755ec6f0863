// The Claims page: "/" focuses the search box, as Find does on the annotate page (the
// form itself is a plain GET form: the page works without this script).
const box = document.getElementById("q");

function typing(target) {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

document.addEventListener("keydown", (event) => {
  if (!box || event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typing(event.target)) return;
  event.preventDefault();
  box.focus();
  box.select();
});
