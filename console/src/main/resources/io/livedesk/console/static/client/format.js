// Display helpers shared by the desk and the widget.

/** 0:07, 12:34, 1:02:03 */
export function fmtDuration(ms) {
  const s = Math.max(0, Math.floor((ms || 0) / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const p = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${p(m)}:${p(r)}` : `${m}:${p(r)}`;
}

/** "Alex Chen" → "AC"; a name in a script without spaces between names (陈明) → its first character. */
export function initials(name) {
  const s = String(name || "").trim();
  if (!s) return "?";
  const parts = s.split(/\s+/);
  if (parts.length > 1 && /^[\x00-\x7f]/.test(s)) return (parts[0][0] + parts.at(-1)[0]).toUpperCase();
  return Array.from(s)[0].toUpperCase();
}

/**
 * Ends that are nobody's choice (a party's connection was lost, the service restarted) are shown without the
 * success tick of a call someone hung up.
 */
const NEUTRAL_ENDS = new Set(["customer_disconnected", "staff_disconnected", "server_shutdown", "lost"]);

/** "neutral" or "ok": how the end of a call (by its reason) is shown. */
export function endTone(reason) {
  return NEUTRAL_ENDS.has(reason) ? "neutral" : "ok";
}
