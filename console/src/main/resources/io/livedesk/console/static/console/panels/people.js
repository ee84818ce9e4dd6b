// Who is in the call, as the videos' labels and the notices name them. No DOM here: tiles.js draws, call.js
// decides when. Participants are the server's lists (call.started, call.participants): {name?, role, stream?,
// supervising?}; `stream` is the id their media arrives under (bridge mode), the one way to tell whose video
// a track is.

const ROLES = new Set(["customer", "staff", "supervisor"]);

/** "Li Wei · Customer"; just the role when no name was sent (a supervisor, as the customer's screen shows one). */
export function participantLabel(p, tr) {
  const role = tr("who." + (ROLES.has(p?.role) ? p.role : "other"));
  const name = typeof p?.name === "string" ? p.name.trim() : "";
  return name ? tr("who.label", { name, role }) : role;
}

/** The participant whose media arrives under this stream id, or null. */
export function participantOfStream(list, streamId) {
  if (!streamId || !Array.isArray(list)) return null;
  return list.find((p) => p && p.stream === streamId) || null;
}

/**
 * Of the tiles' stream ids, those whose participant is no longer in the call. A list without stream ids
 * (peer-to-peer, an older server) cannot tell, and drops nothing: the tracks ending does it then.
 */
export function departedStreams(tileStreams, list) {
  const listed = new Set((list || []).map((p) => p?.stream).filter(Boolean));
  if (!listed.size) return [];
  return [...tileStreams].filter((s) => !listed.has(s));
}

// A supervisor is the same person in two lists when their stream is; without streams, by name.
const key = (p) => p.stream || "name:" + (p.name || "");

/**
 * The supervisors who barged in or left between two lists, for the staff member's notices:
 * [{change: "joined"|"left"|"present", person}]. On the first list of a call (`before` null), those already
 * there are "present" (a call taken over by transfer). One who only listens in is not announced here: the
 * staff member sees them in the participants line.
 */
export function supervisorChanges(before, after) {
  const barging = (list) => (Array.isArray(list) ? list : [])
    .filter((p) => p && p.role === "supervisor" && p.supervising !== "monitor");
  const now = barging(after);
  if (before === null || before === undefined) return now.map((person) => ({ change: "present", person }));
  const then = barging(before);
  const thenKeys = new Set(then.map(key)), nowKeys = new Set(now.map(key));
  return [
    ...now.filter((p) => !thenKeys.has(key(p))).map((person) => ({ change: "joined", person })),
    ...then.filter((p) => !nowKeys.has(key(p))).map((person) => ({ change: "left", person }))
  ];
}

/** The notice for one change: "Chen Jing (supervisor) joined the call", or without a name "A supervisor …". */
export function supervisorNotice({ change, person }, tr) {
  const name = typeof person?.name === "string" ? person.name.trim() : "";
  return name ? tr("notice.supervisor." + change, { name }) : tr("notice.aSupervisor." + change);
}
