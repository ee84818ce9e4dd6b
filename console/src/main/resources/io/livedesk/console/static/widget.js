/*!
 * LiveDesk customer video-call widget. One classic script, no dependencies, one global: `LiveDesk`.
 *
 * Embed:
 *   <script src="https://livedesk.bank.example/widget.js"></script>
 *   <script>LiveDesk.mount({ token: async () => "...jwt..." });</script>
 *
 * Mount options (all optional except token):
 *   token    string, or function({name}) -> string | Promise<string>. Called each time a new
 *            session starts (and again once if the server says the token is invalid).
 *   server   base URL of the LiveDesk server; default: the origin this script was loaded from.
 *   lang     "en" | "zh"; default from navigator.language (zh for zh-*, else en).
 *   askName  true: the start form asks the customer's name and passes it to token({name}).
 *   name     prefills the name field (or is passed to token() when askName is false).
 *   topics   array of topic ids to offer (filter of the server's topics).
 *   context  object of strings sent with the request; default {page: location.pathname}.
 *   priority 0-9 request priority (the token's maxPriority caps it); default 0.
 *   launcher false: no floating button (open it with LiveDesk.open()).
 * API: LiveDesk.mount(opts), LiveDesk.open(), LiveDesk.close(), LiveDesk.setLang(l),
 *      LiveDesk.unmount(), LiveDesk.debug = { state(), peerConnection(), root(), host() }.
 *
 * The UI lives in an open Shadow DOM on <div id="livedesk-widget" data-testid="ld-host">; the host
 * also mirrors the state in its data-state attribute. Use LiveDesk.debug.root() to query inside.
 *
 * Test hooks (data-testid, inside the shadow root):
 *   ld-launch        floating launcher button
 *   ld-status        status line; data-state = idle|connecting|queued|ringing|in-call|ended|error
 *   ld-name          name input (when askName)
 *   ld-topic         <select>, option values = topic ids
 *   ld-language      <select>, option values = language codes
 *   ld-start         start button
 *   ld-form-error    validation message of the start form
 *   ld-queue         queue status text (position / estimated wait / connecting to an advisor)
 *   ld-cancel        leave-the-queue button
 *   ld-remote-video  remote <video>
 *   ld-local-video   local <video> (muted)
 *   ld-mute, ld-camera   microphone / camera toggles
 *   ld-hangup        hang up button
 *   ld-end-reason    why the call ended
 *   ld-restart       start a new call (after the end)
 *   ld-error         friendly error text;  ld-retry  try again
 *   ld-minimize      collapse the panel;   ld-lang-toggle  UI language switch
 *   ld-banner        reconnecting / notice banner
 */
(function () {
  "use strict";
  if (window.LiveDesk && window.LiveDesk.__livedesk) return;

  var SCRIPT_ORIGIN = (function () {
    try {
      var s = document.currentScript;
      if (s && s.src) return new URL(s.src, location.href).origin;
    } catch (e) { /* fall through */ }
    return location.origin;
  })();

  // ------------------------------------------------------------------ i18n
  var STRINGS = {
    en: {
      launch: "Video call",
      title: "Talk to an advisor",
      "status.idle": "Face to face, from wherever you are",
      "status.connecting": "Connecting…",
      "status.queued": "You're in the queue",
      "status.ringing": "Connecting you to an advisor…",
      "status.in-call": "In a video call",
      "status.in-call.with": "In a call with {name}",
      "note.transferred": "You're now talking to {name}.",
      "note.supervisor": "A supervisor has joined the call.",
      "status.ended": "Call ended",
      "status.error": "Something went wrong",
      intro: "Speak with one of our advisors over secure video. Tell us what you need and we'll connect you to the right person.",
      name: "Your name",
      namePh: "e.g. Alex Chen",
      topic: "What can we help you with?",
      language: "Language of the conversation",
      start: "Start video call",
      "continue": "Continue",
      privacy: "When an advisor answers, your browser will ask to use your camera and microphone. Calls may be recorded for quality and compliance.",
      needName: "Please enter your name.",
      needTopic: "Please choose a topic.",
      connecting: "Connecting to Harbour video service…",
      connectingGeneric: "Connecting to the video service…",
      position: "You are number {n} in the queue",
      positionNext: "You're next in the queue",
      eta: "Estimated wait: {t}",
      etaSoon: "less than a minute",
      etaMin: "about {n} min",
      ringing: "Connecting you to an advisor…",
      ringingSub: "An advisor is about to answer. Get ready — we'll turn on your camera.",
      queuedSub: "Please keep this window open. We'll connect you as soon as an advisor is free.",
      cancel: "Leave the queue",
      cancelled: "You left the queue.",
      waitingVideo: "Waiting for video…",
      startingCamera: "Starting your camera…",
      advisor: "Advisor",
      you: "You",
      mute: "Mute microphone",
      unmute: "Unmute microphone",
      camOff: "Turn camera off",
      camOn: "Turn camera on",
      hangup: "Hang up",
      tapSound: "Tap to turn on sound",
      mediaError: "We couldn't use your camera or microphone. Check your browser's permissions — the advisor can still talk to you.",
      endedTitle: "Call ended",
      duration: "Duration {d}",
      "reason.customer_hangup": "You ended the call.",
      "reason.staff_hangup": "The advisor ended the call.",
      "reason.customer_disconnected": "Your connection was lost, so the call ended.",
      "reason.staff_disconnected": "The advisor's connection was lost, so the call ended.",
      "reason.server_shutdown": "The video service is restarting. Please try again in a moment.",
      "reason.customer_cancelled": "You left the queue.",
      "reason.lost": "We lost the connection, and your place could not be kept. Please start again.",
      "reason.other": "The call has ended.",
      thanks: "Thank you for banking with us.",
      restart: "Start a new call",
      close: "Close",
      retry: "Try again",
      minimize: "Minimize",
      reconnecting: "Connection lost — reconnecting…",
      restarting: "The service is restarting — reconnecting shortly…",
      secure: "Secure, encrypted connection",
      langToggle: "中文",
      langToggleLabel: "切换到中文",
      "err.generic": "Something went wrong on our side. Please try again.",
      "err.network": "We can't reach the video service right now. Please check your connection and try again.",
      "err.token": "We couldn't start your session. Please refresh the page and try again.",
      "err.invalid_token": "Your session has expired. Please refresh the page and try again.",
      "err.session_replaced": "The video call was opened in another window or tab.",
      "err.overloaded": "We're very busy right now. Please try again in a moment.",
      "err.unavailable": "The service is temporarily unavailable. Please try again in a moment.",
      "err.unknown_topic": "That service isn't available right now. Please choose another topic.",
      "err.unsupported_language": "That language isn't available right now. Please choose another.",
      "err.invalid_state": "You already have a call in progress.",
      "err.rate_limited": "Too many attempts. Please wait a moment and try again.",
      "err.forbidden": "This page isn't allowed to start video calls.",
      "err.webrtc": "Your browser doesn't support video calls. Please use an up-to-date browser.",
      badgeQueued: "#{n}",
      badgeCall: "Live"
    },
    zh: {
      launch: "视频通话",
      title: "与顾问视频通话",
      "status.idle": "足不出户，面对面沟通",
      "status.connecting": "正在连接…",
      "status.queued": "您正在排队",
      "status.ringing": "正在为您接通顾问…",
      "status.in-call": "视频通话中",
      "status.in-call.with": "正在与 {name} 通话",
      "note.transferred": "现在由 {name} 为您服务。",
      "note.supervisor": "一位主管已加入通话。",
      "status.ended": "通话已结束",
      "status.error": "出现问题",
      intro: "通过安全的视频连线与我们的顾问面对面交流。请告诉我们您需要办理的业务，我们将为您安排合适的顾问。",
      name: "您的姓名",
      namePh: "例如：陈明",
      topic: "需要咨询的业务",
      language: "沟通语言",
      start: "开始视频通话",
      "continue": "继续",
      privacy: "顾问接听时，浏览器会请求使用您的摄像头和麦克风。为保障服务质量与合规，通话可能会被录音录像。",
      needName: "请输入您的姓名。",
      needTopic: "请选择业务类型。",
      connecting: "正在连接视频服务…",
      connectingGeneric: "正在连接视频服务…",
      position: "您当前排在第 {n} 位",
      positionNext: "下一位就是您",
      eta: "预计等待：{t}",
      etaSoon: "不到 1 分钟",
      etaMin: "约 {n} 分钟",
      ringing: "正在为您接通顾问…",
      ringingSub: "顾问即将接听，请做好准备，我们将为您开启摄像头。",
      queuedSub: "请保持此窗口开启，顾问空闲后将立即为您接通。",
      cancel: "退出排队",
      cancelled: "您已退出排队。",
      waitingVideo: "等待对方视频…",
      startingCamera: "正在开启摄像头…",
      advisor: "顾问",
      you: "您",
      mute: "关闭麦克风",
      unmute: "打开麦克风",
      camOff: "关闭摄像头",
      camOn: "打开摄像头",
      hangup: "挂断",
      tapSound: "点击开启声音",
      mediaError: "无法使用您的摄像头或麦克风，请检查浏览器权限。顾问仍可与您交谈。",
      endedTitle: "通话已结束",
      duration: "通话时长 {d}",
      "reason.customer_hangup": "您已挂断通话。",
      "reason.staff_hangup": "顾问已结束通话。",
      "reason.customer_disconnected": "您的网络连接已中断，通话已结束。",
      "reason.staff_disconnected": "顾问的网络连接已中断，通话已结束。",
      "reason.server_shutdown": "视频服务正在重启，请稍后再试。",
      "reason.customer_cancelled": "您已退出排队。",
      "reason.lost": "连接中断，未能保留您的排队位置，请重新发起。",
      "reason.other": "通话已结束。",
      thanks: "感谢您选择我们的服务。",
      restart: "重新发起通话",
      close: "关闭",
      retry: "重试",
      minimize: "最小化",
      reconnecting: "连接中断，正在重新连接…",
      restarting: "服务正在重启，即将重新连接…",
      secure: "安全加密连接",
      langToggle: "EN",
      langToggleLabel: "Switch to English",
      "err.generic": "系统出现问题，请稍后重试。",
      "err.network": "暂时无法连接视频服务，请检查网络后重试。",
      "err.token": "无法建立会话，请刷新页面后重试。",
      "err.invalid_token": "您的会话已过期，请刷新页面后重试。",
      "err.session_replaced": "视频通话已在另一个窗口或标签页中打开。",
      "err.overloaded": "当前咨询人数较多，请稍后再试。",
      "err.unavailable": "服务暂时不可用，请稍后再试。",
      "err.unknown_topic": "该业务暂不受理，请选择其他业务。",
      "err.unsupported_language": "暂不支持该语言，请选择其他语言。",
      "err.invalid_state": "您已有一个正在进行的通话。",
      "err.rate_limited": "操作过于频繁，请稍候再试。",
      "err.forbidden": "此页面无权发起视频通话。",
      "err.webrtc": "您的浏览器不支持视频通话，请使用最新版本的浏览器。",
      badgeQueued: "第{n}位",
      badgeCall: "通话中"
    }
  };
  var LANG_NAMES = { en: "English", zh: "中文" };

  function defaultLang() {
    var l = (navigator.language || "en").toLowerCase();
    return l.indexOf("zh") === 0 ? "zh" : "en";
  }
  function normLang(l) {
    l = String(l || "").toLowerCase();
    return l.indexOf("zh") === 0 ? "zh" : l.indexOf("en") === 0 ? "en" : null;
  }

  // ------------------------------------------------------------------ styles
  var CSS = [
    ":host{all:initial}",
    "*,*::before,*::after{box-sizing:border-box}",
    "[hidden]{display:none!important}",
    ".root{--navy:#0b2545;--navy2:#13315c;--teal:#0d9488;--teal-d:#0f766e;--teal-l:#ccfbf1;--ink:#0f172a;--muted:#5b6b7f;--line:#dbe3ec;--bg:#f4f7fa;--red:#c2410c;--danger:#dc2626;",
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;",
    "font-size:15px;line-height:1.45;color:var(--ink);-webkit-font-smoothing:antialiased}",
    "button,input,select{font:inherit;color:inherit}",
    ":focus-visible{outline:3px solid #5eead4;outline-offset:2px}",
    // launcher
    ".launch{position:fixed;right:24px;bottom:24px;z-index:2147483000;display:flex;align-items:center;gap:10px;padding:14px 22px 14px 18px;border:0;border-radius:999px;",
    "background:linear-gradient(135deg,var(--teal) 0%,var(--teal-d) 100%);color:#fff;font-weight:600;font-size:16px;letter-spacing:.01em;cursor:pointer;",
    "box-shadow:0 10px 30px rgba(11,37,69,.28),0 2px 6px rgba(11,37,69,.18);transition:transform .15s ease,box-shadow .15s ease}",
    ".launch:hover{transform:translateY(-2px);box-shadow:0 14px 34px rgba(11,37,69,.32),0 2px 6px rgba(11,37,69,.18)}",
    ".launch svg{width:22px;height:22px;flex:none}",
    ".badge{background:#fff;color:var(--teal-d);border-radius:999px;font-size:12px;font-weight:700;padding:2px 8px;margin-left:2px}",
    ".badge.live{background:#fee2e2;color:var(--danger)}",
    ".launch.open{display:none}",
    // panel
    ".panel{position:fixed;right:24px;bottom:24px;z-index:2147483001;width:384px;height:min(640px,calc(100vh - 48px));display:flex;flex-direction:column;",
    "background:#fff;border-radius:18px;overflow:hidden;box-shadow:0 24px 60px rgba(11,37,69,.30),0 4px 14px rgba(11,37,69,.14);border:1px solid rgba(11,37,69,.08);",
    "animation:ld-in .22s ease-out}",
    ".panel.wide{width:440px}",
    "@keyframes ld-in{from{opacity:0;transform:translateY(12px) scale(.98)}to{opacity:1;transform:none}}",
    ".head{display:flex;align-items:flex-start;justify-content:space-between;gap:8px;padding:16px 14px 14px 18px;background:linear-gradient(135deg,var(--navy) 0%,var(--navy2) 100%);color:#fff}",
    ".head-main{display:flex;gap:12px;align-items:center;min-width:0}",
    ".logo{width:38px;height:38px;border-radius:12px;background:rgba(255,255,255,.12);display:grid;place-items:center;flex:none}",
    ".logo svg{width:22px;height:22px}",
    "h2{margin:0;font-size:16px;font-weight:650;letter-spacing:.01em}",
    ".status{margin:2px 0 0;font-size:13px;color:#c7d6e8;display:flex;align-items:center;gap:6px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".dot{width:8px;height:8px;border-radius:50%;background:#5eead4;flex:none}",
    ".status[data-state=queued] .dot,.status[data-state=connecting] .dot{background:#fbbf24}",
    ".status[data-state=ringing] .dot{background:#fbbf24;animation:ld-blink 1s infinite}",
    ".status[data-state=in-call] .dot{background:#f87171;animation:ld-blink 1.6s infinite}",
    ".status[data-state=ended] .dot{background:#94a3b8}",
    ".status[data-state=error] .dot{background:#f87171}",
    "@keyframes ld-blink{50%{opacity:.35}}",
    ".head-actions{display:flex;gap:4px;flex:none}",
    ".icon-btn{border:0;background:rgba(255,255,255,.1);color:#fff;border-radius:8px;height:32px;min-width:32px;padding:0 8px;cursor:pointer;font-size:13px;font-weight:600;display:grid;place-items:center}",
    ".icon-btn:hover{background:rgba(255,255,255,.2)}",
    ".icon-btn svg{width:18px;height:18px}",
    ".banner{background:#fff7ed;color:#9a3412;border-bottom:1px solid #fed7aa;padding:8px 16px;font-size:13px;display:flex;gap:8px;align-items:center}",
    ".body{flex:1;overflow:auto;display:flex;flex-direction:column;background:var(--bg)}",
    ".view{flex:1;display:flex;flex-direction:column;padding:20px 18px}",
    ".intro{margin:0 0 18px;color:var(--muted);font-size:14px}",
    ".field{display:flex;flex-direction:column;gap:6px;margin-bottom:14px}",
    "label{font-size:13px;font-weight:600;color:#24364d}",
    "input,select{width:100%;height:44px;border:1px solid #c6d2df;border-radius:10px;background:#fff;padding:0 12px;font-size:15px;transition:border-color .15s,box-shadow .15s}",
    "select{appearance:none;-webkit-appearance:none;padding-right:36px;background-image:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='12' height='8' viewBox='0 0 12 8'%3E%3Cpath d='M1 1l5 5 5-5' stroke='%235b6b7f' stroke-width='1.8' fill='none' stroke-linecap='round'/%3E%3C/svg%3E\");background-repeat:no-repeat;background-position:right 14px center}",
    "input:focus,select:focus{outline:none;border-color:var(--teal);box-shadow:0 0 0 3px rgba(13,148,136,.18)}",
    "input[aria-invalid=true]{border-color:var(--danger)}",
    ".form-notice{background:#e6f6f4;color:var(--teal-d);border-radius:10px;padding:10px 12px;font-size:13.5px;font-weight:600;margin:0 0 14px}",
    ".form-error{color:var(--danger);font-size:13px;min-height:18px;margin:-4px 0 8px}",
    ".btn{display:inline-flex;align-items:center;justify-content:center;gap:8px;height:46px;padding:0 20px;border-radius:10px;border:1px solid transparent;font-weight:600;font-size:15px;cursor:pointer;transition:background .15s,transform .1s}",
    ".btn:active{transform:translateY(1px)}",
    ".btn[disabled]{opacity:.6;cursor:default}",
    ".btn svg{width:18px;height:18px}",
    ".primary{background:var(--teal);color:#fff}.primary:hover{background:var(--teal-d)}",
    ".secondary{background:#fff;color:var(--navy);border-color:#c6d2df}.secondary:hover{background:#eef3f8}",
    ".danger{background:var(--danger);color:#fff}.danger:hover{background:#b91c1c}",
    ".block{width:100%}",
    ".note{margin:14px 0 0;font-size:12px;color:var(--muted);display:flex;gap:8px}",
    ".note svg{width:16px;height:16px;flex:none;margin-top:1px;color:var(--teal)}",
    // waiting
    ".center{align-items:center;justify-content:center;text-align:center}",
    ".ring{position:relative;width:112px;height:112px;border-radius:50%;display:grid;place-items:center;background:#fff;box-shadow:0 6px 20px rgba(11,37,69,.10);margin-bottom:22px}",
    ".ring::before,.ring::after{content:'';position:absolute;inset:-8px;border-radius:50%;border:2px solid rgba(13,148,136,.35);animation:ld-pulse 2.4s ease-out infinite}",
    ".ring::after{animation-delay:1.2s}",
    ".ringing .ring::before,.ringing .ring::after{border-color:rgba(13,148,136,.7);animation-duration:1.2s}",
    "@keyframes ld-pulse{from{transform:scale(.92);opacity:1}to{transform:scale(1.35);opacity:0}}",
    ".pos{font-size:40px;font-weight:700;color:var(--navy);line-height:1}",
    ".ring svg{width:46px;height:46px;color:var(--teal)}",
    ".spinner{width:40px;height:40px;border-radius:50%;border:4px solid var(--teal-l);border-top-color:var(--teal);animation:ld-spin .9s linear infinite}",
    "@keyframes ld-spin{to{transform:rotate(360deg)}}",
    ".queue{font-size:17px;font-weight:650;color:var(--navy);margin:0 0 6px}",
    ".eta{font-size:14px;color:var(--teal-d);font-weight:600;margin:0 0 10px}",
    ".sub{font-size:13px;color:var(--muted);margin:0 0 24px;max-width:300px}",
    // call
    ".call{padding:0;background:#0b1420;position:relative;min-height:320px}",
    ".stage{position:relative;flex:1;min-height:0;background:radial-gradient(circle at 50% 40%,#1d3557 0%,#0b1420 75%);overflow:hidden}",
    ".remote{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;background:transparent}",
    ".placeholder{position:absolute;inset:0;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:14px;color:#c7d6e8;font-size:14px}",
    ".avatar{width:84px;height:84px;border-radius:50%;background:linear-gradient(135deg,var(--teal),var(--navy2));color:#fff;display:grid;place-items:center;font-size:30px;font-weight:650}",
    ".local{position:absolute;top:12px;right:12px;width:96px;height:128px;object-fit:cover;border-radius:12px;background:#1f2937;border:2px solid rgba(255,255,255,.85);box-shadow:0 6px 18px rgba(0,0,0,.35);transform:scaleX(-1)}",
    ".overlay{position:absolute;left:12px;top:12px;right:120px;display:flex;flex-direction:column;gap:2px;color:#fff;text-shadow:0 1px 3px rgba(0,0,0,.6)}",
    ".peer{font-weight:650;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".call-note{margin:8px 0 0;font-size:13px;color:#1f4e8c;text-align:center}",
    ".timer{font-size:13px;font-variant-numeric:tabular-nums;opacity:.9}",
    ".sound{position:absolute;left:50%;bottom:16px;transform:translateX(-50%);background:rgba(255,255,255,.92);color:var(--navy);border:0;border-radius:999px;padding:8px 14px;font-weight:600;cursor:pointer}",
    ".media-error{background:#fff7ed;color:#9a3412;font-size:12px;padding:8px 12px}",
    ".controls{display:flex;justify-content:center;gap:14px;padding:14px;background:#0b1420}",
    ".round{width:52px;height:52px;border-radius:50%;border:0;display:grid;place-items:center;cursor:pointer;background:rgba(255,255,255,.14);color:#fff;transition:background .15s}",
    ".round:hover{background:rgba(255,255,255,.24)}",
    ".round[aria-pressed=true]{background:#fff;color:var(--navy)}",
    ".round svg{width:22px;height:22px}",
    ".round.hang{width:64px;border-radius:26px;background:var(--danger)}",
    ".round.hang:hover{background:#b91c1c}",
    // end / error
    ".big-icon{width:64px;height:64px;border-radius:50%;display:grid;place-items:center;margin-bottom:16px}",
    ".big-icon svg{width:30px;height:30px}",
    ".ok{background:var(--teal-l);color:var(--teal-d)}",
    ".bad{background:#fee2e2;color:var(--danger)}",
    "h3{margin:0 0 8px;font-size:19px;color:var(--navy)}",
    ".msg{margin:0 0 6px;color:#334155;font-size:14px;max-width:300px}",
    ".actions{display:flex;flex-direction:column;gap:10px;width:100%;max-width:280px;margin-top:20px}",
    ".foot{display:flex;align-items:center;justify-content:center;gap:6px;padding:9px 12px;font-size:11.5px;color:var(--muted);background:#fff;border-top:1px solid var(--line)}",
    ".foot svg{width:13px;height:13px;color:var(--teal)}",
    "@media (max-width:520px){",
    ".panel,.panel.wide{right:0;bottom:0;left:0;top:0;width:auto;height:auto;border-radius:0;border:0}",
    ".launch{right:16px;bottom:16px}",
    ".local{width:88px;height:118px}",
    "}",
    "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}"
  ].join("\n");

  var ICONS = {
    video: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="2" y="6" width="14" height="12" rx="2.5"/><path d="M16 10.5l5-3v9l-5-3z"/></svg>',
    videoOff: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M16 16v1.5A2.5 2.5 0 0 1 13.5 20h-9A2.5 2.5 0 0 1 2 17.5v-9A2.5 2.5 0 0 1 4.5 6H6m4 0h3.5A2.5 2.5 0 0 1 16 8.5V11l5-3v9"/><path d="M2 2l20 20"/></svg>',
    mic: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v4"/></svg>',
    micOff: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M15 10V5a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 5 2.2M5 11a7 7 0 0 0 11.5 5.4M19 11a7 7 0 0 1-.5 2.6M12 18v4M2 2l20 20"/></svg>',
    hang: '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M12 8.5c-3.9 0-7.4 1.3-9.6 3.4-.5.5-.5 1.2 0 1.7l2 2c.4.4 1.1.5 1.6.1l2.3-1.7c.4-.3.6-.7.6-1.2v-1.9c1-.3 2-.4 3.1-.4s2.1.1 3.1.4v1.9c0 .5.2.9.6 1.2l2.3 1.7c.5.4 1.2.3 1.6-.1l2-2c.5-.5.5-1.2 0-1.7C19.4 9.8 15.9 8.5 12 8.5z"/></svg>',
    minimize: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M6 12h12"/></svg>',
    lock: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="4" y="10" width="16" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/></svg>',
    shield: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z"/><path d="M9 12l2 2 4-4"/></svg>',
    check: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>',
    alert: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 8v5M12 16.5v.5"/><circle cx="12" cy="12" r="9.5"/></svg>',
    headset: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M4 14v-2a8 8 0 0 1 16 0v2"/><rect x="3" y="13" width="4" height="6" rx="1.5"/><rect x="17" y="13" width="4" height="6" rx="1.5"/><path d="M19 19c0 1.5-2 2.5-5 2.5"/></svg>'
  };

  // ------------------------------------------------------------------ helpers
  function h(tag, props) {
    var el = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "class") el.className = v;
        else if (k === "text") el.textContent = v;
        else if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) c.forEach(function (x) { if (x) el.appendChild(x); });
      else el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return el;
  }
  function icon(name) {
    // Static, trusted markup only (never data from the server).
    var s = document.createElement("span");
    s.style.display = "contents";
    s.innerHTML = ICONS[name];
    return s.firstChild;
  }
  function fmtDuration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60), r = s % 60;
    var hh = Math.floor(m / 60);
    if (hh) return hh + ":" + pad(m % 60) + ":" + pad(r);
    return m + ":" + pad(r);
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function initials(name) {
    name = String(name || "").trim();
    if (!name) return "?";
    var parts = name.split(/\s+/);
    if (parts.length > 1 && /^[\x00-\x7f]/.test(name)) return (parts[0][0] + parts[parts.length - 1][0]).toUpperCase();
    return Array.from(name)[0].toUpperCase();
  }
  function warn() {
    if (window.console && console.warn) console.warn.apply(console, ["[LiveDesk]"].concat([].slice.call(arguments)));
  }

  // ------------------------------------------------------------------ WebRTC call
  // One RTCPeerConnection per call. Peer-to-peer: the initiator adds its tracks then offers; the other
  // side adds its tracks before answering. Bridge (info.media === "bridge"): this page always offers
  // its own leg to the server's media bridge (tracks first, candidates in the offer, none trickled) and
  // applies the answer; renegotiate() (on call.renegotiate) offers again. Signals are applied strictly
  // in order, after local media is ready; ICE candidates wait until the remote description is set.
  function createCall(info, hooks) {
    var pc = new RTCPeerConnection({ iceServers: Array.isArray(info.iceServers) ? info.iceServers : [] });
    var call = { callId: info.callId, initiator: !!info.initiator, bridge: info.media === "bridge", pc: pc,
      localStream: null, remoteStream: new MediaStream(), closed: false, startedAt: Date.now() };
    var remoteSet = false, pending = [], renegotiateWanted = false;

    pc.onicecandidate = function (e) {
      if (!e.candidate || !e.candidate.candidate || call.closed || call.bridge) return;
      hooks.signal({ candidate: e.candidate.toJSON() });
    };
    pc.ontrack = function (e) {
      if (call.remoteStream.getTracks().indexOf(e.track) < 0) call.remoteStream.addTrack(e.track);
      hooks.remote(call.remoteStream, e.track);
    };
    pc.onconnectionstatechange = function () { if (hooks.state) hooks.state(pc.connectionState); };

    var ready = (async function () {
      var stream = null;
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          audio: { echoCancellation: true, noiseSuppression: true },
          video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: "user" }
        });
      } catch (e1) {
        try { stream = await navigator.mediaDevices.getUserMedia({ audio: true }); } catch (e2) { /* no media */ }
        hooks.mediaError(e1);
      }
      if (call.closed) { if (stream) stream.getTracks().forEach(function (t) { t.stop(); }); return; }
      call.localStream = stream;
      var kinds = {};
      if (stream) {
        stream.getTracks().forEach(function (t) { pc.addTrack(t, stream); kinds[t.kind] = true; });
        hooks.local(stream);
      }
      if (call.initiator || call.bridge) {
        ["audio", "video"].forEach(function (k) { if (!kinds[k]) pc.addTransceiver(k, { direction: "recvonly" }); });
        await offer();
      }
    })();
    var chain = ready.catch(function (e) { hooks.error(e); });

    async function offer() {
      await pc.setLocalDescription(await pc.createOffer());
      if (call.bridge) await gathered();
      if (call.closed) return;
      hooks.signal({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
    }
    // Bridge mode: wait (at most 3 s) for ICE gathering so the offer carries the candidates.
    function gathered() {
      if (pc.iceGatheringState === "complete") return Promise.resolve();
      return new Promise(function (resolve) {
        var timer = setTimeout(done, 3000);
        function check() { if (pc.iceGatheringState === "complete") done(); }
        function done() {
          clearTimeout(timer);
          pc.removeEventListener("icegatheringstatechange", check);
          resolve();
        }
        pc.addEventListener("icegatheringstatechange", check);
      });
    }

    async function apply(msg) {
      if (call.closed) return;
      if (msg.sdp) {
        await pc.setRemoteDescription({ type: msg.sdp.type, sdp: msg.sdp.sdp });
        remoteSet = true;
        var queued = pending.splice(0);
        for (var i = 0; i < queued.length; i++) {
          try { await pc.addIceCandidate(queued[i]); } catch (e) { warn("candidate", e); }
        }
        if (msg.sdp.type === "offer") {
          await pc.setLocalDescription(await pc.createAnswer());
          hooks.signal({ sdp: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
        } else if (call.bridge && renegotiateWanted) {
          renegotiateWanted = false;
          await offer();
        }
      } else if (msg.candidate) {
        if (!remoteSet) pending.push(msg.candidate);
        else { try { await pc.addIceCandidate(msg.candidate); } catch (e) { warn("candidate", e); } }
      }
    }
    call.handleSignal = function (msg) {
      chain = chain.then(function () { return apply(msg); }).catch(function (e) { hooks.error(e); });
      return chain;
    };
    // Bridge mode: offer again (the other participants' tracks changed), after any answer still awaited,
    // with a receive-only transceiver for each extra track the bridge will send (a supervisor barging in).
    // iceRestart: the bridge holding the call went down; fresh ICE credentials move this leg to another.
    call.renegotiate = function (receive, iceRestart) {
      chain = chain.then(async function () {
        if (call.closed || !call.bridge) return;
        if (iceRestart) pc.restartIce();
        ["audio", "video"].forEach(function (kind) {
          var want = Math.min(Number(receive && receive[kind]) || 0, 8);
          var have = pc.getTransceivers().filter(function (t) {
            return !t.stopped && t.receiver.track && t.receiver.track.kind === kind; }).length;
          for (var i = have; i < want; i++) pc.addTransceiver(kind, { direction: "recvonly" });
        });
        if (pc.signalingState === "stable") await offer();
        else renegotiateWanted = true;
      }).catch(function (e) { hooks.error(e); });
      return chain;
    };
    call.setMic = function (on) {
      if (call.localStream) call.localStream.getAudioTracks().forEach(function (t) { t.enabled = on; });
    };
    call.setCamera = function (on) {
      if (call.localStream) call.localStream.getVideoTracks().forEach(function (t) { t.enabled = on; });
    };
    call.close = function () {
      if (call.closed) return;
      call.closed = true;
      if (call.localStream) call.localStream.getTracks().forEach(function (t) { t.stop(); });
      try { pc.close(); } catch (e) { /* already closed */ }
    };
    return call;
  }

  // ------------------------------------------------------------------ the widget
  function Widget(opts) {
    this.opts = opts;
    this.server = String(opts.server || SCRIPT_ORIGIN).replace(/\/+$/, "");
    this.lang = normLang(opts.lang) || defaultLang();
    this.state = "idle";
    this.ws = null;
    this.session = null;          // welcome message of the live session
    this.seq = 0;
    this.pendingReq = {};
    this.requestId = null;
    this.queue = { position: null, etaSeconds: null };
    this.call = null;
    this.lastPc = null;
    this.peerName = "";
    this.topics = null;           // [{id, names}]
    this.languages = null;        // ["en", "zh"]
    this.endReason = null;
    this.endDuration = null;
    this.errorKey = null;
    this.notice = null;
    this.retries = 0;
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.tickTimer = null;
    this.token = null;
    this.micOn = true;
    this.camOn = true;
    this.build();
    this.loadTopics();
  }

  Widget.prototype.t = function (key, vars) {
    var s = (STRINGS[this.lang] && STRINGS[this.lang][key]) || STRINGS.en[key] || key;
    if (vars) s = s.replace(/\{(\w+)\}/g, function (m, k) { return vars[k] !== undefined ? String(vars[k]) : m; });
    return s;
  };

  Widget.prototype.build = function () {
    var self = this;
    var host = h("div", { id: "livedesk-widget", "data-testid": "ld-host", "data-state": "idle" });
    this.host = host;
    this.root = host.attachShadow({ mode: "open" });
    this.root.appendChild(h("style", { text: CSS }));
    var E = this.el = {};
    var on = function (fn) { return function (e) { fn.call(self, e); }; };

    E.launch = h("button", { class: "launch", type: "button", "data-testid": "ld-launch", "aria-haspopup": "dialog",
      "aria-expanded": "false", "aria-controls": "ld-panel", onclick: on(this.open) },
      icon("video"), E.launchText = h("span"), E.badge = h("span", { class: "badge", hidden: true }));
    if (this.opts.launcher === false) E.launch.hidden = true;

    // header
    E.status = h("p", { class: "status", id: "ld-status", "data-testid": "ld-status", "data-state": "idle", role: "status", "aria-live": "polite" },
      h("span", { class: "dot", "aria-hidden": "true" }), E.statusText = h("span"));
    E.langBtn = h("button", { class: "icon-btn", type: "button", "data-testid": "ld-lang-toggle", onclick: on(function () { this.setLang(this.lang === "zh" ? "en" : "zh"); }) });
    E.minBtn = h("button", { class: "icon-btn", type: "button", "data-testid": "ld-minimize", onclick: on(this.close) }, icon("minimize"));
    var head = h("header", { class: "head" },
      h("div", { class: "head-main" }, h("div", { class: "logo" }, icon("video")),
        h("div", { style: "min-width:0" }, E.title = h("h2", { id: "ld-title" }), E.status)),
      h("div", { class: "head-actions" }, E.langBtn, E.minBtn));
    E.banner = h("div", { class: "banner", role: "alert", "data-testid": "ld-banner", hidden: true });

    // form
    E.name = h("input", { id: "ld-name", "data-testid": "ld-name", type: "text", autocomplete: "name", maxlength: "80", required: true });
    if (this.opts.name) E.name.value = String(this.opts.name);
    E.nameField = h("div", { class: "field" }, E.nameLabel = h("label", { for: "ld-name" }), E.name);
    if (!this.opts.askName) E.nameField.hidden = true;
    E.topic = h("select", { id: "ld-topic", "data-testid": "ld-topic", required: true });
    E.topicField = h("div", { class: "field" }, E.topicLabel = h("label", { for: "ld-topic" }), E.topic);
    E.language = h("select", { id: "ld-language", "data-testid": "ld-language" });
    E.languageField = h("div", { class: "field" }, E.languageLabel = h("label", { for: "ld-language" }), E.language);
    E.formError = h("p", { class: "form-error", "data-testid": "ld-form-error", role: "alert" });
    E.start = h("button", { class: "btn primary block", type: "submit", "data-testid": "ld-start" }, icon("video"), E.startText = h("span"));
    E.form = h("form", { class: "view", novalidate: true, onsubmit: on(function (e) { e.preventDefault(); this.start(); }) },
      E.formNotice = h("p", { class: "form-notice", "data-testid": "ld-notice", role: "status" }),
      E.intro = h("p", { class: "intro" }), E.nameField, E.topicField, E.languageField, E.formError, E.start,
      h("p", { class: "note" }, icon("shield"), E.privacy = h("span")));

    // waiting (connecting / queued / ringing)
    E.ring = h("div", { class: "ring", "aria-hidden": "true" });
    E.queue = h("p", { class: "queue", id: "ld-queue", "data-testid": "ld-queue", "aria-live": "polite" });
    E.eta = h("p", { class: "eta", "data-testid": "ld-eta" });
    E.waitSub = h("p", { class: "sub" });
    E.cancel = h("button", { class: "btn secondary", type: "button", "data-testid": "ld-cancel", onclick: on(this.cancel) });
    E.wait = h("div", { class: "view center" }, E.ring, E.queue, E.eta, E.waitSub, E.cancel);

    // call
    E.remote = h("video", { class: "remote", "data-testid": "ld-remote-video", id: "ld-remote-video", autoplay: true, playsinline: true });
    E.local = h("video", { class: "local", "data-testid": "ld-local-video", id: "ld-local-video", autoplay: true, playsinline: true });
    E.local.muted = true;
    E.avatar = h("div", { class: "avatar", "aria-hidden": "true" });
    E.placeholderText = h("span");
    E.placeholder = h("div", { class: "placeholder" }, E.avatar, E.placeholderText);
    E.peer = h("div", { class: "peer" });
    E.timer = h("div", { class: "timer", "aria-hidden": "true" });
    E.sound = h("button", { class: "sound", type: "button", hidden: true, onclick: on(function () {
      this.el.remote.muted = false; this.el.remote.play().catch(function () {}); this.el.sound.hidden = true; }) });
    E.mediaError = h("div", { class: "media-error", role: "alert", hidden: true });
    E.mute = h("button", { class: "round", type: "button", "data-testid": "ld-mute", "aria-pressed": "false", onclick: on(this.toggleMic) });
    E.camera = h("button", { class: "round", type: "button", "data-testid": "ld-camera", "aria-pressed": "false", onclick: on(this.toggleCam) });
    E.hangup = h("button", { class: "round hang", type: "button", "data-testid": "ld-hangup", onclick: on(this.hangup) }, icon("hang"));
    E.note = h("p", { class: "call-note", "data-testid": "ld-call-note", role: "status", "aria-live": "polite", hidden: true });
    E.callView = h("div", { class: "view call" },
      E.stage = h("div", { class: "stage" }, E.placeholder, E.remote,
        h("div", { class: "overlay" }, E.peer, E.timer), E.local, E.sound),
      E.note, E.mediaError,
      h("div", { class: "controls" }, E.mute, E.camera, E.hangup));

    // ended
    E.endReason = h("p", { class: "msg", "data-testid": "ld-end-reason" });
    E.endDuration = h("p", { class: "msg", style: "color:#5b6b7f" });
    E.restart = h("button", { class: "btn primary", type: "button", "data-testid": "ld-restart", onclick: on(this.restart) });
    E.closeBtn = h("button", { class: "btn secondary", type: "button", "data-testid": "ld-close", onclick: on(function () { this.restart(); this.close(); }) });
    E.end = h("div", { class: "view center" }, h("div", { class: "big-icon ok" }, icon("check")),
      E.endTitle = h("h3"), E.endReason, E.endDuration, E.thanks = h("p", { class: "msg", style: "color:#5b6b7f" }),
      h("div", { class: "actions" }, E.restart, E.closeBtn));

    // error
    E.error = h("p", { class: "msg", "data-testid": "ld-error", role: "alert" });
    E.retry = h("button", { class: "btn primary", type: "button", "data-testid": "ld-retry", onclick: on(this.restart) });
    E.errView = h("div", { class: "view center" }, h("div", { class: "big-icon bad" }, icon("alert")),
      E.errTitle = h("h3"), E.error, h("div", { class: "actions" }, E.retry));

    E.panel = h("section", { class: "panel", id: "ld-panel", "data-testid": "ld-panel", role: "dialog", "aria-labelledby": "ld-title", hidden: true,
      onkeydown: on(function (e) { if (e.key === "Escape") this.close(); }) },
      head, E.banner,
      h("div", { class: "body" }, E.form, E.wait, E.callView, E.end, E.errView),
      h("footer", { class: "foot" }, icon("lock"), E.secure = h("span")));

    E.wrap = h("div", { class: "root" }, E.launch, E.panel);
    this.root.appendChild(E.wrap);
    (document.body || document.documentElement).appendChild(host);
    this.renderTopics();
    this.render();
  };

  // Topics for the start form: GET /api/topics first (so one form can ask everything before a token
  // exists); if that fails (e.g. no CORS on a third-party page), topics come from `welcome`.
  Widget.prototype.loadTopics = function () {
    var self = this;
    if (typeof fetch !== "function") return;
    fetch(this.server + "/api/topics", { credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (j) {
        var topics = Array.isArray(j) ? j : j && j.topics;
        if (Array.isArray(topics) && !self.topics) {
          self.setTopics(topics, j && Array.isArray(j.languages) ? j.languages : null);
        }
      })
      .catch(function () { /* topics will come with welcome */ });
  };

  Widget.prototype.setTopics = function (topics, languages) {
    var filter = Array.isArray(this.opts.topics) ? this.opts.topics.map(String) : null;
    this.topics = topics.filter(function (t) { return t && t.id && (!filter || filter.indexOf(String(t.id)) >= 0); })
      .map(function (t) {
        var names = t.names || {};
        if (!t.names) Object.keys(t).forEach(function (k) { if (k !== "id" && typeof t[k] === "string") names[k] = t[k]; });
        return { id: String(t.id), names: names };
      });
    if (Array.isArray(languages) && languages.length) this.languages = languages.map(String);
    else if (!this.languages) this.languages = ["en", "zh"];
    this.renderTopics();
    this.render();
  };

  Widget.prototype.topicName = function (id) {
    var t = (this.topics || []).filter(function (x) { return x.id === id; })[0];
    if (!t) return id || "";
    return t.names[this.lang] || t.names.en || t.id;
  };

  Widget.prototype.renderTopics = function () {
    var E = this.el, self = this;
    var chosenTopic = E.topic.value, chosenLang = E.language.value;
    while (E.topic.firstChild) E.topic.removeChild(E.topic.firstChild);
    while (E.language.firstChild) E.language.removeChild(E.language.firstChild);
    (this.topics || []).forEach(function (t) {
      E.topic.appendChild(h("option", { value: t.id, text: self.topicName(t.id) }));
    });
    (this.languages || []).forEach(function (l) {
      E.language.appendChild(h("option", { value: l, text: LANG_NAMES[l] || l }));
    });
    if (chosenTopic && (this.topics || []).some(function (t) { return t.id === chosenTopic; })) E.topic.value = chosenTopic;
    var langs = this.languages || [];
    if (chosenLang && langs.indexOf(chosenLang) >= 0) E.language.value = chosenLang;
    else if (langs.indexOf(this.lang) >= 0) E.language.value = this.lang;
  };

  Widget.prototype.setLang = function (lang) {
    var l = normLang(lang);
    if (!l || l === this.lang) return;
    var E = this.el;
    // the conversation language follows the UI language unless the customer picked another one
    var followUi = !E.language.value || E.language.value === this.lang;
    this.lang = l;
    if (followUi && (this.languages || []).indexOf(l) >= 0) E.language.value = l;
    this.renderTopics();
    this.render();
  };

  Widget.prototype.setState = function (s) {
    this.state = s;
    this.render();
  };

  Widget.prototype.render = function () {
    var E = this.el, s = this.state, t = this.t.bind(this);
    var opened = !E.panel.hidden;
    this.host.setAttribute("data-state", s);
    this.host.setAttribute("lang", this.lang);
    E.wrap.setAttribute("lang", this.lang === "zh" ? "zh-CN" : "en");

    E.launchText.textContent = t("launch");
    E.launch.setAttribute("aria-label", t("launch"));
    E.launch.classList.toggle("open", opened);
    E.badge.hidden = !(s === "queued" || s === "ringing" || s === "in-call");
    E.badge.classList.toggle("live", s === "in-call");
    E.badge.textContent = s === "in-call" ? t("badgeCall") : s === "ringing" ? "…" : t("badgeQueued", { n: this.queue.position || "…" });

    E.title.textContent = t("title");
    E.status.setAttribute("data-state", s);
    E.statusText.textContent = s === "in-call" && this.peerName ? t("status.in-call.with", { name: this.peerName }) : t("status." + s);
    E.langBtn.textContent = t("langToggle");
    E.langBtn.setAttribute("aria-label", t("langToggleLabel"));
    E.langBtn.setAttribute("title", t("langToggleLabel"));
    E.minBtn.setAttribute("aria-label", t("minimize"));
    E.minBtn.setAttribute("title", t("minimize"));
    E.secure.textContent = t("secure");
    E.panel.classList.toggle("wide", s === "in-call");

    // banner
    E.banner.hidden = !this.notice;
    E.banner.textContent = this.notice ? t(this.notice) : "";

    // views
    E.form.hidden = s !== "idle";
    E.wait.hidden = !(s === "connecting" || s === "queued" || s === "ringing");
    E.callView.hidden = s !== "in-call";
    E.end.hidden = s !== "ended";
    E.errView.hidden = s !== "error";

    // form
    var haveTopics = !!(this.topics && this.topics.length);
    E.intro.textContent = t("intro");
    E.nameLabel.textContent = t("name");
    E.name.setAttribute("placeholder", t("namePh"));
    E.topicLabel.textContent = t("topic");
    E.languageLabel.textContent = t("language");
    E.topicField.hidden = !haveTopics;
    E.languageField.hidden = !haveTopics;
    E.startText.textContent = haveTopics || this.session ? t("start") : t("continue");
    E.privacy.textContent = t("privacy");
    E.formError.textContent = this.formErrorKey ? t(this.formErrorKey) : "";
    E.formNotice.hidden = !this.formNoticeKey;
    E.formNotice.textContent = this.formNoticeKey ? t(this.formNoticeKey) : "";

    // waiting
    E.wait.classList.toggle("ringing", s === "ringing");
    while (E.ring.firstChild) E.ring.removeChild(E.ring.firstChild);
    if (s === "connecting") {
      E.ring.appendChild(h("div", { class: "spinner" }));
      E.queue.textContent = t("connectingGeneric");
      E.eta.textContent = "";
      E.waitSub.textContent = "";
    } else if (s === "ringing") {
      E.ring.appendChild(icon("headset"));
      E.queue.textContent = t("ringing");
      E.eta.textContent = "";
      E.waitSub.textContent = t("ringingSub");
    } else if (s === "queued") {
      var p = this.queue.position;
      E.ring.appendChild(h("span", { class: "pos", text: p ? String(p) : "…" }));
      E.queue.textContent = p === 1 ? t("positionNext") : t("position", { n: p || "…" });
      var eta = this.queue.etaSeconds;
      E.eta.textContent = typeof eta === "number" ? t("eta", { t: eta < 60 ? t("etaSoon") : t("etaMin", { n: Math.round(eta / 60) }) }) : "";
      E.waitSub.textContent = t("queuedSub");
    }
    E.cancel.textContent = t("cancel");
    E.cancel.hidden = s === "connecting";

    // call
    E.avatar.textContent = initials(this.peerName);
    E.placeholderText.textContent = this.call && !this.call.localStream && !this.mediaErrorShown ? t("startingCamera") : t("waitingVideo");
    E.peer.textContent = this.peerName || t("advisor");
    E.sound.textContent = t("tapSound");
    E.mediaError.textContent = t("mediaError");
    E.mute.setAttribute("aria-pressed", String(!this.micOn));
    E.mute.setAttribute("aria-label", this.micOn ? t("mute") : t("unmute"));
    E.mute.setAttribute("title", this.micOn ? t("mute") : t("unmute"));
    swapIcon(E.mute, this.micOn ? "mic" : "micOff");
    E.camera.setAttribute("aria-pressed", String(!this.camOn));
    E.camera.setAttribute("aria-label", this.camOn ? t("camOff") : t("camOn"));
    E.camera.setAttribute("title", this.camOn ? t("camOff") : t("camOn"));
    swapIcon(E.camera, this.camOn ? "video" : "videoOff");
    E.hangup.setAttribute("aria-label", t("hangup"));
    E.hangup.setAttribute("title", t("hangup"));
    this.renderTimer();

    // ended / error
    E.endTitle.textContent = s === "ended" && this.endReason === "customer_cancelled" ? t("status.ended") : t("endedTitle");
    E.endReason.textContent = this.endReason ? (STRINGS.en["reason." + this.endReason] ? t("reason." + this.endReason) : t("reason.other")) : "";
    E.endDuration.textContent = this.endDuration != null ? t("duration", { d: fmtDuration(this.endDuration) }) : "";
    E.thanks.textContent = t("thanks");
    E.restart.textContent = t("restart");
    E.closeBtn.textContent = t("close");
    E.errTitle.textContent = t("status.error");
    E.error.textContent = this.errorKey ? t(this.errorKey) : t("err.generic");
    E.retry.textContent = t("retry");
  };

  function swapIcon(btn, name) {
    if (btn.getAttribute("data-icon") === name) return;
    while (btn.firstChild) btn.removeChild(btn.firstChild);
    btn.appendChild(icon(name));
    btn.setAttribute("data-icon", name);
  }

  Widget.prototype.renderTimer = function () {
    this.el.timer.textContent = this.call ? fmtDuration(Date.now() - this.call.startedAt) : "";
  };

  Widget.prototype.open = function () {
    var E = this.el;
    E.panel.hidden = false;
    E.launch.setAttribute("aria-expanded", "true");
    this.render();
    var focus = this.state === "idle" ? (this.opts.askName && !E.name.value ? E.name : E.start)
      : this.state === "in-call" ? E.hangup : this.state === "ended" ? E.restart : this.state === "error" ? E.retry : E.cancel;
    setTimeout(function () { try { focus.focus(); } catch (e) { /* ignore */ } }, 30);
  };

  Widget.prototype.close = function () {
    var E = this.el;
    E.panel.hidden = true;
    E.launch.setAttribute("aria-expanded", "false");
    this.render();
    if (!E.launch.hidden) E.launch.focus();
  };

  // ---------------------------------------------------------------- session & socket
  Widget.prototype.getToken = async function () {
    var tok = this.opts.token;
    var name = this.el.name.value.trim() || (this.opts.name ? String(this.opts.name) : "");
    if (typeof tok === "function") tok = await tok({ name: name });
    if (typeof tok !== "string" || !tok) throw { code: "token" };
    return tok;
  };

  Widget.prototype.wsUrl = function () {
    return this.server.replace(/^http/i, "ws") + "/ws";
  };

  // Opens the socket and says hello; resolves with welcome.
  Widget.prototype.connect = function (isRetry) {
    var self = this;
    return new Promise(function (resolve, reject) {
      var ws;
      try { ws = new WebSocket(self.wsUrl()); } catch (e) { reject({ code: "network" }); return; }
      self.ws = ws;
      var settled = false;
      ws.onopen = function () {
        self.send("hello", { token: self.token }).then(function (welcome) {
          settled = true;
          self.retries = 0;
          self.session = welcome;
          self.startPing();
          resolve(welcome);
        }, function (err) {
          settled = true;
          reject(err);
          try { ws.close(); } catch (e) { /* ignore */ }
        });
      };
      ws.onmessage = function (ev) {
        if (ws !== self.ws) return;
        var msg;
        try { msg = JSON.parse(ev.data); } catch (e) { warn("bad frame"); return; }
        self.onMessage(msg);
      };
      ws.onclose = function () {
        if (ws !== self.ws) return;
        self.ws = null;
        self.session = null;
        self.stopPing();
        self.failPending();
        if (!settled) { settled = true; reject({ code: "network" }); return; }
        self.onDrop();
      };
      ws.onerror = function () { /* onclose follows */ };
    });
  };

  Widget.prototype.send = function (type, fields) {
    var self = this;
    var ws = this.ws;
    if (!ws || ws.readyState !== 1) return Promise.reject({ code: "network" });
    var id = String(++this.seq);
    var msg = { type: type, id: id };
    if (fields) Object.keys(fields).forEach(function (k) { msg[k] = fields[k]; });
    return new Promise(function (resolve, reject) {
      self.pendingReq[id] = { resolve: resolve, reject: reject };
      try { ws.send(JSON.stringify(msg)); } catch (e) { delete self.pendingReq[id]; reject({ code: "network" }); }
    });
  };

  Widget.prototype.failPending = function () {
    var p = this.pendingReq;
    this.pendingReq = {};
    Object.keys(p).forEach(function (id) { p[id].reject({ code: "network" }); });
  };

  Widget.prototype.startPing = function () {
    var self = this;
    this.stopPing();
    // keeps the connection from idling out while the customer waits in the queue
    this.pingTimer = setInterval(function () { self.send("ping").catch(function () {}); }, 20000);
  };
  Widget.prototype.stopPing = function () {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  };

  Widget.prototype.isActive = function () {
    return this.state === "queued" || this.state === "ringing" || this.state === "in-call";
  };

  Widget.prototype.disconnect = function () {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    var ws = this.ws;
    this.ws = null;
    this.session = null;
    this.stopPing();
    this.failPending();
    if (ws) { try { ws.close(1000); } catch (e) { /* ignore */ } }
  };

  Widget.prototype.onDrop = function () {
    if (!this.isActive() || this.noReconnect) return;
    this.notice = this.notice === "restarting" ? "restarting" : "reconnecting";
    this.render();
    this.scheduleReconnect(null);
  };

  Widget.prototype.scheduleReconnect = function (delay) {
    var self = this;
    clearTimeout(this.reconnectTimer);
    if (delay == null) {
      var base = Math.min(15000, 1000 * Math.pow(2, this.retries));
      delay = base / 2 + Math.random() * base / 2;
    }
    this.retries++;
    this.reconnectTimer = setTimeout(function () { self.reconnect(); }, delay);
  };

  Widget.prototype.reconnect = async function () {
    if (!this.isActive() || this.ws) return;
    try {
      var welcome;
      try {
        welcome = await this.connect(true);
      } catch (err) {
        if (err && err.code === "invalid_token" && typeof this.opts.token === "function") {
          this.token = await this.getToken();
          welcome = await this.connect(true);
        } else throw err;
      }
      this.notice = null;
      this.restore(welcome);
    } catch (err) {
      if (err && (err.code === "invalid_token" || err.code === "forbidden" || err.code === "token")) {
        this.fail(err.code === "token" ? "err.token" : "err." + err.code);
      } else if (this.retries > 10) {
        this.fail("err.network");
      } else if (this.isActive()) {
        this.render();
        this.scheduleReconnect(null);
      }
    }
  };

  // After a reconnect: continue what the server still knows about, end what it forgot.
  Widget.prototype.restore = function (welcome) {
    this.absorbWelcome(welcome);
    if (welcome.call) {
      if (this.call && this.call.callId === welcome.call.callId && !this.call.closed) { this.setState("in-call"); return; }
      this.startCall(welcome.call);
    } else if (welcome.request) {
      if (this.call) this.endCall("customer_disconnected");
      this.requestId = welcome.request.requestId;
      this.onQueued(welcome.request);
    } else if (this.state === "in-call") {
      this.endCall("customer_disconnected");
    } else if (this.isActive()) {
      this.finish("lost");
    } else {
      this.render();
    }
  };

  Widget.prototype.absorbWelcome = function (welcome) {
    if (Array.isArray(welcome.topics) && welcome.topics.length) {
      var had = this.topics && this.topics.length;
      this.setTopics(welcome.topics, welcome.languages);
      return !had;
    }
    return false;
  };

  // ---------------------------------------------------------------- user actions
  Widget.prototype.start = async function () {
    var E = this.el;
    if (this.state !== "idle") return;
    this.formErrorKey = null;
    this.formNoticeKey = null;
    E.name.removeAttribute("aria-invalid");
    if (this.opts.askName && !E.name.value.trim()) {
      this.formErrorKey = "needName";
      E.name.setAttribute("aria-invalid", "true");
      this.render();
      E.name.focus();
      return;
    }
    if (!window.RTCPeerConnection || !navigator.mediaDevices) { this.fail("err.webrtc"); return; }
    var hadTopics = !!(this.topics && this.topics.length);
    if (hadTopics && !E.topic.value) { this.formErrorKey = "needTopic"; this.render(); E.topic.focus(); return; }
    this.noReconnect = false;
    this.notice = null;
    this.setState("connecting");
    var welcome = this.session;
    try {
      if (!welcome) {
        this.token = await this.getToken();
        welcome = await this.connect(false);
      }
    } catch (err) {
      this.disconnect();
      this.fail(err && err.code === "token" ? "err.token" : errKey(err));
      return;
    }
    var fresh = this.absorbWelcome(welcome);
    if (welcome.call) { this.startCall(welcome.call); return; }
    if (welcome.request) { this.requestId = welcome.request.requestId; this.onQueued(welcome.request); return; }
    if (!hadTopics || fresh || !E.topic.value) {
      // topics only became known now: let the customer choose, the connection stays open
      this.setState("idle");
      E.topic.focus();
      return;
    }
    var req = { topic: E.topic.value, language: E.language.value || this.lang, context: this.context() };
    if (typeof this.opts.priority === "number") req.priority = this.opts.priority;
    try {
      var queued = await this.send("request.create", req);
      if (queued.type === "request.queued" && this.state === "connecting") {
        this.requestId = queued.requestId;
        this.onQueued(queued);
      }
    } catch (err) {
      if (this.state === "connecting") { this.disconnect(); this.fail(errKey(err)); }
    }
  };

  Widget.prototype.context = function () {
    var src = this.opts.context && typeof this.opts.context === "object" ? this.opts.context : { page: location.pathname };
    var out = {}, n = 0;
    Object.keys(src).forEach(function (k) {
      var v = src[k];
      if (v === null || v === undefined || n >= 20) return;
      out[String(k).slice(0, 64)] = String(v).slice(0, 256);
      n++;
    });
    return out;
  };

  Widget.prototype.cancel = async function () {
    if (!(this.state === "queued" || this.state === "ringing")) return;
    var id = this.requestId;
    this.el.cancel.disabled = true;
    try {
      if (id && this.ws) await this.send("request.cancel", { requestId: id });
      else throw { code: "network" };
    } catch (err) {
      // not_found / invalid_state: the request is already gone; a call.started may be on its way
      if (err && err.code !== "not_found" && err.code !== "invalid_state" && err.code !== "network") warn("cancel", err.code);
      if (this.state === "queued" || this.state === "ringing") this.toIdle("cancelled");
    } finally {
      this.el.cancel.disabled = false;
    }
  };

  Widget.prototype.hangup = function () {
    if (!this.call) return;
    var callId = this.call.callId;
    var self = this;
    this.el.hangup.disabled = true;
    this.send("call.hangup", { callId: callId }).catch(function () {
      // no server to tell (or the call is already gone): end locally
      if (self.call && self.call.callId === callId) self.endCall("customer_hangup");
    });
    // Do not wait forever for the reply.
    setTimeout(function () { if (self.call && self.call.callId === callId) self.endCall("customer_hangup"); }, 4000);
  };

  Widget.prototype.toggleMic = function () {
    this.micOn = !this.micOn;
    if (this.call) this.call.setMic(this.micOn);
    this.render();
  };
  Widget.prototype.toggleCam = function () {
    this.camOn = !this.camOn;
    if (this.call) this.call.setCamera(this.camOn);
    this.render();
  };

  Widget.prototype.restart = function () {
    if (this.isActive() || this.state === "connecting") return;
    this.endReason = null;
    this.endDuration = null;
    this.errorKey = null;
    this.notice = null;
    this.formNoticeKey = null;
    this.setState("idle");
  };

  Widget.prototype.toIdle = function (noticeKey) {
    this.requestId = null;
    this.queue = { position: null, etaSeconds: null };
    this.disconnect();
    this.notice = null;
    this.formErrorKey = null;
    this.formNoticeKey = noticeKey || null;
    this.setState("idle");
  };

  Widget.prototype.finish = function (reason) {
    this.requestId = null;
    this.queue = { position: null, etaSeconds: null };
    this.endReason = reason;
    this.disconnect();
    this.notice = null;
    this.setState("ended");
  };

  Widget.prototype.fail = function (key) {
    if (this.call) { this.lastPc = this.call.pc; this.call.close(); this.call = null; }
    clearInterval(this.tickTimer);
    this.requestId = null;
    this.errorKey = key || "err.generic";
    this.notice = null;
    this.disconnect();
    this.setState("error");
  };

  function errKey(err) {
    var c = err && err.code;
    if (c && STRINGS.en["err." + c]) return "err." + c;
    if (c === "network") return "err.network";
    return "err.generic";
  }

  // ---------------------------------------------------------------- server messages
  Widget.prototype.onMessage = function (msg) {
    var p = msg.id !== undefined && this.pendingReq[msg.id];
    if (p) {
      delete this.pendingReq[msg.id];
      if (msg.type === "error") { p.reject(msg); return; }
      p.resolve(msg);
    }
    switch (msg.type) {
      case "request.queued":
        if (this.state === "queued" || this.state === "ringing") this.onQueued(msg);
        break;
      case "queue.update":
        if (this.requestId && msg.requestId && msg.requestId !== this.requestId) break;
        if (this.state === "queued" || this.state === "ringing" || this.state === "connecting") this.onQueued(msg);
        break;
      case "request.cancelled":
        if (!(this.state === "queued" || this.state === "ringing" || this.state === "connecting")) break;
        if (msg.reason === "customer_cancelled") this.toIdle("cancelled");
        else this.finish(msg.reason || "other");
        break;
      case "call.started":
        this.startCall(msg);
        break;
      case "call.signal":
        if (!this.call || msg.callId !== this.call.callId) break;
        if (msg.sdp && msg.sdp.type === "offer" && this.call.pc.remoteDescription && this.callInfo) {
          // the other side started its media afresh (e.g. it reloaded): start ours afresh too
          this.startCall(this.callInfo, true);
        }
        this.call.handleSignal(msg);
        break;
      case "call.renegotiate":
        // bridge mode: the others' tracks changed; offer our leg again to receive them
        if (this.call && msg.callId === this.call.callId) this.call.renegotiate(msg.receive, msg.iceRestart);
        break;
      case "call.transferred":
        // another advisor took over the call; the media carries on over the same connection
        if (this.call && msg.callId === this.call.callId) {
          this.peerName = msg.peer && msg.peer.name ? String(msg.peer.name) : "";
          this.showNote(this.t("note.transferred", { name: this.peerName || this.t("advisor") }));
          this.render();
        }
        break;
      case "call.participants":
        if (this.call && msg.callId === this.call.callId) {
          var sup = (msg.participants || []).some(function (p) { return p && p.role === "supervisor"; });
          if (sup) this.showNote(this.t("note.supervisor"));
          else if (this.el.note.textContent === this.t("note.supervisor")) this.showNote("");
        }
        break;
      case "call.ended":
        if (this.call ? msg.callId === this.call.callId : this.isActive()) this.endCall(msg.reason);
        break;
      case "server.shutdown":
        this.onShutdown(msg);
        break;
      case "error":
        if (!p) this.onServerError(msg);
        break;
      default:
        break;
    }
  };

  Widget.prototype.onQueued = function (m) {
    if (typeof m.position === "number") this.queue.position = m.position;
    if (typeof m.etaSeconds === "number") this.queue.etaSeconds = m.etaSeconds;
    this.setState(m.state === "ringing" ? "ringing" : "queued");
  };

  Widget.prototype.onShutdown = function (msg) {
    var delay = typeof msg.reconnectAfterMs === "number" ? msg.reconnectAfterMs : 2000;
    if (this.isActive()) {
      this.notice = "restarting";
      this.render();
      var ws = this.ws;
      this.ws = null;
      this.session = null;
      this.stopPing();
      this.failPending();
      if (ws) { try { ws.close(1000); } catch (e) { /* ignore */ } }
      this.retries = 0;
      this.scheduleReconnect(delay + Math.random() * 1000);
    } else {
      this.disconnect();
    }
  };

  Widget.prototype.onServerError = function (msg) {
    if (msg.code === "session_replaced") {
      this.noReconnect = true;
      this.fail("err.session_replaced");
    } else if (msg.code === "invalid_token") {
      this.fail("err.invalid_token");
    } else {
      warn("server error", msg.code, msg.message);
    }
  };

  // A line under the video about who is in the call; empty hides it.
  Widget.prototype.showNote = function (text) {
    this.el.note.textContent = text || "";
    this.el.note.hidden = !text;
  };

  // ---------------------------------------------------------------- calls
  Widget.prototype.startCall = function (info, renew) {
    var self = this, E = this.el;
    if (!renew && this.call && this.call.callId === info.callId && !this.call.closed) return;
    var startedAt = renew && this.call ? this.call.startedAt : null;
    if (this.call) this.call.close();
    this.callInfo = info;
    this.requestId = null;
    this.peerName = info.peer && info.peer.name ? String(info.peer.name) : "";
    this.micOn = true;
    this.camOn = true;
    this.mediaErrorShown = false;
    E.mediaError.hidden = true;
    if (!renew) this.showNote("");
    E.remote.srcObject = null;
    E.local.srcObject = null;
    E.placeholder.hidden = false;
    E.hangup.disabled = false;
    var call;
    try {
      call = createCall(info, {
        signal: function (payload) {
          var m = { callId: call.callId };
          if (payload.sdp) m.sdp = payload.sdp; else m.candidate = payload.candidate;
          self.send("call.signal", m).catch(function (err) { if (err && err.code !== "network") warn("signal", err.code, err.message); });
        },
        local: function (stream) { E.local.srcObject = stream; E.local.play().catch(function () {}); self.render(); },
        remote: function (stream) {
          if (E.remote.srcObject !== stream) E.remote.srcObject = stream;
          E.placeholder.hidden = stream.getVideoTracks().length > 0;
          E.remote.play().catch(function () {
            // autoplay with sound refused: play muted and offer a button
            E.remote.muted = true;
            E.remote.play().catch(function () {});
            E.sound.hidden = false;
          });
        },
        mediaError: function (e) { warn("media", e && e.name); self.mediaErrorShown = true; E.mediaError.hidden = false; self.render(); },
        state: function () { /* connectionState is visible through debug.peerConnection() */ },
        error: function (e) { warn("webrtc", e); }
      });
    } catch (e) {
      warn("webrtc", e);
      this.fail("err.webrtc");
      return;
    }
    if (startedAt) call.startedAt = startedAt;
    this.call = call;
    this.lastPc = call.pc;
    clearInterval(this.tickTimer);
    this.tickTimer = setInterval(function () { self.renderTimer(); }, 1000);
    this.setState("in-call");
    if (E.panel.hidden) this.open();
  };

  Widget.prototype.endCall = function (reason) {
    var call = this.call;
    if (call) {
      this.endDuration = Date.now() - call.startedAt;
      call.close();
      this.lastPc = call.pc;
      this.call = null;
    } else {
      this.endDuration = null;
    }
    clearInterval(this.tickTimer);
    var E = this.el;
    E.remote.srcObject = null;
    E.local.srcObject = null;
    E.sound.hidden = true;
    this.finish(reason || "other");
  };

  Widget.prototype.destroy = function () {
    this.noReconnect = true;
    if (this.call) this.call.close();
    clearInterval(this.tickTimer);
    this.disconnect();
    if (this.host.parentNode) this.host.parentNode.removeChild(this.host);
  };

  // ---------------------------------------------------------------- public API
  var instance = null;
  var pendingLang = null;
  var api = {
    __livedesk: true,
    version: "1",
    mount: function (opts) {
      opts = opts || {};
      if (!opts.token) throw new Error("LiveDesk.mount: `token` (a string or a function) is required");
      if (instance) instance.destroy();
      var go = function () {
        instance = new Widget(opts);
        if (pendingLang) instance.setLang(pendingLang);
      };
      if (document.body) go();
      else document.addEventListener("DOMContentLoaded", go, { once: true });
      return api;
    },
    open: function () { if (instance) instance.open(); },
    close: function () { if (instance) instance.close(); },
    setLang: function (l) { pendingLang = l; if (instance) instance.setLang(l); },
    unmount: function () { if (instance) instance.destroy(); instance = null; },
    debug: {
      state: function () { return instance ? instance.state : "idle"; },
      peerConnection: function () { return instance ? (instance.call ? instance.call.pc : instance.lastPc) : null; },
      root: function () { return instance ? instance.root : null; },
      host: function () { return instance ? instance.host : null; }
    }
  };
  window.LiveDesk = api;
})();
