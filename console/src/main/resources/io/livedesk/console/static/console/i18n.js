// LiveDesk console: UI strings (English and Chinese) and a tiny translation helper.
// Elements carry data-i18n="key" (text), data-i18n-placeholder, data-i18n-aria-label, data-i18n-title.

const STRINGS = {
  en: {
    "app.title": "LiveDesk — Staff desk",
    "skip": "Skip to content",
    "app.sub": "Staff desk",
    "lang.toggle": "中文",
    "lang.toggleLabel": "切换到中文",
    "lang.en": "English",
    "lang.zh": "中文",

    "signin.title": "Sign in to the staff desk",
    "signin.lead": "Serve customers face to face over secure video. Sign in with the token issued by your bank, or create a demo identity on this server.",
    "token.title": "Sign in with a token",
    "token.lead": "Your bank's identity system issues staff tokens.",
    "token.label": "Access token",
    "token.ph": "Paste your token (eyJ…)",
    "signin": "Sign in",
    "demo.title": "Demo sign-in",
    "demo.lead": "Creates a staff token on this server using the admin key from the start-up link.",
    "demo.name": "Your name",
    "demo.namePh": "e.g. Zhang Min",
    "demo.skills": "Skills",
    "demo.languages": "Languages",
    "demo.key": "Admin key",
    "demo.keyHint": "Filled in from the #key=… part of the console link the server prints at start-up.",
    "demo.signin": "Create token and sign in",
    "skill.accounts": "Accounts",
    "skill.cards": "Cards",
    "skill.loans": "Loans & mortgages",
    "skill.wealth": "Wealth & investments",
    "signin.busy": "Signing in…",

    "err.token_required": "Paste a token first.",
    "err.name_required": "Enter your name.",
    "err.skills_required": "Choose at least one skill.",
    "err.languages_required": "Choose at least one language.",
    "err.key_required": "The admin key is missing. Open the console link printed by the server at start-up, or paste the key.",
    "err.mint": "The server refused to create a token ({code}).",
    "err.invalid_token": "This token is not valid or has expired. Please sign in again.",
    "err.not_staff": "This token does not belong to a staff member.",
    "err.network": "Cannot reach the LiveDesk server. Check your connection.",
    "err.session_replaced": "You signed in from another window, so this one was signed out.",
    "err.forbidden": "You are not allowed to do that.",
    "err.generic": "Something went wrong ({code}).",
    "err.offer_expired": "That customer is no longer waiting.",
    "err.rate_limited": "Too many actions — please wait a moment.",

    "status.label": "Your status",
    "status.available": "Available",
    "status.away": "Away",
    "status.busy": "Busy",
    "status.offline": "Offline",
    "signout": "Sign out",

    "state.signed-out": "Signed out",
    "state.available": "Available — incoming calls will appear here",
    "state.away": "Away — you won't receive calls",
    "state.busy": "Busy — at capacity",
    "state.ringing": "Incoming call — answer or decline",
    "state.in-call": "In a call",
    "state.ended": "Call ended",
    "reconnecting": "Connection lost — reconnecting…",
    "restarting": "The server is restarting — reconnecting shortly…",

    "idle.available.title": "Waiting for customers",
    "idle.available.body": "Keep this tab open. When a customer who needs your skills calls, their details appear here with Accept and Decline.",
    "idle.away.title": "You're away",
    "idle.away.body": "Set yourself Available when you're ready to take calls.",
    "idle.away.action": "Go available",
    "idle.busy.title": "You're busy",
    "idle.busy.body": "You are at your call capacity. New calls will wait until you're free.",

    "offer.title": "Incoming video call",
    "offer.topic": "Topic",
    "offer.language": "Language",
    "offer.priority": "Priority",
    "offer.waited": "Waited",
    "offer.context": "Context",
    "offer.expires": "Answer within {s} s",
    "offer.expiring": "Ringing out…",
    "accept": "Accept",
    "decline": "Decline",
    "offer.declined": "Call declined — it goes to the next advisor.",
    "offer.revoked.timeout": "A call rang out unanswered.",
    "offer.revoked.cancelled": "The customer stopped waiting.",

    "call.customer": "Customer",
    "call.details": "Customer details",
    "call.noContext": "No context was shared.",
    "call.waitingVideo": "Waiting for the customer's video…",
    "call.startingCamera": "Starting your camera…",
    "call.mediaError": "Your camera or microphone is unavailable — check the browser's permissions.",
    "conn.new": "Setting up media…",
    "conn.connecting": "Connecting media…",
    "conn.connected": "Connected",
    "conn.disconnected": "Connection unstable…",
    "conn.failed": "Media connection failed",
    "conn.closed": "Closed",
    "mute": "Mute microphone",
    "unmute": "Unmute microphone",
    "camOff": "Turn camera off",
    "camOn": "Turn camera on",
    "hangup": "Hang up",

    "ended.title": "Call ended",
    "ended.talk": "Talk time {d}",
    "ended.back": "Back to desk",
    "ended.returning": "Returning to the desk in {s} s",
    "reason.customer_hangup": "The customer hung up.",
    "reason.staff_hangup": "You ended the call.",
    "reason.customer_disconnected": "The customer's connection was lost.",
    "reason.staff_disconnected": "Your connection was lost.",
    "reason.server_shutdown": "The server shut down.",
    "reason.customer_cancelled": "The customer cancelled.",
    "reason.other": "The call ended.",
    "short.customer_hangup": "Customer hung up",
    "short.staff_hangup": "You hung up",
    "short.customer_disconnected": "Customer lost connection",
    "short.staff_disconnected": "You lost connection",
    "short.server_shutdown": "Server shutdown",
    "short.customer_cancelled": "Cancelled",
    "short.active": "In progress",

    "recent.title": "Recent calls",
    "recent.refresh": "Refresh",
    "recent.empty": "No calls yet today.",
    "recent.error": "Couldn't load recent calls.",
    "recent.wait": "Wait {d}",
    "recent.talk": "Talk {d}",

    "profile.title": "Your profile",
    "profile.skills": "Skills",
    "profile.languages": "Languages",
    "profile.capacity": "Capacity",
    "profile.load": "{load} of {capacity} calls",
    "profile.node": "Server node",

    "title.ringing": "● Incoming call — LiveDesk"
  },
  zh: {
    "app.title": "LiveDesk — 员工工作台",
    "skip": "跳至正文",
    "app.sub": "员工工作台",
    "lang.toggle": "EN",
    "lang.toggleLabel": "Switch to English",
    "lang.en": "English",
    "lang.zh": "中文",

    "signin.title": "登录员工工作台",
    "signin.lead": "通过安全视频为客户提供面对面服务。请使用银行签发的令牌登录，或在本服务器上创建演示身份。",
    "token.title": "使用令牌登录",
    "token.lead": "员工令牌由银行的身份认证系统签发。",
    "token.label": "访问令牌",
    "token.ph": "粘贴您的令牌（eyJ…）",
    "signin": "登录",
    "demo.title": "演示登录",
    "demo.lead": "使用启动链接中的管理密钥，在本服务器上创建员工令牌。",
    "demo.name": "您的姓名",
    "demo.namePh": "例如：张敏",
    "demo.skills": "业务技能",
    "demo.languages": "服务语言",
    "demo.key": "管理密钥",
    "demo.keyHint": "自动取自服务启动时打印的控制台链接中的 #key=… 部分。",
    "demo.signin": "创建令牌并登录",
    "skill.accounts": "账户服务",
    "skill.cards": "银行卡",
    "skill.loans": "贷款与按揭",
    "skill.wealth": "财富与投资",
    "signin.busy": "正在登录…",

    "err.token_required": "请先粘贴令牌。",
    "err.name_required": "请输入您的姓名。",
    "err.skills_required": "请至少选择一项业务技能。",
    "err.languages_required": "请至少选择一种语言。",
    "err.key_required": "缺少管理密钥。请打开服务启动时打印的控制台链接，或手动粘贴密钥。",
    "err.mint": "服务器拒绝创建令牌（{code}）。",
    "err.invalid_token": "令牌无效或已过期，请重新登录。",
    "err.not_staff": "此令牌不属于员工账号。",
    "err.network": "无法连接 LiveDesk 服务器，请检查网络。",
    "err.session_replaced": "您已在其他窗口登录，此窗口已退出。",
    "err.forbidden": "您无权执行此操作。",
    "err.generic": "出现问题（{code}）。",
    "err.offer_expired": "该客户已不在等待。",
    "err.rate_limited": "操作过于频繁，请稍候。",

    "status.label": "您的状态",
    "status.available": "空闲",
    "status.away": "离开",
    "status.busy": "忙碌",
    "status.offline": "离线",
    "signout": "退出登录",

    "state.signed-out": "未登录",
    "state.available": "空闲 — 来电将显示在这里",
    "state.away": "离开 — 不会收到来电",
    "state.busy": "忙碌 — 已达接待上限",
    "state.ringing": "来电 — 请接听或拒绝",
    "state.in-call": "通话中",
    "state.ended": "通话已结束",
    "reconnecting": "连接中断，正在重新连接…",
    "restarting": "服务器正在重启，即将重新连接…",

    "idle.available.title": "等待客户接入",
    "idle.available.body": "请保持此页面开启。当有符合您业务技能的客户来电时，其信息会显示在这里，您可以选择接听或拒绝。",
    "idle.away.title": "您当前为离开状态",
    "idle.away.body": "准备好接听来电时，请将状态设为空闲。",
    "idle.away.action": "设为空闲",
    "idle.busy.title": "您当前忙碌",
    "idle.busy.body": "您已达到接待上限，新的来电将等待您空闲后再分配。",

    "offer.title": "视频来电",
    "offer.topic": "业务",
    "offer.language": "语言",
    "offer.priority": "优先级",
    "offer.waited": "已等待",
    "offer.context": "来源信息",
    "offer.expires": "请在 {s} 秒内接听",
    "offer.expiring": "即将超时…",
    "accept": "接听",
    "decline": "拒绝",
    "offer.declined": "已拒绝，来电将转给下一位顾问。",
    "offer.revoked.timeout": "有一通来电未接听已超时。",
    "offer.revoked.cancelled": "客户已停止等待。",

    "call.customer": "客户",
    "call.details": "客户信息",
    "call.noContext": "客户未提供来源信息。",
    "call.waitingVideo": "等待客户视频…",
    "call.startingCamera": "正在开启摄像头…",
    "call.mediaError": "无法使用摄像头或麦克风，请检查浏览器权限。",
    "conn.new": "正在准备媒体…",
    "conn.connecting": "正在建立媒体连接…",
    "conn.connected": "已连接",
    "conn.disconnected": "连接不稳定…",
    "conn.failed": "媒体连接失败",
    "conn.closed": "已关闭",
    "mute": "关闭麦克风",
    "unmute": "打开麦克风",
    "camOff": "关闭摄像头",
    "camOn": "打开摄像头",
    "hangup": "挂断",

    "ended.title": "通话已结束",
    "ended.talk": "通话时长 {d}",
    "ended.back": "返回工作台",
    "ended.returning": "{s} 秒后返回工作台",
    "reason.customer_hangup": "客户已挂断。",
    "reason.staff_hangup": "您已结束通话。",
    "reason.customer_disconnected": "客户的网络连接已中断。",
    "reason.staff_disconnected": "您的网络连接已中断。",
    "reason.server_shutdown": "服务器已关闭。",
    "reason.customer_cancelled": "客户已取消。",
    "reason.other": "通话已结束。",
    "short.customer_hangup": "客户挂断",
    "short.staff_hangup": "您挂断",
    "short.customer_disconnected": "客户断线",
    "short.staff_disconnected": "您断线",
    "short.server_shutdown": "服务器关闭",
    "short.customer_cancelled": "已取消",
    "short.active": "进行中",

    "recent.title": "最近通话",
    "recent.refresh": "刷新",
    "recent.empty": "今天还没有通话。",
    "recent.error": "无法加载最近通话。",
    "recent.wait": "等待 {d}",
    "recent.talk": "通话 {d}",

    "profile.title": "我的资料",
    "profile.skills": "业务技能",
    "profile.languages": "服务语言",
    "profile.capacity": "接待量",
    "profile.load": "{load} / {capacity} 通",
    "profile.node": "服务节点",

    "title.ringing": "● 视频来电 — LiveDesk"
  }
};

const KEY = "livedesk.lang";
const listeners = new Set();

function initialLang() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === "en" || saved === "zh") return saved;
  } catch { /* storage unavailable */ }
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

let lang = initialLang();

export function getLang() { return lang; }

export function setLang(l) {
  if (l !== "en" && l !== "zh") return;
  lang = l;
  try { localStorage.setItem(KEY, l); } catch { /* ignore */ }
  document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
  translate(document);
  for (const fn of listeners) fn(l);
}

export function onLangChange(fn) { listeners.add(fn); }

export function has(key) { return key in STRINGS.en; }

export function t(key, vars) {
  let s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll("[data-i18n-aria-label]")) el.setAttribute("aria-label", t(el.dataset.i18nAriaLabel));
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
}

document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
