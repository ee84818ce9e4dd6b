// Page-level helpers of the desk: elements by id and the toast messages.
import { el } from "../client/dom.js";

export const $ = (id) => document.getElementById(id);

export function toast(text, kind = "info") {
  const item = el("div", { class: "toast " + kind, role: kind === "error" ? "alert" : "status", text });
  $("toasts").append(item);
  setTimeout(() => item.classList.add("out"), 4500);
  setTimeout(() => item.remove(), 5000);
}
