// Icons of the desk and the widget: static, trusted markup only (never data from the server).
export const ICONS = {
  video: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="2" y="6" width="14" height="12" rx="2.5"/><path d="M16 10.5l5-3v9l-5-3z"/></svg>',
  videoOff: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M16 16v1.5A2.5 2.5 0 0 1 13.5 20h-9A2.5 2.5 0 0 1 2 17.5v-9A2.5 2.5 0 0 1 4.5 6H6m4 0h3.5A2.5 2.5 0 0 1 16 8.5V11l5-3v9"/><path d="M2 2l20 20"/></svg>',
  mic: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v4"/></svg>',
  micOff: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M15 10V5a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 5 2.2M5 11a7 7 0 0 0 11.5 5.4M19 11a7 7 0 0 1-.5 2.6M12 18v4M2 2l20 20"/></svg>',
  hang: '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M12 8.5c-3.9 0-7.4 1.3-9.6 3.4-.5.5-.5 1.2 0 1.7l2 2c.4.4 1.1.5 1.6.1l2.3-1.7c.4-.3.6-.7.6-1.2v-1.9c1-.3 2-.4 3.1-.4s2.1.1 3.1.4v1.9c0 .5.2.9.6 1.2l2.3 1.7c.5.4 1.2.3 1.6-.1l2-2c.5-.5.5-1.2 0-1.7C19.4 9.8 15.9 8.5 12 8.5z"/></svg>',
  minimize: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M6 12h12"/></svg>',
  lock: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><rect x="4" y="10" width="16" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/></svg>',
  shield: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z"/><path d="M9 12l2 2 4-4"/></svg>',
  check: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>',
  info: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="9.5"/><path d="M12 11v5.5M12 7.5v.5"/></svg>',
  alert: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M12 8v5M12 16.5v.5"/><circle cx="12" cy="12" r="9.5"/></svg>',
  headset: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M4 14v-2a8 8 0 0 1 16 0v2"/><rect x="3" y="13" width="4" height="6" rx="1.5"/><rect x="17" y="13" width="4" height="6" rx="1.5"/><path d="M19 19c0 1.5-2 2.5-5 2.5"/></svg>'
};

/** A fresh <svg> element for the icon. */
export function icon(name) {
  const t = document.createElement("template");
  t.innerHTML = ICONS[name];
  return t.content.firstChild;
}

/**
 * A call's microphone and camera buttons (the desk's, the widget's, the viewer page's): the icon, pressed while
 * turned off, and the label of what a press does. tr(key) translates "mute"/"unmute" and "camOff"/"camOn",
 * which every page's strings have.
 */
export function renderMediaToggles(mic, cam, micOn, camOn, tr) {
  toggle(mic, micOn, "mic", "micOff", tr(micOn ? "mute" : "unmute"));
  toggle(cam, camOn, "video", "videoOff", tr(camOn ? "camOff" : "camOn"));
}

function toggle(btn, on, onIcon, offIcon, label) {
  setIcon(btn, on ? onIcon : offIcon);
  btn.setAttribute("aria-pressed", String(!on));
  btn.setAttribute("aria-label", label);
  btn.setAttribute("title", label);
}

/** Shows the icon in the button, unless it already does. */
export function setIcon(btn, name) {
  if (btn.getAttribute("data-icon") === name) return;
  btn.replaceChildren(icon(name));
  btn.setAttribute("data-icon", name);
}
