// The site admin's users page: a row's roles form sets the roles held in the project of
// its selector, so its boxes show the roles held there whenever another project is chosen
// (the server renders them for the project selected first).
for (const form of document.querySelectorAll("form.roles-form[data-memberships]")) {
  const held = JSON.parse(form.dataset.memberships);
  const select = form.querySelector("select[name=project]");
  if (!select) continue;
  select.addEventListener("change", () => {
    const roles = held[select.value] || [];
    for (const box of form.querySelectorAll("input[data-project-role]")) {
      box.checked = roles.includes(box.value);
    }
  });
}
