package io.livedesk.media.colibri;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.api.SpeechTaps;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.MeetingId;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link Bridge} on another machine, driven over the Colibri2 REST interface: a LiveDesk bridge node
 * ({@link Colibri2HttpServer}) or a Jitsi Videobridge with {@code videobridge.apis.rest.enabled}.
 *
 * <p>Status codes map to {@link BridgeException}: 404 → NotFound, 400 (and other 4xx) → BadRequest,
 * connection failures, timeouts, 5xx and unreadable replies → Unavailable.
 */
public final class Colibri2Client implements Bridge, SpeechTaps {
    private static final Logger log = LoggerFactory.getLogger(Colibri2Client.class);

    /**
     * @param baseUrl        the bridge's private HTTP interface, e.g. {@code http://10.0.0.5:8080}
     * @param connectTimeout to open a connection
     * @param requestTimeout for a whole request, reply included
     * @param createTimeout  for a request that creates a conference: a freshly started Jitsi Videobridge took 3.8 s
     *                       to answer its first one
     */
    public record Options(URI baseUrl, Duration connectTimeout, Duration requestTimeout, Duration createTimeout) {
        /** What {@link #of} gives a conference create. */
        public static final Duration DEFAULT_CREATE_TIMEOUT = Duration.ofSeconds(10);

        public Options {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(createTimeout, "createTimeout");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("base URL must be http or https: " + baseUrl);
            }
        }

        /** Creates wait as long as any other request. */
        public Options(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
            this(baseUrl, connectTimeout, requestTimeout, requestTimeout);
        }

        public static Options of(URI baseUrl) {
            return new Options(baseUrl, Duration.ofSeconds(2), Duration.ofSeconds(10), DEFAULT_CREATE_TIMEOUT);
        }
    }

    private final String id;
    private final String base;
    private final Options options;
    private final Colibri2ClientCodec codec = new Colibri2ClientCodec();
    private final ExecutorService executor;
    private final HttpClient http;

    /** @param id this bridge's id for logs and selection, e.g. its host name */
    public Colibri2Client(String id, Options options) {
        this.id = Objects.requireNonNull(id, "id");
        this.options = Objects.requireNonNull(options, "options");
        String url = options.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        // Own daemon threads, so that close() releases them (Java 17's HttpClient cannot be closed).
        this.executor = Executors.newCachedThreadPool(new DefaultThreadFactory("colibri2-client", true));
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade: neither JVB nor our server speaks it
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Override
    public String id() {
        return id;
    }

    /** POST to create the conference, PATCH to change it. */
    @Override
    public ConferenceReply apply(ConferenceRequest request) throws BridgeException {
        requireMeetingId(request.meetingId());
        byte[] body = codec.writeRequest(request);
        HttpResponse<byte[]> response = request.create() ? create(request.meetingId(), body)
                : send("PATCH", conferencePath(request.meetingId()), body, options.requestTimeout());
        byte[] content = successBody(response);
        try {
            return codec.parseReply(content);
        } catch (BridgeException.BadRequest e) {
            throw new BridgeException.Unavailable("bridge " + id + " sent an unreadable reply: " + e.getMessage(), e);
        }
    }

    /**
     * A create whose reply timed out may have happened all the same, and a second POST would then be refused
     * ("conference already exists"): the conference is expired first (a no-op if there is none) and the create
     * sent once more. Both attempts wait {@link Options#createTimeout()}.
     */
    private HttpResponse<byte[]> create(MeetingId meetingId, byte[] body) throws BridgeException {
        String path = "/colibri/v2/conferences/";
        try {
            return send("POST", path, body, options.createTimeout());
        } catch (BridgeException.Unavailable e) {
            if (!(e.getCause() instanceof HttpTimeoutException) || e.getCause() instanceof HttpConnectTimeoutException) {
                throw e; // never reached the bridge, or refused: nothing to reconcile
            }
            log.warn("bridge {}: creating conference {} got no reply within {}; expiring what it may have created "
                    + "and creating it once more", id, meetingId, options.createTimeout());
            expire(meetingId);
            return send("POST", path, body, options.createTimeout());
        }
    }

    /** PATCH {@code {"expire":true}}; a conference the bridge does not know is already expired. */
    @Override
    public void expire(MeetingId meetingId) throws BridgeException {
        requireMeetingId(meetingId);
        byte[] body = codec.writeRequest(ConferenceRequest.expiring(meetingId));
        HttpResponse<byte[]> response = send("PATCH", conferencePath(meetingId), body, options.requestTimeout());
        if (response.statusCode() == 404) {
            return;
        }
        successBody(response);
    }

    @Override
    public BridgeStats stats() throws BridgeException {
        byte[] content = successBody(send("GET", "/colibri/stats", null));
        try {
            return codec.parseStats(content);
        } catch (BridgeException.BadRequest e) {
            throw new BridgeException.Unavailable("bridge " + id + " sent unreadable stats: " + e.getMessage(), e);
        }
    }

    /**
     * {@code POST /colibri/drain/enable} or {@code /disable}, which a LiveDesk bridge node and a Jitsi
     * Videobridge both serve; a bridge without the resource (404, 405) cannot be drained: BadRequest.
     */
    @Override
    public void drain(boolean enable) throws BridgeException {
        HttpResponse<byte[]> response = send("POST", Colibri2Routes.DRAIN + (enable ? "/enable" : "/disable"), null);
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            throw new BridgeException.BadRequest("bridge " + id + " cannot be drained (" + response.statusCode() + ")");
        }
        successBody(response);
    }

    /** {@code GET /colibri/drain}: whether the bridge is draining now. */
    public boolean draining() throws BridgeException {
        byte[] content = successBody(send("GET", Colibri2Routes.DRAIN, null));
        try {
            return codec.parseDrain(content);
        } catch (BridgeException.BadRequest e) {
            throw new BridgeException.Unavailable("bridge " + id + " sent an unreadable drain state: " + e.getMessage(), e);
        }
    }

    /**
     * {@code GET /about/health}: returns when the bridge answers 200 (Jitsi Videobridge and ours alike),
     * else throws {@link BridgeException.Unavailable} saying why (unreachable, unhealthy, shutting down).
     */
    public void checkHealth() throws BridgeException {
        HttpResponse<byte[]> response = send("GET", "/about/health", null);
        if (response.statusCode() != 200) {
            throw new BridgeException.Unavailable("bridge " + id + " is unhealthy: " + response.statusCode()
                    + errorMessage(response.body()), null);
        }
    }

    /**
     * {@code GET /livedesk/conferences/{meeting-id}/stats}, a LiveDesk extension. A Jitsi Videobridge has
     * no such resource: its 404 (unlike ours for an unknown conference) carries no error message from the
     * bridge, and becomes the BadRequest the interface prescribes for bridges that cannot tell.
     */
    @Override
    public ConferenceStats conferenceStats(MeetingId meetingId) throws BridgeException {
        requireMeetingId(meetingId);
        HttpResponse<byte[]> response = send("GET", Colibri2Routes.CONFERENCE_STATS + encode(meetingId.value()) + "/stats", null);
        if (response.statusCode() == 404 || response.statusCode() == 405) {
            String message = errorOf(response.body());
            if (response.statusCode() == 404 && message != null && !message.startsWith(Colibri2Routes.NO_SUCH_RESOURCE)) {
                throw new BridgeException.NotFound("bridge " + id + ": " + message);
            }
            throw new BridgeException.BadRequest("bridge " + id + " does not report conference statistics");
        }
        byte[] content = successBody(response);
        try {
            return codec.parseConferenceStats(content);
        } catch (BridgeException.BadRequest e) {
            throw new BridgeException.Unavailable("bridge " + id + " sent unreadable conference stats: "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@code POST /livedesk/media-status}, a LiveDesk extension, in requests of at most
     * {@link Colibri2Parts#MAX_MEDIA_STATUS_MEETINGS} conferences. A Jitsi Videobridge has no such resource
     * (404 or 405 without our error message): the BadRequest of bridges that cannot tell.
     */
    @Override
    public List<EndpointMedia> mediaStatus(Collection<MeetingId> meetingIds) throws BridgeException {
        List<MeetingId> all = List.copyOf(meetingIds);
        List<EndpointMedia> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += Colibri2Parts.MAX_MEDIA_STATUS_MEETINGS) {
            List<MeetingId> part = all.subList(from, Math.min(all.size(), from + Colibri2Parts.MAX_MEDIA_STATUS_MEETINGS));
            HttpResponse<byte[]> response = send("POST", Colibri2Routes.MEDIA_STATUS, codec.writeMediaStatusRequest(part));
            if (response.statusCode() == 404 || response.statusCode() == 405) {
                throw new BridgeException.BadRequest("bridge " + id + " does not report media status");
            }
            byte[] content = successBody(response);
            try {
                out.addAll(codec.parseMediaStatus(content));
            } catch (BridgeException.BadRequest e) {
                throw new BridgeException.Unavailable("bridge " + id + " sent an unreadable media status: "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * {@code POST /livedesk/taps}, a LiveDesk extension. A bridge without the resource (a Jitsi Videobridge, 404 or
     * 405 without our error message) cannot tap: BadRequest.
     */
    @Override
    public String openTap(SpeechTapRequest request) throws BridgeException {
        HttpResponse<byte[]> response = send("POST", Colibri2Routes.TAPS, codec.writeSpeechTapRequest(request));
        cannotTap(response);
        byte[] content = successBody(response);
        try {
            return codec.parseTapOpened(content);
        } catch (BridgeException.BadRequest e) {
            throw new BridgeException.Unavailable("bridge " + id + " sent an unreadable tap reply: " + e.getMessage(), e);
        }
    }

    /** {@code DELETE /livedesk/taps/{id}}; a tap the bridge no longer has is not an error. */
    @Override
    public void closeTap(String tapId) throws BridgeException {
        if (tapId == null || !SpeechTaps.TAP_ID.matcher(tapId).matches()) {
            throw new BridgeException.BadRequest("not a tap id");
        }
        HttpResponse<byte[]> response = send("DELETE", Colibri2Routes.TAPS + "/" + tapId, null);
        cannotTap(response);
        successBody(response);
    }

    /** {@code POST /livedesk/tap-events}, in requests of at most {@link SpeechTaps#MAX_TAPS_PER_POLL} taps. */
    @Override
    public SpeechTapEvents tapEvents(Map<String, Long> cursors) throws BridgeException {
        List<Map.Entry<String, Long>> all = List.copyOf(cursors.entrySet());
        List<SpeechTapEvents.Tap> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += MAX_TAPS_PER_POLL) {
            Map<String, Long> part = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Long> e : all.subList(from, Math.min(all.size(), from + MAX_TAPS_PER_POLL))) {
                part.put(e.getKey(), e.getValue());
            }
            HttpResponse<byte[]> response = send("POST", Colibri2Routes.TAP_EVENTS, codec.writeTapEventsRequest(part));
            cannotTap(response);
            byte[] content = successBody(response);
            try {
                out.addAll(codec.parseTapEvents(content).taps());
            } catch (BridgeException.BadRequest e) {
                throw new BridgeException.Unavailable("bridge " + id + " sent unreadable tap events: " + e.getMessage(), e);
            }
        }
        return new SpeechTapEvents(out);
    }

    private void cannotTap(HttpResponse<byte[]> response) throws BridgeException.BadRequest {
        int status = response.statusCode();
        if (status == 405 || status == 404) {
            String message = errorOf(response.body());
            if (status == 405 || message == null || message.startsWith(Colibri2Routes.NO_SUCH_RESOURCE)) {
                throw new BridgeException.BadRequest("bridge " + id + " cannot tap audio for speech");
            }
        }
    }

    /** Releases the client's threads; the remote bridge and its conferences are untouched. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws BridgeException {
        return send(method, path, body, options.requestTimeout());
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, Duration timeout)
            throws BridgeException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Accept", "application/json");
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // Includes HttpTimeoutException and HttpConnectTimeoutException.
            throw new BridgeException.Unavailable("bridge " + id + " unreachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeException.Unavailable("interrupted while calling bridge " + id, e);
        } catch (RuntimeException e) {
            // e.g. the executor was shut down by close()
            throw new BridgeException.Unavailable("cannot call bridge " + id + ": " + e, e);
        }
    }

    private byte[] successBody(HttpResponse<byte[]> response) throws BridgeException {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String detail = "bridge " + id + " answered " + status + errorMessage(response.body());
        if (status == 404) {
            throw new BridgeException.NotFound(detail);
        }
        if (status >= 400 && status < 500) {
            throw new BridgeException.BadRequest(detail);
        }
        throw new BridgeException.Unavailable(detail, null);
    }

    private String errorMessage(byte[] body) {
        String message = errorOf(body);
        return message == null ? "" : ": " + message;
    }

    /** The bridge's reason: ours in {@code {"error":…}}, Jitsi Videobridge's in an HTML page ({@link ErrorBodies}). */
    private String errorOf(byte[] body) {
        if (body == null || body.length == 0 || body.length > ErrorBodies.MAX_BODY) {
            return null;
        }
        return ErrorBodies.reason(body, codec.parseError(body));
    }

    private static String conferencePath(MeetingId meetingId) {
        return "/colibri/v2/conferences/" + encode(meetingId.value());
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireMeetingId(MeetingId meetingId) throws BridgeException.BadRequest {
        if (meetingId == null) {
            throw new BridgeException.BadRequest("meeting-id is required");
        }
    }
}
