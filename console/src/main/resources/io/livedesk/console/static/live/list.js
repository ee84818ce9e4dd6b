// The list of upcoming and live broadcasts (/live/): the public GET /api/broadcasts, one tile each,
// linking to the broadcast's page. Test hooks: live-list (items live-list-item, data-broadcast-id),
// live-list-empty, live-list-lang.
import { createApi } from "../client/api.js";
import { el } from "../client/dom.js";
import { lookup, normLang, browserLang } from "../client/i18n.js";
import { STRINGS } from "./strings.js";

let lang = normLang(new URLSearchParams(location.search).get("lang")) || browserLang();
let broadcasts = [];
const t = (key, vars) => lookup(STRINGS, lang, key, vars);
const $ = (id) => document.getElementById(id);

function when(iso) {
  return new Date(iso).toLocaleString(lang === "zh" ? "zh-CN" : "en", { dateStyle: "medium", timeStyle: "short" });
}

function tile(b) {
  const cover = el("div", { class: "cover" });
  if (b.coverImageUrl && /^https?:\/\//i.test(b.coverImageUrl)) cover.style.backgroundImage = `url("${encodeURI(b.coverImageUrl)}")`;
  const badge = el("span", { class: b.state === "live" ? "badge live" : "badge",
    text: b.state === "live" ? t("live") : t("scheduled", { time: when(b.scheduledAt) }) });
  return el("li", { class: "tile", "data-testid": "live-list-item", "data-broadcast-id": b.id },
    el("a", { href: "/live/" + encodeURIComponent(b.id) + "?lang=" + lang }, cover,
      el("div", { class: "body" }, el("h2", { text: b.title }), badge, el("p", { text: b.description || "" }))));
}

function render() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  $("list-title").textContent = t("list");
  $("lang").textContent = t("langSwitch");
  $("list-empty").textContent = t("listEmpty");
  $("list-empty").hidden = broadcasts.length > 0;
  $("tiles").replaceChildren(...broadcasts.map(tile));
}

$("lang").addEventListener("click", () => { lang = lang === "zh" ? "en" : "zh"; render(); });
createApi().get("/api/broadcasts?state=live,scheduled", { auth: false })
  .then((r) => { broadcasts = r.broadcasts || []; render(); })
  .catch(() => render());
render();
