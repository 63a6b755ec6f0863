// "Checked before?": the claims most similar to the one being written (or reviewed), with
// their verdicts, and a "Same claim" action that a person confirms. Nothing is linked
// automatically. Self-starting: every element with data-similar on the page gets a list.
import { api } from "./api.js";
import { localDay } from "./localtime.js";

const DEBOUNCE_MS = 400;
const LIMIT = 5;

function labelsOf(root) {
  try {
    return JSON.parse(root.dataset.labels || "{}");
  } catch {
    return {};
  }
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function safeHref(url) {
  return typeof url === "string" && (url.startsWith("/") || /^https?:\/\//i.test(url)) && !url.startsWith("//")
    ? url
    : null;
}

class SimilarPanel {
  constructor(root) {
    this.root = root;
    this.labels = labelsOf(root);
    this.list = root.querySelector(".similar-list");
    this.status = root.querySelector(".similar-status");
    this.form = root.closest("form");
    this.textarea = this.form ? this.form.querySelector('textarea[name="claim"]') : null;
    this.lastText = null;
    this.timer = null;
    this.seq = 0;
    this.confirmed = new Set();
  }

  start() {
    if (this.root.dataset.similar === "annotation") {
      this.load(`/api/v1/annotations/${this.root.dataset.annotationId}/similar?limit=${LIMIT}`);
      return;
    }
    if (!this.textarea) return;
    this.textarea.addEventListener("input", () => this.schedule());
    // the page's own script may fill the claim (another span selected): notice it too
    window.setInterval(() => this.schedule(), 1000);
    this.schedule();
  }

  annotationId() {
    return (this.form && this.form.dataset.annotationId) || this.root.dataset.annotationId || "";
  }

  version() {
    const input = this.form && this.form.querySelector('input[name="version"]');
    return Number((input && input.value) || this.root.dataset.version || 0);
  }

  setVersion(version) {
    const input = this.form && this.form.querySelector('input[name="version"]');
    if (input) input.value = String(version);
    this.root.dataset.version = String(version);
  }

  schedule() {
    const text = this.textarea.value.trim();
    if (text === this.lastText) return;
    this.lastText = text;
    window.clearTimeout(this.timer);
    if (text.length < 3) {
      this.render({ items: [], semantic: true }, true);
      return;
    }
    this.timer = window.setTimeout(() => {
      this.load(`/api/v1/claims/similar?limit=${LIMIT + 1}&text=${encodeURIComponent(text.slice(0, 2000))}`);
    }, DEBOUNCE_MS);
  }

  async load(url) {
    const seq = ++this.seq;
    this.root.setAttribute("aria-busy", "true");
    try {
      const answer = await api("GET", url);
      if (seq !== this.seq) return; // an older answer arriving late
      this.lastFigures = answer.query_figures || [];
      this.lastDirection = answer.query_direction || null;
      this.render(answer, false);
    } catch {
      if (seq === this.seq) this.status.textContent = this.labels.error || "";
    } finally {
      if (seq === this.seq) this.root.removeAttribute("aria-busy");
    }
  }

  render(answer, empty) {
    const own = this.annotationId();
    const items = (answer.items || [])
      .filter((item) => !(item.kind === "annotation" && String(item.id) === own))
      .slice(0, LIMIT);
    this.list.replaceChildren(...items.map((item) => this.row(item)));
    if (empty) {
      this.status.textContent = "";
    } else if (!items.length) {
      this.status.textContent = [this.labels.none, this.hiddenText(answer.hidden)].filter(Boolean).join(" ");
    } else {
      const route = answer.semantic ? "" : this.labels.lexical;
      this.status.textContent = [route, this.hiddenText(answer.hidden)].filter(Boolean).join(" ");
    }
  }

  // suggestions under the ranking's floor are not listed; the answer says how many
  hiddenText(count) {
    const n = Number(count) || 0;
    if (n <= 0) return "";
    let form = "other";
    try {
      form = new Intl.PluralRules(document.documentElement.lang || "en").select(n);
    } catch {
      form = n === 1 ? "one" : "other";
    }
    const text = form === "one" ? this.labels.weaker_one : this.labels.weaker_other;
    return (text || "").replace("{n}", String(n));
  }

  row(item) {
    const target = item.kind === "annotation" ? `annotation:${item.id}` : item.url;
    const li = el("li", "similar-item");
    li.dataset.target = target;
    const head = el("div", "similar-head");
    // the verdict colours of the page: annotate (verdict-chip) or review (verdict-dot)
    // a claim in review of a blind project: no verdict before the user gives their own
    const key = item.verdict_hidden ? "hidden" : item.verdict || "none";
    const review = this.root.dataset.chip === "review";
    const chip = el("span", review ? `verdict verdict-${key}` : `verdict-chip v-${key}`);
    const text = item.verdict_hidden ? this.labels.hidden : item.verdict_label || item.verdict || "—";
    chip.append(el("span", review ? "verdict-dot" : "swatch"), document.createTextNode(text));
    chip.firstChild.setAttribute("aria-hidden", "true");
    head.append(chip);
    if (item.status === "submitted") head.append(el("span", "badge badge-submitted similar-checking", this.labels.being_checked));
    if (item.kind === "factcheck") head.append(el("span", "badge similar-kind", this.labels.factcheck));
    const score = el("span", "similar-score", `${Math.round((item.score || 0) * 100)} %`);
    score.title = this.labels.score || "";
    head.append(score);
    li.append(head);
    const href = safeHref(item.url);
    const claim = href ? el("a", "similar-claim", item.claim) : el("span", "similar-claim", item.claim);
    if (href) {
      claim.href = href;
      if (item.kind === "factcheck") {
        claim.target = "_blank";
        claim.rel = "noopener noreferrer";
      }
    }
    li.append(claim);
    // embeddings do not read numbers: "fell 20 %" and "fell 10 %" look alike to the model
    if (item.figures_differ && this.labels.figures) {
      const yours = (this.lastFigures || []).join(", ");
      const warning = this.labels.figures.replace("{theirs}", (item.figures || []).join(", ")).replace("{yours}", yours);
      li.append(el("p", "similar-figures", warning));
    }
    // nor which way a thing went: "rose" and "fell" look alike to it too
    if (item.direction_differs && item.direction && this.lastDirection && this.labels.direction) {
      const warning = this.labels.direction
        .replace("{theirs}", item.direction.words.join(", "))
        .replace("{yours}", this.lastDirection.words.join(", "));
      li.append(el("p", "similar-figures similar-direction", warning));
    }
    const meta = [item.claimant, localDay(item.checked_at), item.language].filter(Boolean).join(" · ");
    li.append(el("p", "similar-meta muted", meta));
    if (this.root.dataset.canConfirm) li.append(this.confirmButton(target));
    return li;
  }

  confirmButton(target) {
    const button = el("button", "small similar-confirm", this.labels.same);
    button.type = "button";
    if (this.confirmed.has(target)) {
      button.disabled = true;
      button.textContent = this.labels.confirmed;
    }
    button.addEventListener("click", async () => {
      const id = this.annotationId();
      if (!id) {
        this.status.textContent = this.labels.save_first || "";
        return;
      }
      button.disabled = true;
      try {
        const answer = await api("POST", `/api/v1/annotations/${id}/same_as`, { target, version: this.version() });
        this.setVersion(answer.version);
        this.confirmed.add(target);
        button.textContent = this.labels.confirmed;
        document.dispatchEvent(new CustomEvent("factcheck:same-as", { detail: answer }));
      } catch (err) {
        button.disabled = false;
        this.status.textContent = err.message || this.labels.error || "";
      }
    });
    return button;
  }
}

for (const root of document.querySelectorAll("[data-similar]")) {
  new SimilarPanel(root).start();
}
