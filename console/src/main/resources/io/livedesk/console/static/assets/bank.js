/*
 * Harbour Bank demo page: its own bilingual text and language switch (not part of the LiveDesk
 * widget; a real bank page has its own). Runs in <head> so <html lang> is set before the widget mounts.
 * Test hooks: bank-lang-en, bank-lang-zh (language buttons), bank-cta (hero "Start a video call").
 */
(function () {
  "use strict";
  var ZH = {
    skip: "跳至正文",
    "seg.personal": "个人银行", "seg.business": "企业银行", "seg.private": "私人银行",
    "util.branch": "查找网点", "util.contact": "联系我们",
    "nav.accounts": "账户", "nav.cards": "银行卡", "nav.loans": "贷款与按揭", "nav.wealth": "财富管理",
    "nav.help": "帮助", "nav.login": "登录", "nav.open": "立即开户",
    "hero.eyebrow": "视频银行服务现已上线",
    "hero.title": "面对面的银行服务，随时随地。",
    "hero.lead": "通过安全视频与海港银行顾问交流账户、银行卡、贷款或投资问题。无需预约，无需到网点排队。",
    "hero.cta": "发起视频通话", "hero.cta2": "了解账户",
    "hero.p1": "周一至周六 8:00–20:00", "hero.p2": "中英文顾问服务", "hero.p3": "加密传输至本行自有服务器",
    "mock.live": "顾问在线", "mock.name": "张敏", "mock.role": "按揭顾问 · Mortgage specialist", "mock.wait": "今日平均等待",
    "rate.saver": "海港储蓄账户浮动年利率", "rate.mortgage": "五年期固定利率按揭起", "rate.travel": "旅行卡境外交易手续费",
    "rate.support": "银行卡挂失专线",
    "prod.title": "满足生活各方面的银行服务", "prod.lead": "简单明了的产品，还有真人为您讲解。",
    "prod.acc.t": "日常账户", "prod.acc.d": "免月费，实时动账提醒，借记卡全球通用。",
    "prod.card.t": "信用卡", "prod.card.d": "超市消费返现，附赠旅行保险，一键冻结卡片。",
    "prod.loan.t": "住房贷款", "prod.loan.d": "首次购房或转按揭：了解可贷额度，并与专家详细沟通。",
    "prod.wealth.t": "财富与投资", "prod.wealth.d": "基金、养老金与财务规划，根据您的目标和风险偏好提供建议。",
    more: "了解更多", talk: "咨询专家",
    "how.title": "视频银行如何运作", "how.lead": "只需一部带摄像头的手机或电脑，无需安装任何软件。",
    "how.s1.t": "告诉我们您的需求", "how.s1.d": "点击“视频通话”，输入姓名，选择业务和语言。",
    "how.s2.t": "稍候片刻", "how.s2.d": "我们会显示您的排队位置和预计等待时间。",
    "how.s3.t": "面对面交流", "how.s3.d": "具备相应专业的顾问接听，当场为您解答。",
    "how.cta": "立即联系顾问",
    "sec.title": "安全提示",
    "sec.body": "海港银行绝不会索取您的网上银行密码、PIN 码或一次性验证码——无论是电话还是视频通话。",
    "sec.rec": "为保障服务质量及满足监管要求，视频通话可能会被录音录像。",
    "foot.tag": "稳健经营，始于 1898 年。", "foot.c1": "个人银行", "foot.c2": "帮助", "foot.c3": "关于我们",
    "foot.video": "视频银行", "foot.lost": "银行卡挂失", "foot.privacy": "隐私政策", "foot.access": "无障碍服务",
    "foot.terms": "条款与细则",
    "foot.fine": "© 2026 海港银行。此为演示 LiveDesk 视频服务的虚构银行，并非真实金融机构。",
    title: "海港银行 — 个人银行"
  };
  var KEY = "harbour.lang";

  function initial() {
    try { var s = localStorage.getItem(KEY); if (s === "en" || s === "zh") return s; } catch (e) { /* private mode */ }
    return (navigator.language || "en").toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
  }
  var lang = initial();
  document.documentElement.lang = lang;

  var english = null; // original English text, read from the page once
  function apply() {
    var nodes = document.querySelectorAll("[data-i18n]");
    if (!english) {
      english = { title: document.title };
      nodes.forEach(function (n) { english[n.getAttribute("data-i18n")] = english[n.getAttribute("data-i18n")] || n.textContent; });
    }
    var dict = lang === "zh" ? ZH : english;
    nodes.forEach(function (n) {
      var k = n.getAttribute("data-i18n");
      if (dict[k]) n.textContent = dict[k];
    });
    document.title = dict.title || english.title;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll(".lang-switch [data-lang]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-lang") === lang));
    });
  }

  function setLang(l) {
    lang = l;
    try { localStorage.setItem(KEY, l); } catch (e) { /* ignore */ }
    apply();
    showStatus();
    if (window.LiveDesk && window.LiveDesk.setLang) window.LiveDesk.setLang(l);
  }

  // "Advisor online" and the average wait come from LiveDesk's public status (GET /api/status), not fixed text.
  var STATUS_TEXT = {
    en: { live: "Advisor online", busy: "All advisors busy", min: "min", under: "< 1 min" },
    zh: { live: "顾问在线", busy: "顾问忙碌中", min: "分钟", under: "< 1 分钟" }
  };
  var status = null;
  function showStatus() {
    if (!status) return;
    var text = STATUS_TEXT[lang] || STATUS_TEXT.en;
    var label = document.getElementById("bank-status");
    label.removeAttribute("data-i18n");
    label.textContent = status.advisorsAvailable ? text.live : text.busy;
    document.getElementById("bank-status-dot").classList.toggle("busy", !status.advisorsAvailable);
    var chip = document.getElementById("bank-wait-chip");
    var secs = status.averageWaitTodaySeconds;
    chip.hidden = typeof secs !== "number";
    if (!chip.hidden) {
      document.getElementById("bank-wait").textContent = secs < 60 ? text.under : Math.round(secs / 60) + " " + text.min;
    }
  }
  function loadStatus() {
    fetch("/api/status").then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) { if (j) { status = j; showStatus(); } }, function () { /* the page works without it */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply();
    loadStatus();
    setInterval(loadStatus, 30000);
    document.querySelectorAll(".lang-switch [data-lang]").forEach(function (b) {
      b.addEventListener("click", function () { setLang(b.getAttribute("data-lang")); });
    });
    document.querySelectorAll("[data-open-livedesk]").forEach(function (b) {
      // A product's button names its topic and product, so the widget opens with that topic chosen.
      b.addEventListener("click", function () {
        if (window.LiveDesk) window.LiveDesk.open({ topic: b.getAttribute("data-topic"), product: b.getAttribute("data-product") });
      });
    });
  });
})();
