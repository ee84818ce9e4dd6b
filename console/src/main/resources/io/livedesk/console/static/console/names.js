// How the desk names things: topics, languages, end reasons, errors, caption speakers, customer context.
import { t, getLang, has } from "./i18n.js";
import { desk } from "./store.js";

export function topicName(id) {
  const n = desk.topics.get(id);
  if (n) return n[getLang()] || n.en || id;
  return has("skill." + id) ? t("skill." + id) : String(id ?? "");
}

export function langName(code) {
  return has("lang." + code) ? t("lang." + code) : String(code ?? "");
}

export function reasonText(reason) {
  return has("reason." + reason) ? t("reason." + reason) : t("reason.other");
}

export function errText(err) {
  const code = err?.code || "network";
  if (has("err." + code)) return t("err." + code);
  return t("err.generic", { code });
}

export function speakerLabel(speaker, speakerId) {
  if (speakerId && speakerId === desk.me?.subject) return t("captions.you");
  return has("captions." + speaker) ? t("captions." + speaker) : String(speaker || "");
}

// What the customer's page sent along: their own words, shown as text, never taken for LiveDesk's own
// fields (a transfer arrives as the offer's typed `transfer`).
export function customerContext(context) {
  return Object.entries(context || {});
}

export function locale() {
  return getLang() === "zh" ? "zh-CN" : "en-GB";
}
