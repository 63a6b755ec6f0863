// Article revisions on the annotate page: a notice on relocated and orphaned claims, and
// "Confirm this place" (POST /api/v1/annotations/<id>/anchor). Hooks into annotate.js
// through its "annotation:shown" event; the server renders the same notice without script.
import { api } from "./api.js";

const holder = document.getElementById("anchors-data");
const data = holder ? JSON.parse(holder.textContent) : null;
// the claims whose place this user may settle, decided by the server
// (permissions.can_settle_anchor): the script asks nothing else about who may
const maySettle = new Set(holder ? holder.dataset.maySettle.split(" ").filter(Boolean).map(Number) : []);

function notice(a) {
  const L = data.labels;
  const box = document.createElement("div");
  box.className = `anchor-notice anchor-${a.anchor}`;
  box.id = "anchor-notice";
  const line = document.createElement("p");
  const badge = document.createElement("span");
  badge.className = `badge badge-${a.anchor}`;
  badge.textContent = L[a.anchor];
  line.append(badge, " ", a.anchor === "relocated" ? L.relocated_text : L.orphaned_text);
  box.append(line);
  if (a.previous && a.previous.quote !== null) {
    const before = document.createElement("p");
    before.className = "muted";
    const quote = document.createElement("q");
    quote.className = "previous-quote";
    quote.textContent = a.previous.quote;
    before.append(L.before.replace("{n}", String(a.previous.revision)), " ", quote);
    box.append(before);
  }
  const mayConfirm = a.anchor === "relocated" && maySettle.has(a.id);
  if (mayConfirm) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "primary small anchor-confirm-button";
    button.textContent = L.confirm;
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await api("POST", `/api/v1/annotations/${a.id}/anchor`, { action: "confirm", version: a.version });
        const url = new URL(window.location.href);
        url.searchParams.set("annotation", String(a.id));
        url.hash = `annotation-${a.id}`;
        // the same address with a hash would not reload: then reload explicitly
        const same = url.pathname + url.search === window.location.pathname + window.location.search;
        if (same) {
          window.location.hash = url.hash;
          window.location.reload();
        } else {
          window.location.assign(url.toString());
        }
      } catch (err) {
        button.disabled = false;
        const error = document.createElement("p");
        error.className = "error";
        error.setAttribute("role", "alert");
        error.textContent = err.message;
        box.append(error);
      }
    });
    box.append(button);
  }
  return box;
}

if (data) {
  document.addEventListener("annotation:shown", (event) => {
    const { annotation, view } = event.detail;
    if (!annotation.anchor || annotation.anchor === "ok") return;
    const quote = view.querySelector(".view-quote");
    (quote || view.firstElementChild).after(notice(annotation));
  });
}
