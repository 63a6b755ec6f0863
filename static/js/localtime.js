// Local time (issue 14): times are written in UTC by the server and shown in the user's
// zone: the one picked on the profile page (<html data-time-zone>), else the browser's.

let formatter = null;

function format() {
  if (formatter) return formatter;
  const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  const zone = document.documentElement.dataset.timeZone;
  try {
    formatter = new Intl.DateTimeFormat("en-GB", zone ? { ...options, timeZone: zone } : options);
  } catch {
    formatter = new Intl.DateTimeFormat("en-GB", options); // a zone this browser does not know
  }
  return formatter;
}

/** "2026-01-15 10:30" for a Date or an ISO string, in the user's zone. */
export function localTime(when) {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) return "";
  const part = {};
  for (const p of format().formatToParts(date)) part[p.type] = p.value;
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** "2026-01-15 09:30 UTC": what the tooltips say. */
export function utcTime(when) {
  const date = when instanceof Date ? when : new Date(when);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The day of an ISO string: a date without a time (midnight UTC exactly, as the server
 * stores "2024-03-12") as written, in no zone; a moment's day in the user's zone. */
export function localDay(when) {
  if (typeof when !== "string" || when === "") return "";
  if (/^\d{4}-\d{2}-\d{2}(T00:00(:00(\.0+)?)?(Z|\+00:00))?$/.test(when)) return when.slice(0, 10);
  return localTime(when).slice(0, 10);
}
