// Claimant suggestions under a claim form's "Claimant" field (the ARIA combobox pattern):
// as one types, GET /api/v1/claimants?q= proposes known claimants (aliases, accents and
// case ignored); arrow keys move, Enter or a click picks, Escape closes. Picking fills the
// name and the hidden claimant_id; typing again clears claimant_id (a typed name is
// resolved by the server, a new one creates a claimant). Self-starting: every form with
// both input[name="claimant"] and a hidden input[name="claimant_id"] gets it; without the
// hidden input nothing happens.
//
// Labels: a JSON object in the hidden input's data-labels, else the "claimant_*" labels of
// the annotate page's data, else English.
import { api } from "./api.js";

const DEBOUNCE_MS = 200;
const LIMIT = 8;
const ENGLISH = {
  claimant_suggestions: "Known claimants",
  claimant_found_one: "{n} known claimant",
  claimant_found_other: "{n} known claimants",
  claimant_none: "No known claimant: a new one is created when you save.",
  claimant_alias: "also called “{alias}”",
  claimant_claims_one: "{n} claim",
  claimant_claims_other: "{n} claims",
};

let counter = 0;

function pageLabels(hidden) {
  let own = {};
  try {
    own = JSON.parse(hidden.dataset.labels || "{}");
  } catch {
    own = {};
  }
  let page = {};
  const data = document.getElementById("annotate-data");
  if (data) {
    try {
      page = JSON.parse(data.textContent).labels || {};
    } catch {
      page = {};
    }
  }
  const labels = { ...ENGLISH };
  for (const key of Object.keys(ENGLISH)) labels[key] = own[key] || page[key] || ENGLISH[key];
  return labels;
}

function plural(n, one, other) {
  const rule = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
  return (rule === "one" ? one : other).replace("{n}", n.toLocaleString());
}

function ensureStylesheet() {
  const href = new URL("../css/claimants.css", import.meta.url).href;
  if ([...document.styleSheets].some((sheet) => sheet.href === href)) return;
  if (document.querySelector(`link[data-claimant-suggest]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href;
  link.dataset.claimantSuggest = "";
  document.head.append(link);
}

export class ClaimantSuggest {
  constructor(input, hidden) {
    counter += 1;
    this.input = input;
    this.hidden = hidden;
    this.labels = pageLabels(hidden);
    this.items = [];
    this.active = -1;
    this.timer = null;
    this.seq = 0;
    this.lastQuery = null;

    // the list hangs under the field; the input itself is never moved (moving it would
    // take the focus from someone already typing in it when this script starts)
    this.wrapper = input.parentElement;
    this.wrapper.classList.add("claimant-suggest");

    this.list = document.createElement("ul");
    this.list.id = `claimant-options-${counter}`;
    this.list.className = "claimant-options";
    this.list.setAttribute("role", "listbox");
    this.list.setAttribute("aria-label", this.labels.claimant_suggestions);
    this.list.hidden = true;
    input.after(this.list);

    this.status = document.createElement("p");
    this.status.className = "sr-only";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.list.after(this.status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.list.id);
    input.setAttribute("autocomplete", "off");

    input.addEventListener("input", () => this.onInput());
    input.addEventListener("keydown", (event) => this.onKey(event));
    input.addEventListener("blur", () => window.setTimeout(() => this.close(), 150));
    // a press on an option must not take the focus away before the click picks it
    this.list.addEventListener("mousedown", (event) => event.preventDefault());
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest('[role="option"]');
      if (option) this.pick(Number(option.dataset.index));
    });
  }

  onInput() {
    // a name typed is not the claimant picked any more
    this.hidden.value = "";
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.load(), DEBOUNCE_MS);
  }

  async load() {
    const q = this.input.value.trim();
    if (!q) {
      this.close();
      this.lastQuery = null;
      return;
    }
    if (q === this.lastQuery && !this.list.hidden) return;
    this.lastQuery = q;
    const seq = ++this.seq;
    let answer;
    try {
      answer = await api("GET", `/api/v1/claimants?q=${encodeURIComponent(q)}&limit=${LIMIT}`);
    } catch {
      return; // suggestions are a help: without them the typed name is saved as it is
    }
    if (seq !== this.seq || document.activeElement !== this.input) return;
    this.show(answer.items || []);
  }

  show(items) {
    this.items = items;
    this.active = -1;
    this.list.replaceChildren(
      ...items.map((item, index) => {
        const option = document.createElement("li");
        option.id = `${this.list.id}-${index}`;
        option.className = "claimant-option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(index);
        const name = document.createElement("span");
        name.className = "option-name";
        name.textContent = item.name;
        option.append(name);
        const notes = [];
        if (item.matched_alias) notes.push(this.labels.claimant_alias.replace("{alias}", item.matched_alias));
        if (item.description) notes.push(item.description);
        notes.push(plural(item.claims || 0, this.labels.claimant_claims_one, this.labels.claimant_claims_other));
        const note = document.createElement("span");
        note.className = "option-note";
        note.textContent = notes.join(" · ");
        option.append(note);
        return option;
      }),
    );
    this.status.textContent = items.length
      ? plural(items.length, this.labels.claimant_found_one, this.labels.claimant_found_other)
      : this.labels.claimant_none;
    if (items.length) this.open();
    else this.close();
  }

  open() {
    this.list.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  close() {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  isOpen() {
    return !this.list.hidden && this.items.length > 0;
  }

  move(step) {
    if (!this.items.length) return;
    const count = this.items.length;
    this.active = this.active < 0 ? (step > 0 ? 0 : count - 1) : (this.active + step + count) % count;
    for (const option of this.list.children) {
      const on = Number(option.dataset.index) === this.active;
      option.setAttribute("aria-selected", on ? "true" : "false");
      if (on) option.scrollIntoView({ block: "nearest" });
    }
    this.input.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
  }

  onKey(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!this.isOpen()) {
        if (this.items.length) this.open();
        else {
          this.load();
          return;
        }
      }
      event.preventDefault();
      this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && this.isOpen() && this.active >= 0 && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      event.stopPropagation();
      this.pick(this.active);
    } else if (event.key === "Escape" && this.isOpen()) {
      // close the list only: the page's own Escape (closing the form) waits for the next one
      event.preventDefault();
      event.stopPropagation();
      this.close();
    } else if (event.key === "Tab") {
      this.close();
    }
  }

  pick(index) {
    const item = this.items[index];
    if (!item) return;
    this.input.value = item.name;
    this.hidden.value = String(item.id);
    this.lastQuery = item.name;
    this.close();
    this.input.focus();
    // the page keeps its draft on "change" (an "input" event would clear the id again)
    this.input.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

export function attachClaimantSuggest(root = document) {
  const attached = [];
  for (const input of root.querySelectorAll('input[name="claimant"]')) {
    const form = input.form;
    const hidden = form ? form.querySelector('input[type="hidden"][name="claimant_id"]') : null;
    if (!hidden || input.dataset.claimantSuggest) continue;
    input.dataset.claimantSuggest = "on";
    ensureStylesheet();
    attached.push(new ClaimantSuggest(input, hidden));
  }
  return attached;
}

attachClaimantSuggest();
