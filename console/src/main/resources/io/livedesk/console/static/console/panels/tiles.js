// The videos of further participants (a supervisor's view of the staff member, a supervisor who joined), one
// labelled tile per sender's stream in #remote-tiles. A tile goes when its participant leaves the call or
// when nothing live is left in its stream: the bridge stops forwarding a leaver's tracks, which removes them
// from the stream ("removetrack"; they are muted, not ended), so a frozen last frame never stays behind.
import { el } from "../../client/dom.js";
import { $ } from "../ui.js";

const watched = new WeakSet();

function tiles() {
  return [...$("remote-tiles").children];
}

/** Shows a further participant's stream in its tile, made on its first track. */
export function showTile(stream, track) {
  let tile = tiles().find((f) => f.dataset.stream === stream.id);
  if (!tile) {
    tile = el("figure", { class: "tile", "data-stream": stream.id, "data-testid": "desk-remote-tile" },
      el("video", { autoplay: "", playsinline: "" }),
      el("figcaption", { class: "tile-label", "data-testid": "desk-tile-label" }));
    $("remote-tiles").append(tile);
  }
  if (!watched.has(stream)) {
    watched.add(stream);
    stream.addEventListener("removetrack", dropEmptyTiles);
  }
  track?.addEventListener("ended", dropEmptyTiles);
  const video = tile.querySelector("video");
  if (video.srcObject !== stream) video.srcObject = stream;
  // A tile that cannot play with sound (autoplay policy) plays muted rather than frozen.
  video.play().catch(() => { video.muted = true; video.play().catch(() => {}); });
}

/** Takes away the tiles of these streams (their participants left). */
export function dropTiles(streamIds) {
  const gone = new Set(streamIds);
  for (const tile of tiles()) if (gone.has(tile.dataset.stream)) removeTile(tile);
}

export function tileStreams() {
  return tiles().map((f) => f.dataset.stream);
}

/** Names each tile with label(streamId); the accessible name of its video too. */
export function labelTiles(label) {
  for (const tile of tiles()) {
    const text = label(tile.dataset.stream);
    const caption = tile.querySelector("figcaption");
    if (caption.textContent !== text) caption.textContent = text;
    const video = tile.querySelector("video");
    if (video.getAttribute("aria-label") !== text) video.setAttribute("aria-label", text);
  }
}

export function clearTiles() {
  for (const tile of tiles()) removeTile(tile);
}

function dropEmptyTiles() {
  for (const tile of tiles()) {
    const stream = tile.querySelector("video").srcObject;
    if (!stream || !stream.getTracks().some((t) => t.readyState === "live")) removeTile(tile);
  }
}

function removeTile(tile) {
  const video = tile.querySelector("video");
  video.srcObject = null;
  tile.remove();
}
