import { test } from "node:test";
import assert from "node:assert/strict";
import { STATIC } from "./fakes.js";

const { lookup, normLang } = await import(`${STATIC}/client/i18n.js`);
const desk = await import(`${STATIC}/console/i18n.js`);
const widget = await import(`${STATIC}/widget/strings.js`);

const table = { en: { hi: "Hello {name}", only: "English only" }, zh: { hi: "你好 {name}" } };

test("lookup: the language's string, else English, else the key; placeholders filled", () => {
  assert.equal(lookup(table, "zh", "hi", { name: "陈明" }), "你好 陈明");
  assert.equal(lookup(table, "zh", "only"), "English only");
  assert.equal(lookup(table, "en", "missing"), "missing");
  assert.equal(lookup(table, "en", "hi", {}), "Hello {name}", "an unknown placeholder stays visible");
});

test("normLang: zh-* is Chinese, en-* English, anything else unsupported", () => {
  assert.equal(normLang("zh-TW"), "zh");
  assert.equal(normLang("EN-gb"), "en");
  assert.equal(normLang("fr"), null);
  assert.equal(normLang(undefined), null);
});

test("the desk speaks English and Chinese and switches between them", () => {
  desk.setLang("en");
  assert.equal(desk.t("accept"), "Accept");
  assert.ok(desk.has("err.network"));
  desk.setLang("zh");
  assert.notEqual(desk.t("accept"), "Accept");
  assert.match(desk.t("offer.expires", { s: 9 }), /9/);
  desk.setLang("fr");
  assert.equal(desk.getLang(), "zh", "an unsupported language is ignored");
  desk.setLang("en");
});

for (const [name, strings] of [["desk", desk.STRINGS], ["widget", widget.STRINGS]]) {
  test(`every ${name} string has an English and a Chinese text with the same placeholders`, () => {
    const en = Object.keys(strings.en).sort(), zh = Object.keys(strings.zh).sort();
    assert.deepEqual(zh, en);
    const holes = (s) => (s.match(/\{\w+\}/g) || []).sort().join();
    for (const k of en) assert.equal(holes(strings.zh[k]), holes(strings.en[k]), k);
  });
}
