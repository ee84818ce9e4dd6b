/*!
 * LiveDesk livestream embed. One classic script, no dependencies:
 *   <script src="https://livedesk.bank.example/live.js" data-broadcast="b-…" data-lang="zh"></script>
 * puts the broadcast's viewer page (/live/{id} on the server this script came from) in an iframe where the
 * script tag stands: video, count, chat and "consult now", sized for the page (16:9 video plus chat; the
 * iframe is 100% wide). A bank that identifies its visitor passes a viewer token it minted:
 *   data-token="…jwt…" (put in the iframe address's fragment, which is never sent to a server).
 * Without one, the demo mints an anonymous viewer token.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var id = script.getAttribute("data-broadcast") || "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) { console.warn("[LiveDesk] live.js needs data-broadcast"); return; }
  var base = new URL(".", new URL(script.src, location.href)).href;
  var src = base + "live/" + encodeURIComponent(id);
  var lang = script.getAttribute("data-lang");
  if (lang === "en" || lang === "zh") src += "?lang=" + lang;
  var token = script.getAttribute("data-token");
  if (token) src += "#token=" + encodeURIComponent(token);
  var frame = document.createElement("iframe");
  frame.src = src;
  frame.title = script.getAttribute("data-title") || "Livestream";
  frame.setAttribute("allow", "autoplay; camera; microphone; fullscreen");
  frame.setAttribute("data-testid", "live-embed");
  frame.style.cssText = "width:100%;border:0;display:block;height:" + (script.getAttribute("data-height") || "760px");
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
