// A claim's citation as the annotate page's view shows it: its stance (a coloured label,
// as on the review page) and its excerpts, each linking to the capture's reading view.

export function citationDetails(list, source) {
  const labels = list.dataset.labels ? JSON.parse(list.dataset.labels) : {};
  const parts = [];
  if (source.stance) {
    const badge = document.createElement("span");
    badge.className = `stance stance-${source.stance}`;
    badge.textContent = labels[source.stance] || source.stance;
    parts.push(" ", badge);
  }
  for (const excerpt of source.excerpts || []) {
    const quote = document.createElement("blockquote");
    quote.className = "excerpt-quote";
    quote.textContent = excerpt.quote;
    const read = document.createElement("a");
    const where = new URLSearchParams({ start: excerpt.start, end: excerpt.end });
    read.href = `/captures/${encodeURIComponent(excerpt.capture_id)}?${where}#excerpt`;
    read.textContent = labels.read || "→";
    read.className = "excerpt-read";
    parts.push(quote, read);
  }
  return parts;
}
