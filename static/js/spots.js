// Claims on a spot (issue 14): every claim at a clicked place, or under a new selection,
// listed in the panel, as Hypothesis's sidebar does. Each entry opens its claim.
import { api } from "./api.js";

const MAX = 20;

// the claims behind ``ids``, fetched at once (a spot holds a few claims, not hundreds)
export async function fetchClaims(ids) {
  const answers = await Promise.allSettled(ids.slice(0, MAX).map((id) => api("GET", `/api/v1/annotations/${id}`)));
  return answers.filter((a) => a.status === "fulfilled").map((a) => a.value);
}

export function showSpotList(section, heading, claims, { labels, verdicts, activeId, onOpen }) {
  section.querySelector(".spot-heading").textContent = heading;
  const list = section.querySelector("ol");
  list.replaceChildren();
  for (const a of claims) {
    const li = document.createElement("li");
    li.className = `v-${a.verdict || "none"}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "spot-item";
    if (a.id === activeId) button.setAttribute("aria-current", "true");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.setAttribute("aria-hidden", "true");
    const claim = document.createElement("span");
    claim.className = "spot-claim";
    claim.textContent = a.claim || `« ${a.quote} »`;
    const meta = document.createElement("span");
    meta.className = "spot-meta muted";
    // blind second verdict: hidden from this reviewer until they give theirs, not absent
    const hidden = a.second_verdict && (a.second_verdict.hidden || []).includes("verdict");
    const verdict = hidden ? labels.verdict_hidden : a.verdict ? verdicts[a.verdict] || a.verdict : labels.none;
    meta.textContent = `${verdict} · ${labels[a.status] || a.status} · ${a.author}`;
    button.append(swatch, claim, meta);
    button.addEventListener("click", () => {
      for (const b of list.querySelectorAll("[aria-current]")) b.removeAttribute("aria-current");
      button.setAttribute("aria-current", "true");
      onOpen(a);
    });
    li.append(button);
    list.append(li);
  }
  section.hidden = claims.length === 0;
}

export function hideSpotList(section) {
  section.hidden = true;
}
