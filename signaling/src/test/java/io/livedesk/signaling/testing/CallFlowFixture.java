package io.livedesk.signaling.testing;

import io.livedesk.signaling.async.Stages;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.auth.TokenService;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallRecords;
import io.livedesk.signaling.call.CallService;
import io.livedesk.signaling.call.InMemoryCallStore;
import io.livedesk.signaling.call.KnownCalls;
import io.livedesk.signaling.call.MediaNegotiator;
import io.livedesk.signaling.call.MediaTask;
import io.livedesk.signaling.call.PeerToPeerRelay;
import io.livedesk.signaling.callback.CallbackService;
import io.livedesk.signaling.callback.InMemoryCallbackStore;
import io.livedesk.signaling.cluster.InMemorySessionStore;
import io.livedesk.signaling.cluster.LocalClusterBus;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.config.LiveDeskConfig;
import io.livedesk.signaling.live.BroadcastChanges;
import io.livedesk.signaling.live.BroadcastMedia;
import io.livedesk.signaling.live.InMemoryBroadcastStore;
import io.livedesk.signaling.live.InMemoryChatStore;
import io.livedesk.signaling.live.InMemoryViewerPresenceStore;
import io.livedesk.signaling.live.InMemoryWatchHistory;
import io.livedesk.signaling.live.LiveBus;
import io.livedesk.signaling.live.LiveMetrics;
import io.livedesk.signaling.live.LiveService;
import io.livedesk.signaling.media.BridgeNegotiator;
import io.livedesk.signaling.media.InMemoryCallMediaStore;
import io.livedesk.signaling.media.LegObserver;
import io.livedesk.signaling.presence.InMemoryPresenceStore;
import io.livedesk.signaling.presence.InMemorySupervisorIndex;
import io.livedesk.signaling.presence.PresenceService;
import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.InMemoryRoutingStore;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.routing.RoutingService;
import io.livedesk.signaling.routing.RoutingStore;
import io.livedesk.signaling.routing.SeparateRoutingSteps;
import io.livedesk.signaling.routing.ServiceHours;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.server.ClientMessageHandler;
import io.livedesk.signaling.server.LocalConnections;
import io.livedesk.signaling.server.Metrics;
import io.livedesk.signaling.session.SessionService;
import io.livedesk.signaling.wallboard.InMemoryDayStatsStore;
import io.livedesk.signaling.wallboard.ServiceStats;
import io.livedesk.signaling.wallboard.Wallboard;
import io.livedesk.signaling.wallboard.WallboardReader;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * One signaling node's call flow wired as {@code LiveDeskNode} wires it, minus Netty and Redis: the
 * in-memory stores, the real services, a clock the test moves, and either a {@link FakeBridge} behind the
 * real {@link BridgeNegotiator} or peer-to-peer relaying. Clients are {@link EmbeddedClient}s registered in
 * the node's {@link LocalConnections}, so the real {@link MessageRouter} delivers to them and a test reads who
 * was told what. Everything runs on the test's thread.
 *
 * <p>This is the only place that calls the services' constructors: when the composition root changes,
 * adapt the constructor below and the tests stay as they are.
 */
public final class CallFlowFixture {
    public static final String NODE_ID = "node-a";
    public static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    public static final Duration RING = Duration.ofSeconds(20);
    public static final Duration GRACE = Duration.ofSeconds(30);
    private static final String SECRET = "call-flow-fixture-secret-0123456789abcdef";

    /** Read once per media mode: parsing the configuration costs more than the rest of a test. */
    private static final LiveDeskConfig BRIDGED = config(true, Duration.ZERO);
    private static final LiveDeskConfig PEER_TO_PEER = config(false, Duration.ZERO);
    /** Shared: no test reads the counters, and a Prometheus registry per test is slow to build. */
    private static final Metrics METRICS = new Metrics();

    public final MutableClock clock = new MutableClock(T0);
    public final MessageCodec codec = new MessageCodec();
    public final Metrics metrics = METRICS;
    public final LiveDeskConfig config;
    public final TokenService tokens;

    public final InMemoryPresenceStore presenceStore = new InMemoryPresenceStore();
    public final InMemoryRoutingStore routingStore = new InMemoryRoutingStore(presenceStore);
    public final InMemoryCallStore callStore = new InMemoryCallStore();
    /** Bridged calls' media state, as the negotiator writes it (a node taking a call over reads it). */
    public final InMemoryCallMediaStore callMedia = new InMemoryCallMediaStore();
    public final InMemorySupervisorIndex supervisors = new InMemorySupervisorIndex();
    public final InMemoryDayStatsStore dayStats = new InMemoryDayStatsStore(8);
    public final InMemorySessionStore sessionStore = new InMemorySessionStore();
    public final LocalClusterBus bus = new LocalClusterBus();
    public final LocalConnections connections = new LocalConnections();
    public final MessageRouter router;

    /** Null with peer-to-peer media. */
    public final FakeBridge bridge;
    /** Null with peer-to-peer media. */
    public final BridgeNegotiator negotiator;
    public final MediaNegotiator media;
    /** Media work the call service handed to another node (calls whose media node is not this one). */
    public final List<Map.Entry<String, MediaTask>> handedOff = new CopyOnWriteArrayList<>();

    public final PresenceService presence;
    public final RoutingService routing;
    public final CallService calls;
    public final SessionService sessions;
    public final ClientMessageHandler handler;
    public final ServiceStats serviceStats;
    public final Wallboard wallboard;
    /** Where hinted wallboard reads would run; nothing here sends hints, so it stays idle. */
    private static final java.util.concurrent.ScheduledExecutorService HINT_TIMER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fixture-wallboard");
                t.setDaemon(true);
                return t;
            });

    /** Calls through the media bridge (a {@link FakeBridge}): supervisors and transfers work. */
    public static CallFlowFixture bridged() {
        return new CallFlowFixture(BRIDGED, UnaryOperator.identity());
    }

    /** Bridged, with a transfer's former staff member's media staying up to {@code handoverTimeout} (make before break). */
    public static CallFlowFixture bridgedWithHandover(Duration handoverTimeout) {
        return new CallFlowFixture(config(true, handoverTimeout), UnaryOperator.identity());
    }

    /**
     * Bridged, with routing going through {@code routingStore} applied to the in-memory store: to make it
     * fail as Redis can ({@link #routingStore} still reads the in-memory one underneath).
     */
    public static CallFlowFixture bridged(UnaryOperator<RoutingStore> routingStore) {
        return new CallFlowFixture(BRIDGED, routingStore);
    }

    /** Media straight between the browsers: the server relays SDP and candidates. */
    public static CallFlowFixture peerToPeer() {
        return new CallFlowFixture(PEER_TO_PEER, UnaryOperator.identity());
    }

    private static LiveDeskConfig config(boolean bridged, Duration handoverTimeout) {
        return LiveDeskConfig.withOverrides(Map.of(
                "livedesk.node-id", NODE_ID,
                "livedesk.redis.url", "",
                "livedesk.calls.media", bridged ? "bridge" : "p2p",
                "livedesk.routing.ring-timeout", RING.toMillis() + "ms",
                "livedesk.routing.reoffer-delay", "30s",
                "livedesk.routing.away-on-missed-offer", false,
                "livedesk.cluster.reconnect-grace", GRACE.toMillis() + "ms",
                // By default a transfer's former staff member leaves at once (make before break waits for media).
                "livedesk.calls.handover-timeout", handoverTimeout.toMillis() + "ms"));
    }

    private CallFlowFixture(LiveDeskConfig config, UnaryOperator<RoutingStore> routingStoreSeen) {
        this.config = config;
        boolean bridged = config.calls().bridged();
        this.tokens = new TokenService(SECRET.getBytes(StandardCharsets.UTF_8), config.auth().issuer(), clock);
        this.router = new MessageRouter(NODE_ID, connections, sessionStore, bus, codec);
        this.presence = new PresenceService(presenceStore, supervisors, router, clock);
        this.serviceStats = new ServiceStats(dayStats, clock, config.wallboard().timeZone(),
                config.wallboard().serviceLevelTarget().toMillis());
        CallRecords records = new CallRecords(callStore, KnownCalls.none(), serviceStats);
        RoutingStore routingSeen = routingStoreSeen.apply(routingStore);
        this.routing = new RoutingService(routingSeen, new SeparateRoutingSteps(routingSeen, callStore, presenceStore),
                presence, records, router, config.routing(),
                ServiceHours.from(config.routing(), config.wallboard().timeZone(), clock), clock, metrics, Runnable::run);
        if (bridged) {
            this.bridge = new FakeBridge();
            this.negotiator = new BridgeNegotiator(bridge, router, config.calls().iceServers(), LegObserver.NONE, false,
                    callMedia, NODE_ID);
            this.media = negotiator;
        } else {
            this.bridge = null;
            this.negotiator = null;
            this.media = new PeerToPeerRelay(router, config.calls().iceServers());
        }
        this.calls = new CallService(records, media, router, clock, metrics, routing, NODE_ID,
                (node, task) -> handedOff.add(Map.entry(node, task)), Runnable::run, config.calls().handoverTimeout());
        this.sessions = new SessionService(NODE_ID, tokens, sessionStore, connections, router, presence, routing,
                calls, config, clock);
        InMemoryBroadcastStore broadcasts = new InMemoryBroadcastStore();
        LiveService live = new LiveService(broadcasts, new InMemoryViewerPresenceStore(), new InMemoryChatStore(),
                new BroadcastChanges(broadcasts), BroadcastMedia.NONE, new LiveBus(router, codec.mapper()), routing,
                presence, router, codec, config.live(), config.routing(), new LiveMetrics(), new InMemoryWatchHistory(), clock);
        this.wallboard = new Wallboard(new WallboardReader(routingStore, presenceStore, supervisors, callStore, dayStats,
                serviceStats, config.routing(), config.wallboard()), codec, clock, HINT_TIMER, config.wallboard().interval());
        this.handler = new ClientMessageHandler(sessions, presence, routing, calls, live, wallboard,
                new CallbackService(new InMemoryCallbackStore(clock, Duration.ofDays(1)), config.routing(), router, clock),
                metrics, clock, config.routing().activityResolution());
        router.start();
    }

    /**
     * The store with one method (by name) throwing {@code failure}, as a Redis store does when Redis does
     * not answer; every other call goes to {@code store}.
     */
    public static RoutingStore failing(RoutingStore store, String method, RuntimeException failure) {
        return (RoutingStore) Proxy.newProxyInstance(RoutingStore.class.getClassLoader(),
                new Class<?>[] {RoutingStore.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method)) {
                        throw failure;
                    }
                    try {
                        return m.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    // ---- people ----

    public static Principal customer(String id) {
        return new Principal(Subject.of(id), Role.CUSTOMER, "Customer " + id, Set.of(), Set.of(), 1, 0);
    }

    /** A staff member with one call at a time, English and Chinese, the given skills (accounts if none). */
    public static Principal staff(String id, String... skills) {
        return staff(id, 1, skills);
    }

    public static Principal staff(String id, int capacity, String... skills) {
        return new Principal(Subject.of(id), Role.STAFF, "Staff " + id, skills.length == 0 ? Set.of("accounts") : Set.of(skills),
                Set.of("en", "zh"), capacity, 0);
    }

    public static Principal supervisor(String id) {
        return new Principal(Subject.of(id), Role.SUPERVISOR, "Supervisor " + id, Set.of("accounts"), Set.of("en", "zh"), 1, 0);
    }

    public String token(Principal p) {
        return tokens.mint(p, Duration.ofHours(1));
    }

    // ---- connections ----

    /** A new connection that has not said hello. */
    public EmbeddedClient open() {
        EmbeddedClient c = new EmbeddedClient(handler, sessions, codec.mapper(), connections);
        connections.opened(c.connection());
        return c;
    }

    /** A new connection signed in as {@code p}; its inbox starts empty after the welcome. */
    public EmbeddedClient signIn(Principal p) {
        EmbeddedClient c = open();
        c.requestOk(new ClientMessage.Hello(c.nextId(), token(p)));
        c.clear();
        return c;
    }

    /** Signs a staff member in and makes them available (which may ring them at once). */
    public EmbeddedClient availableStaff(Principal p) {
        EmbeddedClient c = signIn(p);
        available(c);
        return c;
    }

    public void available(EmbeddedClient staff) {
        presence.setStatus(Subject.of(staff.subject()), StaffStatus.AVAILABLE);
        routing.offerWorkTo(Subject.of(staff.subject()));
    }

    public StaffPresence presenceOf(String staffId) {
        return presenceStore.get(Subject.of(staffId)).orElseThrow(() -> new AssertionError("no presence for " + staffId));
    }

    // ---- calls ----

    /** The customer asks for the topic in English and routing tries to offer it at once; returns its id. */
    public RequestId request(EmbeddedClient customer, String topic) {
        var queued = Stages.await(routing.create(customer.principal(),
                new ClientMessage.RequestCreate(customer.nextId(), topic, "en", 0, Map.of())));
        routing.announce(queued);
        return queued.request().id();
    }

    /** The staff member accepts the offer of this request; returns the reply they would get. */
    public ServerMessage.CallStarted accept(EmbeddedClient staff, RequestId requestId) {
        String replyId = staff.nextId();
        return Stages.await(calls.accept(staff.principal(), new ClientMessage.OfferAccept(replyId, requestId))).started();
    }

    /**
     * A call of the customer answered by the staff member, who must be the one routing offers it to (make
     * them the only available one with the skill). Both inboxes start empty after it.
     */
    public CallId call(EmbeddedClient customer, EmbeddedClient staff) {
        available(staff);
        RequestId id = request(customer, "accounts");
        accept(staff, id);
        customer.clear();
        staff.clear();
        return CallId.of(id);
    }

    public CallRecord record(CallId callId) {
        return callStore.get(callId).orElseThrow(() -> new AssertionError("no call " + callId));
    }

    /** The record of the call a customer's request became. */
    public CallRecord record(RequestId customerRequest) {
        return record(CallId.of(customerRequest));
    }

    /** The participant sends this SDP offer for their leg of the call. */
    public void offer(EmbeddedClient from, CallId callId, BrowserOffer offer) {
        calls.signal(from.principal(), new ClientMessage.CallSignal(from.nextId(), callId,
                new ClientMessage.Sdp("offer", offer.sdp()), null));
    }

    /** The request id of the last offer that rang at this staff member. */
    public static RequestId lastOfferTo(EmbeddedClient staff) {
        return RequestId.of(staff.lastOf("offer").path("requestId").asText());
    }
}
