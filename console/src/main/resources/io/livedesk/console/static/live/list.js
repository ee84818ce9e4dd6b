// The list of upcoming and live broadcasts (/live/): the public GET /api/broadcasts, one tile each (cover,
// title, when, a live badge, the description), linking to the broadcast's page /live/{id}.
// Test hooks: live-list (items live-list-item, data-broadcast-id, data-state), live-list-empty, live-list-lang.
import { createApi } from "../client/api.js";
import { el } from "../client/dom.js";
import { lookup, normLang, browserLang } from "../client/i18n.js";
import { STRINGS } from "./strings.js";
import { listed } from "./model.js";

let lang = normLang(new URLSearchParams(location.search).get("lang")) || browserLang();
let broadcasts = null;   // null while loading
let failed = false;
const t = (key, vars) => lookup(STRINGS, lang, key, vars);
const $ = (id) => document.getElementById(id);

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? "" : d.toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function tile(b) {
  const live = b.state === "live";
  const cover = el("div", { class: "cover" },
    b.coverImageUrl ? el("img", { src: b.coverImageUrl, alt: "", loading: "lazy", referrerpolicy: "no-referrer" }) : null,
    live ? el("span", { class: "badge live", text: t("live") }) : null);
  const time = live ? null : el("time", { datetime: b.scheduledAt, text: t("scheduled", { time: when(b.scheduledAt) }) });
  return el("li", { class: "tile", "data-testid": "live-list-item", "data-broadcast-id": b.id, "data-state": b.state },
    el("a", { href: "/live/" + encodeURIComponent(b.id) + "?lang=" + lang }, cover,
      el("div", { class: "body" }, el("h2", { text: b.title }), time, b.description ? el("p", { text: b.description }) : null)));
}

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("list");
  $("list-title").textContent = t("list");
  $("list-lead").textContent = t("listLead");
  $("lang").textContent = t("langSwitch");
  $("lang").setAttribute("aria-label", t("langSwitchLabel"));
  const empty = $("list-empty");
  empty.textContent = failed ? t("listError") : t("listEmpty");
  empty.hidden = !(failed || (broadcasts && broadcasts.length === 0));
  $("tiles").setAttribute("aria-busy", String(broadcasts === null && !failed));
  $("tiles").replaceChildren(...(broadcasts || []).map(tile));
}

$("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  history.replaceState(null, "", location.pathname + "?lang=" + lang);
  render();
});
createApi().get("/api/broadcasts?state=live,scheduled", { auth: false })
  .then((r) => { broadcasts = listed(r); render(); })
  .catch(() => { failed = true; render(); });
render();
