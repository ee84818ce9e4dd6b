// Supervisors: the media bridges calls go through (GET /api/admin/bridges), as the node's last checks saw them,
// with Drain / Undrain per bridge (POST /api/admin/bridges/{id}/drain|undrain). A draining bridge takes no new
// call and keeps its own until they end; the list is read again every few seconds so its numbers fall.
import { t } from "../i18n.js";
import { el } from "../../client/dom.js";
import { desk, api } from "../store.js";
import { errText, errCode } from "../names.js";
import { $ } from "../ui.js";
import { isSupervisor } from "./live.js";

export const BRIDGES_REFRESH_MS = 5000;

// loadError: the last read failed; actionError: the last drain or undrain was refused (kept while the list is read
// again after it, so the supervisor sees why nothing changed).
let view = { items: null, takesNewCalls: true, loadError: null, actionError: null, changing: new Set() };

export function resetBridges() {
  view = { items: null, takesNewCalls: true, loadError: null, actionError: null, changing: new Set() };
}

/** For tests and the page: the list as last loaded and the last errors, if any. */
export function bridgesView() {
  return view;
}

/** The drain or undrain path of a bridge; ids are addresses (host:port, maybe a path) or a node id. */
export function bridgePath(id, action) {
  return "/api/admin/bridges/" + encodeURIComponent(id) + "/" + action;
}

/** down | shutting-down | draining | up: what the state column says, worst first. */
export function bridgeState(b) {
  if (b?.shuttingDown) return "shutting-down";
  if (!b?.up || b?.healthy === false) return "down";
  if (b?.draining) return "draining";
  return "up";
}

/** One row's cells as text, in the table's column order; "—" for what the bridge has not reported yet. */
export function bridgeCells(b, tr = t) {
  const n = (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : "—");
  const stress = typeof b?.stress === "number" ? b.stress.toFixed(2) : "—";
  return [String(b?.id ?? "—"), b?.kind ? tr("bridges.kind." + b.kind) : "—", b?.region || "—",
    tr("bridges.state." + bridgeState(b)), stress, n(b?.conferences), n(b?.endpoints), n(b?.relays ?? 0),
    b?.version || "—"];
}

/** An error in plain words, with its code for IT support. */
function plain(key, err, vars = {}) {
  const code = errCode(err);
  return t(key, { ...vars, reason: errText(err) }) + (code ? " (" + code + ")" : "");
}

export async function loadBridges() {
  if (!desk.token || !isSupervisor()) return;
  try {
    const j = await api.get("/api/admin/bridges");
    view = { ...view, items: Array.isArray(j?.bridges) ? j.bridges : [], takesNewCalls: j?.takesNewCalls !== false,
      loadError: null };
  } catch (err) {
    if (err?.code === "stale") return; // signed out or in as someone else meanwhile
    view = { ...view, loadError: plain("bridges.loadError", err) };
  }
  renderBridges();
}

/** Drains (drain true) or undrains one bridge, then reads the list again; a refusal is shown in the panel. */
export async function setDrain(id, drain) {
  if (view.changing.has(id)) return;
  view.changing.add(id);
  renderBridges();
  try {
    await api.post(bridgePath(id, drain ? "drain" : "undrain"), undefined);
    view = { ...view, actionError: null };
  } catch (err) {
    if (err?.code !== "stale") {
      view = { ...view, actionError: plain(drain ? "bridges.drainError" : "bridges.undrainError", err, { id }) };
    }
  } finally {
    view.changing.delete(id);
  }
  await loadBridges();
  renderBridges();
}

function row(b) {
  const state = bridgeState(b);
  const cells = bridgeCells(b).map((text, i) => el(i === 0 ? "th" : "td", i === 0 ? { scope: "row", text } : { text }));
  const draining = !!b.draining;
  const button = el("button", { type: "button", class: "btn small" + (draining ? "" : " secondary"),
    "data-testid": draining ? "desk-bridge-undrain" : "desk-bridge-drain",
    text: t(draining ? "bridges.undrain" : "bridges.drain"), onclick: () => setDrain(b.id, !draining) });
  button.disabled = view.changing.has(b.id);
  return el("tr", { "data-testid": "desk-bridge", "data-bridge-id": b.id, "data-state": state },
    ...cells, el("td", {}, button));
}

export function renderBridges() {
  const card = $("bridges-card");
  if (!card) return;
  card.hidden = !isSupervisor();
  if (!isSupervisor()) return;
  const items = view.items || [];
  $("bridges-list").replaceChildren(...items.map(row));
  const error = view.actionError || view.loadError;
  const note = error ? error
    : view.items && items.length === 0 ? t("bridges.none")
    : view.items && !view.takesNewCalls ? t("bridges.noneTakesCalls") : "";
  const noteEl = $("bridges-note");
  noteEl.textContent = note;
  noteEl.className = "small " + (error || (view.items && items.length && !view.takesNewCalls) ? "error-text" : "muted");
}
