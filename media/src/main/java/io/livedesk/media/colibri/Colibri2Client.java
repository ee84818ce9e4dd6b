package io.livedesk.media.colibri;

import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.MeetingId;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
public final class Colibri2Client implements Bridge {

    /**
     * @param baseUrl        the bridge's private HTTP interface, e.g. {@code http://10.0.0.5:8080}
     * @param connectTimeout to open a connection
     * @param requestTimeout for a whole request, reply included
     */
    public record Options(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        public Options {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("base URL must be http or https: " + baseUrl);
            }
        }

        public static Options of(URI baseUrl) {
            return new Options(baseUrl, Duration.ofSeconds(2), Duration.ofSeconds(10));
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
        HttpResponse<byte[]> response = request.create()
                ? send("POST", "/colibri/v2/conferences/", body)
                : send("PATCH", conferencePath(request.meetingId()), body);
        byte[] content = successBody(response);
        try {
            return codec.parseReply(content);
        } catch (BridgeException.BadRequest e) {
            throw new BridgeException.Unavailable("bridge " + id + " sent an unreadable reply: " + e.getMessage(), e);
        }
    }

    /** PATCH {@code {"expire":true}}; a conference the bridge does not know is already expired. */
    @Override
    public void expire(MeetingId meetingId) throws BridgeException {
        requireMeetingId(meetingId);
        byte[] body = codec.writeRequest(ConferenceRequest.expiring(meetingId));
        HttpResponse<byte[]> response = send("PATCH", conferencePath(meetingId), body);
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

    /** Releases the client's threads; the remote bridge and its conferences are untouched. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body) throws BridgeException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(options.requestTimeout())
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

    /** Our server explains errors in {@code {"error":…}}; Jitsi Videobridge sends an empty body. */
    private String errorOf(byte[] body) {
        if (body == null || body.length == 0 || body.length > 4096) {
            return null;
        }
        String message = codec.parseError(body);
        return message == null ? null : message.replaceAll("[^\\x20-\\x7e]", "?");
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
