package io.livedesk.media.colibri;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.SpeechTaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Colibri2 REST interface as plain request → reply, independent of the HTTP server that carries it:
 * routes a method and path to the {@link Bridge}, and maps its outcome to a status code (NotFound 404,
 * BadRequest 400, Unavailable 503, a bug 500). Calls the bridge synchronously, so it must run off the
 * network threads.
 *
 * <p>One deliberate difference from Jitsi Videobridge: {@code {"expire":true}} on an unknown conference
 * answers 200 {@code {}} rather than 404, as {@link Bridge#expire} is idempotent.
 */
final class Colibri2Routes {

    private static final Logger LOG = LoggerFactory.getLogger(Colibri2Routes.class);
    private static final String CONFERENCES = "/colibri/v2/conferences";
    /** {@code /livedesk/conferences/{meeting-id}/stats}: ours, kept outside the Colibri2 paths. */
    static final String CONFERENCE_STATS = "/livedesk/conferences/";
    /** {@code POST /livedesk/media-status}: ours; a POST because the conferences asked about may not fit a URL. */
    static final String MEDIA_STATUS = "/livedesk/media-status";
    /** {@code POST /livedesk/taps} opens a speech tap, {@code DELETE /livedesk/taps/{id}} closes it: ours. */
    static final String TAPS = "/livedesk/taps";
    /** {@code POST /livedesk/tap-events}: ours; the speech taps' results since the caller's cursors. */
    static final String TAP_EVENTS = "/livedesk/tap-events";
    /** Jitsi Videobridge's drain resource, so that an operator drains either kind of bridge the same way. */
    static final String DRAIN = "/colibri/drain";
    static final String NO_SUCH_RESOURCE = "no such resource: ";

    /** A reply: {@code body} is JSON unless empty; {@code allow} is set for 405. */
    record Reply(int status, byte[] body, String allow) {
        static Reply json(int status, byte[] body) {
            return new Reply(status, body, null);
        }

        static Reply empty(int status) {
            return new Reply(status, new byte[0], null);
        }
    }

    private final Bridge bridge;
    private final Colibri2BridgeCodec codec;
    private final String version;
    /** Null on a bridge that does not tap for speech: its tap resources do not exist (404, as on a Jitsi Videobridge). */
    private final SpeechTaps taps;

    Colibri2Routes(Bridge bridge, Colibri2BridgeCodec codec, String version) {
        this(bridge, codec, version, null);
    }

    Colibri2Routes(Bridge bridge, Colibri2BridgeCodec codec, String version, SpeechTaps taps) {
        this.bridge = bridge;
        this.codec = codec;
        this.version = version;
        this.taps = taps;
    }

    /**
     * @param path        the request path without the query string, still percent-encoded
     * @param contentType the request's Content-Type, or null
     */
    Reply handle(String method, String path, String contentType, byte[] body) {
        try {
            return route(method, path, contentType, body);
        } catch (BridgeException.NotFound e) {
            return error(404, e.getMessage());
        } catch (BridgeException.BadRequest e) {
            return error(400, e.getMessage());
        } catch (BridgeException e) {
            // Unavailable, or a kind this version does not know: the bridge cannot serve right now.
            return error(503, e.getMessage());
        } catch (RuntimeException e) {
            // A bug in the bridge or here: keep serving, tell the caller nothing about internals.
            LOG.error("Colibri2 {} {} failed", method, path, e);
            return error(500, "internal error");
        }
    }

    private Reply route(String method, String path, String contentType, byte[] body) throws BridgeException {
        if (path.equals(CONFERENCES) || path.equals(CONFERENCES + "/")) {
            return switch (method) {
                case "POST" -> create(contentType, body);
                case "GET" -> error(501, "listing conferences is not implemented");
                default -> notAllowed("GET, POST");
            };
        }
        if (path.startsWith(CONFERENCE_STATS) && path.endsWith("/stats")) {
            String id = path.substring(CONFERENCE_STATS.length(), path.length() - "/stats".length());
            if (id.isEmpty() || id.contains("/")) {
                return error(404, NO_SUCH_RESOURCE + printable(path));
            }
            return method.equals("GET")
                    ? Reply.json(200, codec.writeConferenceStats(bridge.conferenceStats(codec.parsePathMeetingId(decode(id)))))
                    : notAllowed("GET");
        }
        if (taps != null && path.startsWith(TAPS + "/")) {
            String id = path.substring(TAPS.length() + 1);
            if (!SpeechTaps.TAP_ID.matcher(id).matches()) {
                return error(404, NO_SUCH_RESOURCE + printable(path));
            }
            if (!method.equals("DELETE")) {
                return notAllowed("DELETE");
            }
            taps.closeTap(id);
            return Reply.json(200, codec.writeConferenceExpired());
        }
        if (path.startsWith(CONFERENCES + "/")) {
            String rest = path.substring(CONFERENCES.length() + 1);
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            if (rest.isEmpty() || rest.contains("/")) {
                return error(404, NO_SUCH_RESOURCE + printable(path));
            }
            if (!method.equals("PATCH")) {
                return notAllowed("PATCH");
            }
            return modify(decode(rest), contentType, body);
        }
        return switch (path) {
            case "/about/health" -> method.equals("GET") ? health() : notAllowed("GET");
            case "/about/version" -> method.equals("GET")
                    ? Reply.json(200, codec.writeVersion("LiveDesk bridge", version)) : notAllowed("GET");
            case "/colibri/stats" -> method.equals("GET")
                    ? Reply.json(200, codec.writeStats(bridge.stats(), version)) : notAllowed("GET");
            case DRAIN -> method.equals("GET")
                    ? Reply.json(200, codec.writeDrain(bridge.stats().draining())) : notAllowed("GET");
            case DRAIN + "/enable" -> method.equals("POST") ? drain(true) : notAllowed("POST");
            case DRAIN + "/disable" -> method.equals("POST") ? drain(false) : notAllowed("POST");
            case MEDIA_STATUS -> method.equals("POST") ? mediaStatus(contentType, body) : notAllowed("POST");
            case TAPS -> taps == null ? error(404, NO_SUCH_RESOURCE + printable(path))
                    : method.equals("POST") ? openTap(contentType, body) : notAllowed("POST");
            case TAP_EVENTS -> taps == null ? error(404, NO_SUCH_RESOURCE + printable(path))
                    : method.equals("POST") ? tapEvents(contentType, body) : notAllowed("POST");
            default -> error(404, NO_SUCH_RESOURCE + printable(path));
        };
    }

    private Reply create(String contentType, byte[] body) throws BridgeException {
        if (!isJson(contentType)) {
            return error(415, "Content-Type must be application/json");
        }
        ConferenceRequest request = codec.parseCreate(body);
        return Reply.json(200, codec.writeReply(bridge.apply(request)));
    }

    private Reply modify(String meetingId, String contentType, byte[] body) throws BridgeException {
        if (!isJson(contentType)) {
            return error(415, "Content-Type must be application/json");
        }
        ConferenceRequest request = codec.parseModify(meetingId, body);
        if (request.expire()) {
            // Idempotent, as Bridge.expire is: expiring a conference that is already gone is not an error.
            bridge.expire(request.meetingId());
            return Reply.json(200, codec.writeConferenceExpired());
        }
        return Reply.json(200, codec.writeReply(bridge.apply(request)));
    }

    private Reply mediaStatus(String contentType, byte[] body) throws BridgeException {
        if (!isJson(contentType)) {
            return error(415, "Content-Type must be application/json");
        }
        return Reply.json(200, codec.writeMediaStatus(bridge.mediaStatus(codec.parseMediaStatusRequest(body))));
    }

    private Reply openTap(String contentType, byte[] body) throws BridgeException {
        if (!isJson(contentType)) {
            return error(415, "Content-Type must be application/json");
        }
        return Reply.json(200, codec.writeTapOpened(taps.openTap(codec.parseSpeechTapRequest(body))));
    }

    private Reply tapEvents(String contentType, byte[] body) throws BridgeException {
        if (!isJson(contentType)) {
            return error(415, "Content-Type must be application/json");
        }
        return Reply.json(200, codec.writeTapEvents(taps.tapEvents(codec.parseTapEventsRequest(body))));
    }

    /** No body, as Jitsi Videobridge takes it; answers the state now. */
    private Reply drain(boolean enable) throws BridgeException {
        bridge.drain(enable);
        return Reply.json(200, codec.writeDrain(bridge.stats().draining()));
    }

    private Reply health() {
        try {
            BridgeStats stats = bridge.stats();
            if (stats.healthy() && !stats.shuttingDown()) {
                return Reply.empty(200);
            }
            return error(500, stats.shuttingDown() ? "shutting down" : "unhealthy");
        } catch (BridgeException e) {
            return error(500, "unhealthy: " + e.getMessage());
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static String decode(String segment) throws BridgeException.BadRequest {
        try {
            // A path segment: '+' is literal there, unlike in a form.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BridgeException.BadRequest("malformed percent-encoding in the path");
        }
    }

    private Reply notAllowed(String allow) {
        return new Reply(405, codec.writeError("method not allowed; use " + allow), allow);
    }

    private Reply error(int status, String message) {
        return Reply.json(status, codec.writeError(message == null ? "" : message));
    }

    private static String printable(String path) {
        String cut = path.length() > 100 ? path.substring(0, 100) + "…" : path;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
