// Page-level helpers of the desk: elements by id and the toast messages.
import { el } from "../client/dom.js";
import { t } from "./i18n.js";
import { errText, errCode } from "./names.js";

export const $ = (id) => document.getElementById(id);

/** @param detail small print under the text (a code for IT support), or nothing */
export function toast(text, kind = "info", detail = "") {
  const item = el("div", { class: "toast " + kind, role: kind === "error" ? "alert" : "status" },
    el("span", { text }), detail ? el("small", { class: "toast-detail", text: detail }) : null);
  $("toasts").append(item);
  setTimeout(() => item.classList.add("out"), 4500);
  setTimeout(() => item.remove(), 5000);
}

/** An error in plain words, its code in small print for IT support. */
export function errorToast(err) {
  const code = errCode(err);
  toast(errText(err), "error", code ? t("err.code", { code }) : "");
}
