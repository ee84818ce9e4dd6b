// The viewer page's words, in English and Chinese.
export const STRINGS = {
  en: {
    title: "Live", live: "LIVE", waiting: "Starting soon", ended: "This broadcast has ended",
    removed: "You were removed from this broadcast.", connecting: "Connecting…",
    viewers: "{n} watching", likes: "{n} likes", like: "Like",
    consult: "Talk to an advisor", consultCard: "Consult now", chat: "Live chat", chatPh: "Say something…",
    send: "Send", muted: "You are muted in this chat.", namePrompt: "Your name, so the advisor knows who you are",
    nameLabel: "Your name", nameGo: "Ask for an advisor", nameCancel: "Cancel",
    queued: "You are number {position} in line (about {eta})", ringing: "Connecting you to an advisor…",
    cancel: "Leave the line", hangup: "Hang up", inCall: "In a call with {name}", backToStream: "Back to the broadcast",
    minutes: "{n} min", lessThanMinute: "less than a minute", from: "from the studio",
    "err.rate_limited": "Slow down: one message a second.", "err.forbidden": "Not allowed.",
    "err.invalid_state": "Not possible right now.", "err.broadcast_full": "The broadcast is full right now; try again in a moment.",
    "err.not_found": "This broadcast does not exist.", "err.network": "No connection; retrying…",
    "err.bad_message": "Please check what you typed.", "err.generic": "Something went wrong ({code}).",
    list: "Livestreams", listEmpty: "No broadcasts right now.", watch: "Watch", scheduled: "Starts {time}", langSwitch: "中文"
  },
  zh: {
    title: "直播", live: "直播中", waiting: "即将开始", ended: "直播已结束",
    removed: "您已被移出本场直播。", connecting: "连接中…",
    viewers: "{n} 人观看", likes: "{n} 个赞", like: "点赞",
    consult: "咨询顾问", consultCard: "立即咨询", chat: "直播互动", chatPh: "说点什么…",
    send: "发送", muted: "您已被禁言。", namePrompt: "请留下您的姓名，方便顾问称呼您",
    nameLabel: "您的姓名", nameGo: "联系顾问", nameCancel: "取消",
    queued: "您排在第 {position} 位（约 {eta}）", ringing: "正在为您接通顾问…",
    cancel: "退出排队", hangup: "挂断", inCall: "正在与 {name} 通话", backToStream: "返回直播",
    minutes: "{n} 分钟", lessThanMinute: "不到一分钟", from: "来自直播间",
    "err.rate_limited": "发言太快了：每秒一条。", "err.forbidden": "不允许此操作。",
    "err.invalid_state": "现在无法进行此操作。", "err.broadcast_full": "直播人数已满，请稍后再试。",
    "err.not_found": "找不到这场直播。", "err.network": "网络已断开，正在重试…",
    "err.bad_message": "请检查输入内容。", "err.generic": "出错了（{code}）。",
    list: "直播", listEmpty: "暂无直播。", watch: "观看", scheduled: "{time} 开始", langSwitch: "English"
  }
};
