/*!
 * LiveDesk customer video-call widget. One classic script, no dependencies, one global: `LiveDesk`.
 *
 * This file is only the loader: it defines `LiveDesk` at once (calls made before the widget is ready
 * are queued and replayed in order) and imports the widget's ES modules (widget/app.js and the shared
 * session and call client in client/) from the server it was loaded from. A bank page on another origin
 * can import them because the server sends `Access-Control-Allow-Origin: *` with its scripts.
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
 *   topic    the topic to pre-select (the page is about it), so the customer usually presses one button.
 *   topicsByPath  {"/loans": "loans", ...}: pre-selects the topic of the longest prefix of the page's path.
 *   product  the product the page is about; sent with the request as context `product`.
 *   context  object of strings sent with the request; default {page: location.pathname}.
 *   priority 0-9 request priority (the token's maxPriority caps it); default 0.
 *   launcher false: no floating button (open it with LiveDesk.open()).
 * API: LiveDesk.mount(opts), LiveDesk.open([{topic, product}]) (a page's "talk to a specialist" button names
 *      what it is about), LiveDesk.close(), LiveDesk.setLang(l),
 *      LiveDesk.unmount(), LiveDesk.debug = { state(), peerStatus(), peerConnection(), restartIce(), root(), host() }.
 *
 * The UI lives in an open Shadow DOM on <div id="livedesk-widget" data-testid="ld-host">; the host
 * also mirrors the state in its data-state attribute, and in a call whether the advisor is there in
 * data-peer (connected|reconnecting). Use LiveDesk.debug.root() to query inside.
 *
 * Test hooks (data-testid, inside the shadow root):
 *   ld-launch        floating launcher button
 *   ld-status        status line; data-state = idle|connecting|choice|callback|callback-sent|queued|ringing|in-call|ended|error
 *   ld-name          name input (when askName)
 *   ld-topic         <select>, option values = topic ids
 *   ld-language      <select>, option values = language codes
 *   ld-start         start button
 *   ld-form-error    validation message of the start form
 *   ld-queue         queue status text (position / estimated wait / connecting to an advisor)
 *   ld-cancel        leave-the-queue button
 *   ld-choice        before queueing (nobody free, the queue closed) or after the maximum wait:
 *                    ld-choice-reason, ld-choice-sub, ld-choice-wait, ld-choice-callback, ld-choice-back
 *   ld-cb-form       the callback request form: ld-cb-name, ld-cb-phone, ld-cb-when, ld-cb-note,
 *                    ld-cb-error, ld-cb-send, ld-cb-back;  ld-cb-sent  the confirmation, ld-cb-done
 *   ld-remote-video  remote <video>
 *   ld-local-video   local <video> (muted)
 *   ld-mute, ld-camera   microphone / camera toggles
 *   ld-hangup        hang up button
 *   ld-peer-status   shown over the advisor's video while they reconnect (their page or network dropped)
 *   ld-end-reason    why the call ended;  ld-end-icon  its icon (class ok, or neutral when it broke off)
 *   ld-restart       start a new call (after the end)
 *   ld-error         friendly error text;  ld-retry  try again
 *   ld-minimize      collapse the panel;   ld-lang-toggle  UI language switch
 *   ld-banner        reconnecting / notice banner
 */
(function () {
  "use strict";
  if (window.LiveDesk && window.LiveDesk.__livedesk) return;

  // The modules sit beside this script; the server (WebSocket, API) defaults to its origin.
  var here = (function () {
    try {
      var s = document.currentScript;
      if (s && s.src) return new URL(".", new URL(s.src, location.href)).href;
    } catch (e) { /* fall through */ }
    return location.origin + "/";
  })();

  var impl = null;
  var queued = [];
  function forward(name) {
    return function () {
      if (impl) impl[name].apply(impl, arguments);
      else queued.push([name, arguments]);
      return api;
    };
  }

  var api = {
    __livedesk: true,
    version: "1",
    mount: function (opts) {
      if (!opts || !opts.token) throw new Error("LiveDesk.mount: `token` (a string or a function) is required");
      return forward("mount")(opts);
    },
    open: forward("open"),
    close: forward("close"),
    setLang: forward("setLang"),
    unmount: forward("unmount"),
    debug: {
      state: function () { return impl ? impl.debug.state() : "idle"; },
      peerStatus: function () { return impl ? impl.debug.peerStatus() : "connected"; },
      peerConnection: function () { return impl ? impl.debug.peerConnection() : null; },
      restartIce: function () { return impl ? impl.debug.restartIce() : undefined; },
      root: function () { return impl ? impl.debug.root() : null; },
      host: function () { return impl ? impl.debug.host() : null; }
    }
  };
  window.LiveDesk = api;

  import(here + "widget/app.js").then(function (m) {
    impl = m.createWidgetApi({ server: new URL(here).origin });
    queued.splice(0).forEach(function (c) { impl[c[0]].apply(impl, c[1]); });
  }, function (e) {
    console.warn("[LiveDesk] the widget could not be loaded from " + here, e);
  });
})();
