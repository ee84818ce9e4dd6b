// Translation lookup shared by the desk's and the widget's string tables ({en: {...}, zh: {...}}).

/** "en" or "zh" for a language tag, or null for a language the pages do not speak. */
export function normLang(tag) {
  const l = String(tag || "").toLowerCase();
  return l.startsWith("zh") ? "zh" : l.startsWith("en") ? "en" : null;
}

/** The browser's language if the pages speak it, else English. */
export function browserLang() {
  return normLang(globalThis.navigator?.language) === "zh" ? "zh" : "en";
}

/** The string for key in lang, else in English, else the key itself; {name} placeholders filled from vars. */
export function lookup(strings, lang, key, vars) {
  let s = strings[lang]?.[key] ?? strings.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}
