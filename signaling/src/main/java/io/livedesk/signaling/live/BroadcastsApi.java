package io.livedesk.signaling.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Permission;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpCall;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Broadcasts over REST. Anyone may list the scheduled and live ones and read one ({@code GET
 * /api/broadcasts}, {@code GET /api/broadcasts/{id}}): the livestream page shows them to the public, so
 * these views leave out the host and the record. A staff member or supervisor with the livestream
 * permission creates a broadcast, hosts it, and alone takes it live and ends it; the host and supervisors
 * read its record ({@code GET /api/broadcasts/{id}/record}).
 */
public final class BroadcastsApi {
    private static final Logger log = LoggerFactory.getLogger(BroadcastsApi.class);
    private static final String COLLECTION = "/api/broadcasts";
    /** What the livestream page lists when it names no states: what one can still watch. */
    private static final Set<BroadcastState> LISTABLE = Set.of(BroadcastState.SCHEDULED, BroadcastState.LIVE);
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;

    private final BroadcastStore store;
    private final ViewerPresenceStore viewers;
    private final LiveDeskConfig.Routing routing;
    private final ApiAuth auth;
    private final ObjectMapper json;
    private final Clock clock;
    private final BroadcastChanges changes;
    private final String nodeId;

    /** @param routing the configured topics and languages a broadcast must be in */
    public BroadcastsApi(BroadcastStore store, ViewerPresenceStore viewers, LiveDeskConfig.Routing routing, ApiAuth auth, ObjectMapper json,
                         Clock clock, BroadcastChanges changes, String nodeId) {
        this.store = store;
        this.viewers = viewers;
        this.routing = routing;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
        this.changes = changes;
        this.nodeId = nodeId;
    }

    /** The body of {@code POST /api/broadcasts}; {@code scheduledAt} is ISO-8601 with an offset or Z. */
    record CreateRequest(String title, String description, String language, String topic, String scheduledAt,
                         String coverImageUrl) {

        /** The new broadcast, or 400 naming the first field that is wrong. */
        Broadcast toBroadcast(BroadcastId id, Subject host, LiveDeskConfig.Routing routing) {
            Broadcast b;
            try {
                b = Broadcast.scheduled(id, host, title, description, language, topic, scheduledAtMs(),
                        coverImageUrl);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, e.getMessage());
            }
            // The same codes as request.create: a viewer's consultation is queued under this topic and language.
            if (!routing.hasTopic(topic)) {
                throw new ProtocolException(ErrorCode.UNKNOWN_TOPIC, "topic \"" + topic + "\" is not a configured topic");
            }
            if (!routing.languages().contains(language)) {
                throw new ProtocolException(ErrorCode.UNSUPPORTED_LANGUAGE,
                        "language \"" + language + "\" is not a configured language");
            }
            return b;
        }

        private long scheduledAtMs() {
            String message = "scheduledAt must be an ISO-8601 time after 1970, such as 2026-12-01T09:00:00Z";
            if (scheduledAt == null) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, message);
            }
            try {
                long ms = Instant.parse(scheduledAt).toEpochMilli();
                if (ms > 0) {
                    return ms;
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // falls through to the error below
            }
            throw new ProtocolException(ErrorCode.BAD_MESSAGE, message);
        }
    }

    /** What anyone may see of a broadcast: never its host, stage or record. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PublicView(BroadcastId id, String title, String description, String language, String topic,
                      String scheduledAt, String coverImageUrl, String state, String startedAt) {
    }

    /** The whole record, for its host and supervisors. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RecordView(BroadcastId id, Subject host, String title, String description, String language, String topic,
                      String scheduledAt, String coverImageUrl, String state, boolean cancelled, List<Subject> coHosts,
                      String startedAt, String endedAt, int peakViewers, long uniqueViewers, long watchTimeMs,
                      long chatMessages, long likes, long consultationsRequested, long consultationsAnswered) {
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.POST, COLLECTION, this::create);
        routes.add(HttpMethod.GET, COLLECTION, call -> {
            List<PublicView> views = store.list(states(call.queryParam("state", null)),
                    call.limit(DEFAULT_LIMIT, MAX_LIMIT)).stream().map(BroadcastsApi::publicView).toList();
            return HttpReply.json(200, json.writeValueAsString(Map.of("broadcasts", views)));
        });
        routes.add(HttpMethod.GET, COLLECTION + "/{id}", call ->
                HttpReply.json(200, json.writeValueAsString(publicView(find(call, "")))));
        routes.add(HttpMethod.GET, COLLECTION + "/{id}/record", call -> {
            Principal p = auth.require(call, EnumSet.allOf(Role.class));
            Broadcast b = find(call, "/record");
            if (p.role() != Role.SUPERVISOR && !b.host().equals(p.subject())) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "only the host or a supervisor may read the record");
            }
            return recordReply(200, b, Map.of());
        });
        routes.add(HttpMethod.POST, COLLECTION + "/{id}/live", call -> transition(call, "/live",
                b -> b.wentLive(clock.millis(), nodeId), "went live"));
        routes.add(HttpMethod.POST, COLLECTION + "/{id}/end", call -> transition(call, "/end",
                b -> b.ended(clock.millis()), "ended"));
    }

    private HttpReply create(HttpCall call) throws Exception {
        Principal p = host(call);
        Broadcast b = call.jsonBody(json, CreateRequest.class).toBroadcast(BroadcastId.generate(), p.subject(), routing);
        store.create(b);
        log.info("broadcast {} created", b.id());
        return recordReply(201, b, Map.of("Location", COLLECTION + "/" + b.id()));
    }

    /** A state change by the host; refusals of the state machine are 409 (see {@link BroadcastChanges}). */
    private HttpReply transition(HttpCall call, String suffix, UnaryOperator<Broadcast> change, String logged)
            throws Exception {
        Principal p = host(call);
        BroadcastId id = find(call, suffix).id();
        Broadcast changed;
        try {
            changed = changes.apply(id, b -> b.host().equals(p.subject()), change, logged);
        } catch (ProtocolException e) {
            if (e.code() == ErrorCode.FORBIDDEN) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "only the broadcast's host may change its state");
            }
            throw e;
        }
        return recordReply(200, changed, Map.of());
    }

    /** A caller who may host: staff or a supervisor whose token grants the livestream permission. */
    private Principal host(HttpCall call) {
        Principal p = auth.require(call, EnumSet.of(Role.STAFF, Role.SUPERVISOR));
        if (!p.has(Permission.LIVESTREAM)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "hosting broadcasts needs the livestream permission");
        }
        return p;
    }

    /** The broadcast the path names ({@code /api/broadcasts/{id}} then {@code suffix}); 404 if none. */
    private Broadcast find(HttpCall call, String suffix) {
        String path = call.path();
        String id = path.substring(COLLECTION.length() + 1, path.length() - suffix.length());
        return BroadcastId.parse(id).flatMap(store::get)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such broadcast"));
    }

    /** The {@code state} parameter: comma-separated states one can still watch; both when absent. */
    static Set<BroadcastState> states(String raw) {
        if (raw == null) {
            return LISTABLE;
        }
        Set<BroadcastState> states = EnumSet.noneOf(BroadcastState.class);
        for (String name : raw.split(",", -1)) {
            BroadcastState s = LISTABLE.stream().filter(l -> l.wire().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new ProtocolException(ErrorCode.BAD_MESSAGE,
                            "state must be scheduled, live, or both separated by a comma"));
            states.add(s);
        }
        return states;
    }

    static PublicView publicView(Broadcast b) {
        return new PublicView(b.id(), b.title(), b.description(), b.language(), b.topic(), time(b.scheduledAtMs()),
                b.coverImageUrl(), b.state().wire(), time(b.startedAtMs()));
    }

    /**
     * The record, with presence's own figures: unique viewers as counted exactly there, and the watch time of
     * every stay that ended (stays still going count when they end).
     */
    RecordView recordView(Broadcast b) {
        BroadcastCounts c = b.counts();
        long unique = Math.max(b.uniqueViewers(), viewers.uniqueViewers(b.id()));
        long watched = c.watchTimeMs() + viewers.watchTimeMs(b.id());
        return new RecordView(b.id(), b.host(), b.title(), b.description(), b.language(), b.topic(),
                time(b.scheduledAtMs()), b.coverImageUrl(), b.state().wire(), b.cancelled(), b.coHosts(),
                time(b.startedAtMs()), time(b.endedAtMs()), b.peakViewers(), unique, watched,
                c.chatMessages(), c.likes(), c.consultationsRequested(), c.consultationsAnswered());
    }

    /** The record holds the host's business figures: never kept by a shared cache. */
    private HttpReply recordReply(int status, Broadcast b, Map<String, String> headers) throws Exception {
        HttpReply reply = HttpReply.json(status, json.writeValueAsString(recordView(b)));
        Map<String, String> all = new HashMap<>(headers);
        all.put("Cache-Control", "no-store");
        return new HttpReply(status, reply.contentType(), reply.body(), all);
    }

    private static String time(long ms) {
        return ms == 0 ? null : Instant.ofEpochMilli(ms).toString();
    }
}
