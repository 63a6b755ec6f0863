// Limits shown, never silent: a counter appears near a field's limit, and over it the
// field says by how much; nothing is ever cut (the server refuses the same with 422).

const NEAR = 0.8;

function codePoints(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function watchLimits(form, limits, labels) {
  const fields = Object.entries(limits)
    .map(([name, limit]) => ({ name, limit, input: form.elements[name] }))
    .filter((f) => f.input);
  for (const f of fields) {
    const counter = document.createElement("p");
    counter.className = "counter";
    counter.id = `${f.input.id}-count`;
    counter.setAttribute("aria-live", "polite");
    counter.hidden = true;
    f.input.after(counter);
    f.counter = counter;
    const described = f.input.getAttribute("aria-describedby");
    f.input.setAttribute("aria-describedby", described ? `${described} ${counter.id}` : counter.id);
  }

  function update() {
    for (const f of fields) {
      const n = codePoints(f.input.value.trim());
      const over = n > f.limit;
      f.counter.hidden = n < f.limit * NEAR;
      f.counter.classList.toggle("over", over);
      f.counter.textContent = over
        ? labels.too_long.replace("{n}", (n - f.limit).toLocaleString()).replace("{count}", n.toLocaleString()).replace("{limit}", f.limit.toLocaleString())
        : `${n.toLocaleString()} / ${f.limit.toLocaleString()}`;
      const holder = f.input.closest(".field");
      if (holder) holder.classList.toggle("over-limit", over);
    }
  }

  form.addEventListener("input", update);
  return {
    update,
    // the first field over its limit, as {name, message}, or null
    firstOver() {
      update();
      const f = fields.find((x) => codePoints(x.input.value.trim()) > x.limit);
      return f ? { name: f.name, message: f.counter.textContent } : null;
    },
  };
}
