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

// Codes that mean the same to a staff member, and what each HTTP status without a code of its own comes to.
const ERR_SAME = {
  bad_json: "bad_message", unknown_type: "bad_message", frame_too_large: "bad_message",
  binary_not_supported: "bad_message", already_authenticated: "bad_message", bad_response: "bad_message",
  unauthenticated: "invalid_token", token: "invalid_token"
};
const ERR_STATUS = { 400: "bad_message", 401: "invalid_token", 403: "forbidden", 404: "not_found", 409: "invalid_state",
  429: "rate_limited" };

/**
 * The string key that explains an error code (the server's, "network", or "HTTP <status>") in plain words. A
 * code without words of its own gets the general text, never the code itself: that is small print (errCode).
 */
export function errKey(code, known = has) {
  const c = ERR_SAME[code] || code || "network";
  if (known("err." + c)) return "err." + c;
  const status = Number(/^HTTP (\d{3})$/.exec(String(code))?.[1]);
  if (ERR_STATUS[status]) return "err." + ERR_STATUS[status];
  if (status >= 500) return "err.unavailable";
  return "err.generic";
}

/** Why creating a demo token failed: the admin key (from the console link), the server's settings, the form. */
export function mintErrKey(code, known = has) {
  if (code === "unauthenticated" || code === "HTTP 401" || code === "forbidden") return "err.mint.key";
  if (code === "not_found" || code === "HTTP 404") return "err.mint.off";
  if (code === "bad_message" || code === "HTTP 400") return "err.mint.bad";
  return errKey(code, known);
}

export function errText(err) {
  return t(errKey(err?.code));
}

/** The code for IT support, shown in small print under the text; none for a network failure (nothing to look up). */
export function errCode(err) {
  const code = err?.code;
  return code && code !== "network" ? String(code) : "";
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
