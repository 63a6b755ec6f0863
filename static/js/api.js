// Small wrapper around fetch for the JSON API: CSRF header, JSON errors as exceptions.

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

export class ApiError extends Error {
  constructor(status, code, message, body) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

// A long session can outlive its CSRF token (the server answers 400 csrf_failed). The page
// then fetches itself once for a fresh token from its <meta> and the call is sent again:
// the panel and what the user typed stay as they are.
export async function refreshCsrfToken() {
  const response = await fetch(window.location.href, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok) return false;
  const html = await response.text();
  const fresh = new DOMParser().parseFromString(html, "text/html").querySelector('meta[name="csrf-token"]');
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (!fresh || !meta || !fresh.content) return false;
  meta.content = fresh.content;
  return true;
}

// ``headers``: extra request headers, e.g. {"Idempotency-Key": key} for a create request
export async function api(method, url, body, headers = {}, retried = false) {
  try {
    return await send(method, url, body, headers);
  } catch (err) {
    if (!retried && err instanceof ApiError && err.code === "csrf_failed" && (await refreshCsrfToken().catch(() => false))) {
      return api(method, url, body, headers, true);
    }
    throw err;
  }
}

// A fresh Idempotency-Key: one per opening of a form, so a repeat creates nothing twice.
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function send(method, url, body, headers = {}) {
  const options = {
    method,
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(), ...headers },
    credentials: "same-origin",
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (err) {
    throw new ApiError(0, "network", "The server could not be reached. Nothing was saved; try again.");
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "error", error.message || response.statusText, data);
  }
  return data;
}
