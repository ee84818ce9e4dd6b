// How long to wait before the next reconnect attempt: exponential from 1 s, capped at 15 s, with "equal
// jitter" (half fixed, half random) so that the clients of a restarted node do not all come back at once.

export const BACKOFF_FIRST_MS = 1000;
export const BACKOFF_CAP_MS = 15000;

/** @param {number} attempt 0 for the first retry  @param {() => number} [random] */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_FIRST_MS * 2 ** attempt);
  return base / 2 + random() * base / 2;
}

/** After `server.shutdown`: the delay the node asked for, plus up to 1 s so its clients spread out. */
export function restartDelay(reconnectAfterMs, random = Math.random) {
  return (typeof reconnectAfterMs === "number" ? reconnectAfterMs : 2000) + random() * 1000;
}
