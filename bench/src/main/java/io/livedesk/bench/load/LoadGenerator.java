package io.livedesk.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.bench.RunSupport;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static io.livedesk.bench.RunSupport.ownCpuSeconds;
import static io.livedesk.bench.RunSupport.percentiles;
import static io.livedesk.bench.RunSupport.round;
import static io.livedesk.bench.RunSupport.sum;

/**
 * Load generator and benchmark for a LiveDesk signaling node, over loopback.
 *
 * <ol>
 *   <li><b>idle</b>: opens N WebSocket sessions at a bounded rate, each signed in with {@code hello} and
 *   then idle but for a {@code ping} every 20 s; reports how many are held, connect-to-welcome latency and
 *   the server's RSS.</li>
 *   <li><b>route</b>: S staff (available, capacity C, two topics each, en and zh) accept every offer at once
 *   and hang up after a short talk time; a pool of customers sends {@code request.create} on an open-loop
 *   paced schedule at R per second for D seconds (after a warm-up). Reports offers per second and the
 *   latency from sending {@code request.create} to the staff session receiving its {@code offer}.</li>
 * </ol>
 * Bounded in count and time; every session is closed at the end. Prints a text summary and, last, one
 * JSON line.
 */
@Command(name = "load", mixinStandardHelpOptions = true, version = "LiveDesk load generator 0.1.0",
        sortOptions = false,
        description = "Benchmarks a LiveDesk signaling node: idle sessions held, and routing throughput/latency.")
public final class LoadGenerator implements Callable<Integer> {
    static final String[] TOPICS = {"accounts", "cards", "loans", "wealth"};
    static final String[] LANGUAGES = {"en", "zh"};
    private static final long MAX_TRACKED_US = 120_000_000L;

    private static final int PENDING = 0;
    private static final int OFFERED = 1;
    private static final int ERROR = 2;
    private static final int TIMED_OUT = 3;
    private static final int SKIPPED = 4;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/ws", description = "WebSocket URL (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--jwt-secret", defaultValue = "${env:LIVEDESK_JWT_SECRET}",
            description = "the server's HS256 secret; tokens are minted locally (preferred). Default: $LIVEDESK_JWT_SECRET")
    String jwtSecret;

    @Option(names = "--issuer", defaultValue = "livedesk", description = "token issuer (default ${DEFAULT-VALUE})")
    String issuer;

    @Option(names = "--admin-key", defaultValue = "${env:LIVEDESK_ADMIN_KEY}",
            description = "mint through POST /api/dev/tokens instead when no secret is given. Default: $LIVEDESK_ADMIN_KEY")
    String adminKey;

    @Option(names = "--phases", split = ",", defaultValue = "idle,route", description = "phases in order: idle, route (default ${DEFAULT-VALUE})")
    List<String> phases;

    @Option(names = "--server-pid", defaultValue = "0", description = "server process id, for its RSS and CPU time from /proc")
    long serverPid;

    @Option(names = "--redis-pid", defaultValue = "0", description = "Redis server process id, to report its CPU time apart")
    long redisPid;

    @Option(names = "--io-threads", defaultValue = "2", description = "generator NIO event loop threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--connect-warmup", defaultValue = "300",
            description = "sessions opened and closed before each measured ramp, to warm both JVMs (default ${DEFAULT-VALUE})")
    int connectWarmup;

    @Option(names = "--max-inflight", defaultValue = "500", description = "connects awaiting welcome at once (default ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--ping-interval", defaultValue = "20", description = "seconds between pings per session (default ${DEFAULT-VALUE})")
    int pingIntervalSeconds;

    @Option(names = "--run-id", description = "prefix for subjects (default: random), so runs do not collide")
    String runId;

    @Option(names = "--json-out", description = "also append the JSON line to this file")
    Path jsonOut;

    @Option(names = "--max-runtime", defaultValue = "900", description = "hard stop after this many seconds (default ${DEFAULT-VALUE})")
    int maxRuntimeSeconds;

    @Option(names = "--quiet", description = "no per-second progress lines")
    boolean quiet;

    // idle phase
    @Option(names = "--sessions", defaultValue = "20000", description = "idle: sessions to open (default ${DEFAULT-VALUE})")
    int idleSessions;

    @Option(names = "--ramp", defaultValue = "2000", description = "idle: connects per second (default ${DEFAULT-VALUE})")
    double idleRamp;

    @Option(names = "--hold", defaultValue = "65", description = "idle: seconds to hold them after the ramp (default ${DEFAULT-VALUE})")
    int holdSeconds;

    @Option(names = "--idle-role", defaultValue = "customer", description = "idle: customer or staff (default ${DEFAULT-VALUE})")
    String idleRole;

    @Option(names = "--keep-idle", description = "keep the idle sessions open (pinging) through the later phases")
    boolean keepIdle;

    @Option(names = "--linger", defaultValue = "0",
            description = "idle: seconds to keep the sessions open after the summary is printed, so that a script can "
                    + "inspect the server (heap, native memory) while they are still held (default ${DEFAULT-VALUE})")
    int lingerSeconds;

    // route phase
    @Option(names = "--rate", defaultValue = "2000", description = "route: request.create per second, aggregate (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "30", description = "route: measured seconds (default ${DEFAULT-VALUE})")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "10", description = "route: seconds at the same rate before measuring (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--staff", defaultValue = "0",
            description = "route: staff sessions (default: twice the slots the calls need, rate x (talk + 0.1 s) / capacity, at least 50)")
    int staff;

    @Option(names = "--capacity", defaultValue = "10", description = "route: calls each staff member may hold (1-10, default ${DEFAULT-VALUE})")
    int capacity;

    @Option(names = "--customers", defaultValue = "0", description = "route: customer sessions in the pool (default: from rate and talk time)")
    int customers;

    @Option(names = "--talk-ms", defaultValue = "1000", description = "route: staff hang up this long after call.started (default ${DEFAULT-VALUE})")
    long talkMs;

    @Option(names = "--offer-timeout-ms", defaultValue = "5000", description = "route: a request with no offer by then counts as not routed (default ${DEFAULT-VALUE})")
    long offerTimeoutMs;

    @Option(names = "--recycle-staff",
            description = "route: a staff session that has taken CAPACITY offers leaves once its calls end and a fresh staff "
                    + "subject replaces it (for servers that do not lower a member's load when a call ends)")
    boolean recycleStaff;

    @Option(names = "--route-ramp", defaultValue = "2000", description = "route: connects per second while setting up (default ${DEFAULT-VALUE})")
    double routeRamp;

    private final PrintStream out = System.out;
    private final PrintStream log = System.err;
    private URI uri;
    private URI httpBase;
    private Tokens tokens;
    private EventLoopGroup group;
    private Bootstrap bootstrap;
    private final List<WsSession> kept = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    @Override
    public Integer call() throws Exception {
        uri = URI.create(url);
        if (uri.getPort() < 0 || !"ws".equals(uri.getScheme())) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--url must be ws://HOST:PORT/ws (plain, loopback)");
        }
        httpBase = URI.create("http://" + uri.getHost() + ":" + uri.getPort() + "/");
        if (capacity < 1 || capacity > 10) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--capacity must be 1-10");
        }
        if (runId == null) {
            runId = "lg" + HexFormat.of().formatHex(new byte[]{(byte) ThreadLocalRandom.current().nextInt(),
                    (byte) ThreadLocalRandom.current().nextInt(), (byte) ThreadLocalRandom.current().nextInt()});
        }
        tokens = new Tokens(jwtSecret, issuer, httpBase, adminKey);
        RunSupport.startWatchdog(log, maxRuntimeSeconds, "lg-watchdog");

        group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("lg-io", true), NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "livedesk-loadgen");
        result.put("startedAt", Instant.now().toString());
        result.put("url", url);
        result.put("runId", runId);
        result.put("tokens", tokens.how());
        result.put("generatorIoThreads", ioThreads);
        result.put("cpus", Runtime.getRuntime().availableProcessors());
        result.put("serverPid", serverPid);
        int exit = 0;
        try {
            for (String phase : phases) {
                switch (phase.trim()) {
                    case "idle" -> result.put("idle", runIdle());
                    case "route" -> result.put("route", runRoute());
                    default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase " + phase);
                }
            }
        } finally {
            closeAll(kept, "kept idle");
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        String line = new ObjectMapper().writeValueAsString(result);
        out.println(line);
        if (jsonOut != null) {
            Files.writeString(jsonOut, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return exit;
    }

    // ---------------------------------------------------------------- idle phase

    private Map<String, Object> runIdle() throws Exception {
        Role role = Role.fromWire(idleRole);
        log.printf("%n== idle: %d %s sessions at %.0f/s, hold %d s ==%n", idleSessions, role.wire(), idleRamp, holdSeconds);
        List<Principal> principals = new ArrayList<>(idleSessions);
        for (int i = 0; i < idleSessions; i++) {
            principals.add(role.serves()
                    ? new Principal(Subject.of(runId + "-i" + i), role, "Idle " + i, Set.of(TOPICS[i % 4]), Set.of("en", "zh"), 1, 0)
                    : new Principal(Subject.of(runId + "-i" + i), role, "Idle " + i, Set.of(), Set.of(), 1, 0));
        }
        long t0 = System.nanoTime();
        List<String> minted = tokens.mint(principals);
        double mintSeconds = (System.nanoTime() - t0) / 1e9;

        Tracker tracker = new Tracker() {
            final LongAdder pongs = new LongAdder();

            @Override
            void onFrame(WsSession s, String type, String json, long now) {
                if (type.equals("pong")) {
                    pongs.increment();
                } else if (type.equals("error")) {
                    countError(Json.str(json, Json.CODE));
                }
            }

            @Override
            void extra(Map<String, Object> m) {
                m.put("pongs", pongs.sum());
            }
        };
        List<WsSession> sessions = new ArrayList<>(idleSessions);
        for (int i = 0; i < idleSessions; i++) {
            sessions.add(new WsSession(i, WsSession.Kind.IDLE, principals.get(i).subject().value(), minted.get(i), tracker,
                    pingIntervalSeconds * 1000L));
        }
        warmConnections(role);
        long rssBefore = ProcInfo.rssKib(serverPid);
        double rampSeconds = open(sessions, idleRamp, tracker, "idle");
        long rssAfterRamp = ProcInfo.rssKib(serverPid);
        double cpu0 = ProcInfo.cpuSeconds(serverPid);
        long hold0 = System.nanoTime();
        long holdEnd = hold0 + TimeUnit.SECONDS.toNanos(holdSeconds);
        while (System.nanoTime() < holdEnd) {
            Thread.sleep(Math.min(5000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdEnd - System.nanoTime()))));
            if (!quiet) {
                log.printf("  hold %3.0fs  active %d  closed %d  server RSS %s%n", (System.nanoTime() - hold0) / 1e9,
                        countActive(sessions), tracker.closedUnexpectedly.get(), mib(ProcInfo.rssKib(serverPid)));
            }
        }
        double holdCpu = ProcInfo.cpuSeconds(serverPid) - cpu0;
        int held = countActive(sessions);
        long rssHeld = ProcInfo.rssKib(serverPid);
        Long serverGauge = scrapeGauge("livedesk_ws_connections");

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role.wire());
        m.put("target", idleSessions);
        m.put("rampPerSecond", idleRamp);
        m.put("tokenMintSeconds", round(mintSeconds, 2));
        m.put("rampSeconds", round(rampSeconds, 1));
        m.put("welcomed", tracker.welcomed.get());
        m.put("failed", tracker.failedCount.get());
        m.put("failures", new TreeMap<>(sum(tracker.failures)));
        m.put("helloRetriedAfterOverloaded", tracker.helloRetries.sum());
        m.put("holdSeconds", holdSeconds);
        m.put("heldAtEnd", held);
        m.put("closedByServer", tracker.closedUnexpectedly.get());
        m.put("serverConnectionsGauge", serverGauge);
        m.put("connectToWelcomeMs", percentiles(tracker.connectLatency.getIntervalHistogram()));
        m.put("errorsByCode", new TreeMap<>(sum(tracker.errors)));
        m.put("serverRssKibBefore", rssBefore);
        m.put("serverRssKibAfterRamp", rssAfterRamp);
        m.put("serverRssKibHeld", rssHeld);
        // Per session of all the server holds (other generator processes may hold some too).
        long serverHeld = serverGauge != null && serverGauge > 0 ? serverGauge : held;
        if (rssBefore > 0 && serverHeld > 0) {
            m.put("serverRssKibPerSession", round((rssHeld - rssBefore) / (double) serverHeld, 2));
        }
        if (holdCpu >= 0) {
            m.put("serverCpuCoresWhileHolding", round(holdCpu / holdSeconds, 3));
        }
        tracker.extra(m);

        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) m.get("connectToWelcomeMs");
        out.printf("%nIDLE SESSIONS (%s)%n", role.wire());
        out.printf("  opened %d of %d in %.1f s (ramp %.0f/s), failed %d %s%n", tracker.welcomed.get(), idleSessions,
                rampSeconds, idleRamp, tracker.failedCount.get(), m.get("failures"));
        out.printf("  held at end of %d s hold: %d  (server gauge livedesk_ws_connections=%s, closed by server %d)%n",
                holdSeconds, held, serverGauge, tracker.closedUnexpectedly.get());
        out.printf("  connect+hello latency ms: p50 %s  p99 %s  max %s%n", lat.get("p50"), lat.get("p99"), lat.get("max"));
        out.printf("  server RSS: before %s, after ramp %s, held %s%s%n", mib(rssBefore), mib(rssAfterRamp), mib(rssHeld),
                m.containsKey("serverRssKibPerSession") ? String.format(" (~%.1f KiB/session)", (double) m.get("serverRssKibPerSession")) : "");
        if (holdCpu >= 0) {
            out.printf("  server CPU while holding: %.3f cores%n", holdCpu / holdSeconds);
        }

        if (lingerSeconds > 0) {
            // The summary above is what the cluster script waits for; it measures the nodes during this window.
            out.printf("  lingering %d s with the sessions open%n", lingerSeconds);
            out.flush();
            Thread.sleep(TimeUnit.SECONDS.toMillis(lingerSeconds));
            int stillHeld = countActive(sessions);
            m.put("heldAfterLinger", stillHeld);
            out.printf("  held after lingering: %d%n", stillHeld);
        }
        if (keepIdle) {
            kept.addAll(sessions);
        } else {
            closeAll(sessions, "idle");
        }
        return m;
    }

    // ---------------------------------------------------------------- route phase

    private Map<String, Object> runRoute() throws Exception {
        // Enough staff that availability is never the limit: twice the call slots the rate needs. The server
        // offers to the longest-idle member until they are full, so a member takes up to CAPACITY calls per
        // talk time; with talk 1 s and capacity 10 that is ~20 messages/s, inside the 50/s per-connection limit.
        double slots = rate * (talkMs + 100) / 1000.0;
        int staffCount = staff > 0 ? staff : (int) Math.max(50, Math.ceil(2 * slots / capacity));
        int customerCount = customers > 0 ? customers : (int) Math.min(15_000, Math.ceil(slots * 1.5) + 200);
        int warmupCount = (int) Math.round(rate * warmupSeconds);
        int total = (int) Math.round(rate * (warmupSeconds + durationSeconds));
        log.printf("%n== route: %d staff (capacity %d), %d customers, %.0f req/s, warm-up %d s + %d s measured, talk %d ms ==%n",
                staffCount, capacity, customerCount, rate, warmupSeconds, durationSeconds, talkMs);

        List<Principal> principals = new ArrayList<>(staffCount + customerCount);
        for (int i = 0; i < staffCount; i++) {
            principals.add(new Principal(Subject.of(runId + "-s" + i), Role.STAFF, "Staff " + i,
                    Set.of(TOPICS[i % 4], TOPICS[(i + 1) % 4]), Set.of(LANGUAGES), capacity, 0));
        }
        for (int i = 0; i < customerCount; i++) {
            principals.add(new Principal(Subject.of(runId + "-c" + i), Role.CUSTOMER, "Customer " + i, Set.of(), Set.of(), 1, 0));
        }
        List<String> minted = tokens.mint(principals);

        Route r = new Route(total, warmupCount);
        List<WsSession> staffSessions = new ArrayList<>(staffCount);
        List<WsSession> customerSessions = new ArrayList<>(customerCount);
        for (int i = 0; i < staffCount; i++) {
            staffSessions.add(new WsSession(i, WsSession.Kind.STAFF, principals.get(i).subject().value(), minted.get(i), r,
                    pingIntervalSeconds * 1000L));
        }
        for (int i = 0; i < customerCount; i++) {
            customerSessions.add(new WsSession(i, WsSession.Kind.CUSTOMER, principals.get(staffCount + i).subject().value(),
                    minted.get(staffCount + i), r, pingIntervalSeconds * 1000L));
        }
        warmConnections(Role.CUSTOMER);
        r.staffSubjects.set(staffCount);
        r.allStaff = staffSessions;
        open(staffSessions, routeRamp, r, "staff");
        open(customerSessions, routeRamp, r, "customers");
        long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int staffWelcomed = countActive(staffSessions);
        while (r.staffAvailable.get() < staffWelcomed && System.nanoTime() < readyBy) {
            Thread.sleep(20);
        }
        log.printf("  staff available %d/%d, customers ready %d/%d%n", r.staffAvailable.get(), staffCount,
                r.idle.size(), customerCount);
        Thread.sleep(500);

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("lg-timer", true));
        timer.scheduleAtFixedRate(r::scanTimeouts, 100, 100, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(r::progress, 1000, 1000, TimeUnit.MILLISECONDS);

        // The paced, open-loop schedule: request i is due at start + i/rate, whatever happened to earlier ones.
        double intervalNs = 1e9 / rate;
        long start = System.nanoTime() + 1_000_000;
        r.scheduleStart = start;
        long measureStart = start + (long) (warmupCount * intervalNs);
        long measureEnd = start + (long) (total * intervalNs);
        double serverCpu0 = -1;
        double redisCpu0 = -1;
        double genCpu0 = -1;
        long[] machine0 = null;
        boolean measuring = false;
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * intervalNs);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            }
            if (!measuring && i >= warmupCount) {
                measuring = true;
                serverCpu0 = ProcInfo.cpuSeconds(serverPid);
                redisCpu0 = ProcInfo.cpuSeconds(redisPid);
                genCpu0 = ownCpuSeconds();
                machine0 = ProcInfo.machineJiffies();
                r.serverRssStart = ProcInfo.rssKib(serverPid);
            }
            r.fire(i, due);
        }
        long sendEnd = System.nanoTime();
        double serverCpu = serverCpu0 >= 0 ? ProcInfo.cpuSeconds(serverPid) - serverCpu0 : -1;
        double redisCpu = redisCpu0 >= 0 ? ProcInfo.cpuSeconds(redisPid) - redisCpu0 : -1;
        double genCpu = ownCpuSeconds() - genCpu0;
        long[] machine1 = ProcInfo.machineJiffies();
        long lateBy = Math.max(0, sendEnd - measureEnd);
        double windowSeconds = (Math.max(measureEnd, sendEnd) - measureStart) / 1e9;

        // Drain: wait for offers up to the timeout, then for the calls to be hung up.
        long drainUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(offerTimeoutMs + 500);
        while (r.pendingCount() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(50);
        }
        r.scanTimeouts();
        long callsUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(talkMs + 3000);
        while (r.callsEnded.sum() < r.callsStarted.sum() && System.nanoTime() < callsUntil) {
            Thread.sleep(50);
        }
        timer.shutdownNow();
        r.flush();
        long serverRssEnd = ProcInfo.rssKib(serverPid);
        Long serverGauge = scrapeGauge("livedesk_ws_connections");

        long measuredSent = 0;
        long measuredOffered = 0;
        long measuredErrors = 0;
        long measuredTimedOut = 0;
        long measuredSkipped = 0;
        for (int i = warmupCount; i < total; i++) {
            switch (r.status.get(i)) {
                case OFFERED -> {
                    measuredSent++;
                    measuredOffered++;
                }
                case ERROR -> {
                    measuredSent++;
                    measuredErrors++;
                }
                case TIMED_OUT -> {
                    measuredSent++;
                    measuredTimedOut++;
                }
                case SKIPPED -> measuredSkipped++;
                default -> measuredSent++; // still pending: counted as timed out below
            }
        }
        long stillPending = measuredSent - measuredOffered - measuredErrors - measuredTimedOut;

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("staff", staffCount);
        m.put("staffWelcomed", staffWelcomed);
        m.put("staffAvailable", r.staffAvailable.get());
        m.put("capacity", capacity);
        m.put("customers", customerCount);
        m.put("talkMs", talkMs);
        m.put("targetRate", rate);
        m.put("warmupSeconds", warmupSeconds);
        m.put("durationSeconds", durationSeconds);
        m.put("windowSeconds", round(windowSeconds, 3));
        m.put("scheduleLateMsAtEnd", round(lateBy / 1e6, 1));
        m.put("requestsSent", measuredSent);
        m.put("sendRate", round(measuredSent / windowSeconds, 1));
        m.put("skippedNoIdleCustomer", measuredSkipped);
        m.put("offers", measuredOffered);
        m.put("routedPerSecond", round(measuredOffered / windowSeconds, 1));
        m.put("requestErrors", measuredErrors);
        m.put("noOfferWithinTimeout", measuredTimedOut + stillPending);
        m.put("offerTimeoutMs", offerTimeoutMs);
        m.put("requestToOfferMs", percentiles(r.measuredFromSend));
        m.put("intendedToOfferMs", percentiles(r.measuredFromIntended));
        m.put("errorsByCode", new TreeMap<>(sum(r.errors)));
        m.put("lateOffers", r.lateOffers.sum());
        m.put("offersRevoked", r.revoked.sum());
        m.put("acceptFailed", r.acceptFailed.sum());
        m.put("recycleStaff", recycleStaff);
        m.put("staffRecycled", r.recycled.sum());
        m.put("callsStarted", r.callsStarted.sum());
        m.put("callsEnded", r.callsEnded.sum());
        m.put("sessionFailures", new TreeMap<>(sum(r.failures)));
        m.put("helloRetriedAfterOverloaded", r.helloRetries.sum());
        m.put("sessionsClosedByServer", r.closedUnexpectedly.get());
        if (serverCpu >= 0) {
            m.put("serverCpuCores", round(serverCpu / windowSeconds, 3));
        }
        if (redisCpu >= 0) {
            m.put("redisCpuCores", round(redisCpu / windowSeconds, 3));
        }
        m.put("generatorCpuCores", round(genCpu / windowSeconds, 3));
        if (machine0 != null && machine1 != null && machine1[1] > machine0[1]) {
            double busy = (machine1[0] - machine0[0]) / (double) (machine1[1] - machine0[1]);
            m.put("machineCpuBusyPercent", round(100.0 * busy, 1));
            // Everything else on the machine (other processes, e.g. Redis), in cores.
            m.put("otherCpuCores", round(busy * Runtime.getRuntime().availableProcessors()
                    - (Math.max(0, serverCpu) + Math.max(0, redisCpu) + genCpu) / windowSeconds, 3));
        }
        m.put("serverRssKibStart", r.serverRssStart);
        m.put("serverRssKibEnd", serverRssEnd);
        m.put("serverConnectionsGauge", serverGauge);

        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) m.get("requestToOfferMs");
        @SuppressWarnings("unchecked")
        Map<String, Object> latI = (Map<String, Object>) m.get("intendedToOfferMs");
        out.printf("%nROUTING (%d staff x capacity %d, %d customers, talk %d ms, target %.0f req/s, %d s measured after %d s warm-up)%n",
                staffCount, capacity, customerCount, talkMs, rate, durationSeconds, warmupSeconds);
        out.printf("  sent %d request.create (%.1f/s; skipped for want of an idle customer: %d; schedule late at end: %.1f ms)%n",
                measuredSent, measuredSent / windowSeconds, measuredSkipped, lateBy / 1e6);
        out.printf("  routed (offer received) %d = %.1f/s; errors %d %s; no offer within %d ms: %d; late offers %d%n",
                measuredOffered, measuredOffered / windowSeconds, measuredErrors, m.get("errorsByCode"), offerTimeoutMs,
                measuredTimedOut + stillPending, r.lateOffers.sum());
        out.printf("  request.create -> offer ms: p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s)%n",
                lat.get("p50"), lat.get("p90"), lat.get("p99"), lat.get("p999"), lat.get("max"), lat.get("mean"));
        out.printf("  intended send -> offer ms:  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n",
                latI.get("p50"), latI.get("p90"), latI.get("p99"), latI.get("p999"), latI.get("max"));
        out.printf("  calls started %d, ended %d; offers revoked %d; accept failed %d; sessions closed by server %d; staff recycled %d%n",
                r.callsStarted.sum(), r.callsEnded.sum(), r.revoked.sum(), r.acceptFailed.sum(), r.closedUnexpectedly.get(),
                r.recycled.sum());
        out.printf("  CPU (cores, avg over window): server %s,%s generator %.3f, everything else %s; machine busy %s%%%n",
                serverCpu >= 0 ? String.format("%.3f", serverCpu / windowSeconds) : "n/a",
                redisCpu >= 0 ? String.format(" redis %.3f,", redisCpu / windowSeconds) : "", genCpu / windowSeconds,
                m.getOrDefault("otherCpuCores", "n/a"), m.getOrDefault("machineCpuBusyPercent", "n/a"));

        r.recycler.shutdownNow();
        List<WsSession> everyStaff;
        synchronized (r.allStaff) {
            everyStaff = new ArrayList<>(r.allStaff);
        }
        closeAll(everyStaff, "staff");
        closeAll(customerSessions, "customers");
        return m;
    }

    /** Shared bookkeeping for opening sessions: latency to welcome, failures, unexpected closes. */
    private abstract static class Tracker implements WsSession.Listener {
        final Recorder connectLatency = new Recorder(MAX_TRACKED_US, 3);
        final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
        final AtomicInteger welcomed = new AtomicInteger();
        final AtomicInteger failedCount = new AtomicInteger();
        final AtomicInteger closedUnexpectedly = new AtomicInteger();
        final LongAdder helloRetries = new LongAdder();
        volatile Semaphore inFlight;

        @Override
        public void welcomed(WsSession s, long nanos) {
            connectLatency.recordValue(Math.min(MAX_TRACKED_US, nanos / 1000));
            welcomed.incrementAndGet();
            release();
            onWelcome(s);
        }

        @Override
        public void failed(WsSession s, String why) {
            failures.computeIfAbsent(why, k -> new LongAdder()).increment();
            failedCount.incrementAndGet();
            release();
        }

        @Override
        public void helloRetried(WsSession s) {
            helloRetries.increment();
        }

        @Override
        public void frame(WsSession s, String type, String json, long now) {
            onFrame(s, type, json, now);
        }

        @Override
        public void closed(WsSession s) {
            if (!s.closing()) {
                closedUnexpectedly.incrementAndGet();
            }
        }

        void countError(String code) {
            errors.computeIfAbsent(code == null ? "?" : code, k -> new LongAdder()).increment();
        }

        private void release() {
            Semaphore sem = inFlight;
            if (sem != null) {
                sem.release();
            }
        }

        void onWelcome(WsSession s) {
        }

        abstract void onFrame(WsSession s, String type, String json, long now);

        void extra(Map<String, Object> m) {
        }
    }

    /** The routing phase's customers and staff, and its per-request bookkeeping (index = sequence number). */
    private final class Route extends Tracker {
        final int total;
        final int warmupCount;
        final long[] sentNs;
        final long[] dueNs;
        final WsSession[] owner;
        final AtomicIntegerArray status;
        final AtomicInteger sent = new AtomicInteger();
        final ConcurrentLinkedQueue<WsSession> idle = new ConcurrentLinkedQueue<>();
        final AtomicInteger staffAvailable = new AtomicInteger();
        final Recorder progressRec = new Recorder(MAX_TRACKED_US, 3);
        final Recorder measuredSendRec = new Recorder(MAX_TRACKED_US, 3);
        final Recorder measuredDueRec = new Recorder(MAX_TRACKED_US, 3);
        final Histogram measuredFromSend = new Histogram(MAX_TRACKED_US, 3);
        final Histogram measuredFromIntended = new Histogram(MAX_TRACKED_US, 3);
        final LongAdder offers = new LongAdder();
        final LongAdder lateOffers = new LongAdder();
        final LongAdder duplicateOffers = new LongAdder();
        final LongAdder revoked = new LongAdder();
        final LongAdder acceptFailed = new LongAdder();
        final LongAdder callsStarted = new LongAdder();
        final LongAdder callsEnded = new LongAdder();
        final LongAdder timedOut = new LongAdder();
        final LongAdder skipped = new LongAdder();
        final LongAdder requestErrors = new LongAdder();
        final LongAdder recycled = new LongAdder();
        final AtomicInteger staffSubjects = new AtomicInteger();
        final java.util.concurrent.ExecutorService recycler =
                Executors.newSingleThreadExecutor(new DefaultThreadFactory("lg-recycle", true));
        volatile List<WsSession> allStaff = new ArrayList<>();
        volatile long scheduleStart;
        volatile long serverRssStart = -1;
        private int scanFrom;
        private long lastSent;
        private long lastOffers;
        private final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(offerTimeoutMs);

        Route(int total, int warmupCount) {
            this.total = total;
            this.warmupCount = warmupCount;
            this.sentNs = new long[total];
            this.dueNs = new long[total];
            this.owner = new WsSession[total];
            this.status = new AtomicIntegerArray(total);
        }

        @Override
        void onWelcome(WsSession s) {
            if (s.kind == WsSession.Kind.STAFF) {
                s.send("{\"type\":\"presence.set\",\"id\":\"s\",\"status\":\"available\"}");
            } else {
                idle.add(s);
            }
        }

        /** Scheduler thread: send request i with an idle customer, or count it skipped. */
        void fire(int i, long due) {
            WsSession c = idle.poll();
            if (c == null) {
                status.set(i, SKIPPED);
                skipped.increment();
                sent.set(i + 1);
                return;
            }
            c.seq = i;
            c.requestId = null;
            owner[i] = c;
            dueNs[i] = due;
            String frame = "{\"type\":\"request.create\",\"id\":\"c" + i + "\",\"topic\":\"" + TOPICS[i % 4]
                    + "\",\"language\":\"" + LANGUAGES[(i / 4) % 2] + "\",\"context\":{\"" + Json.TAG_KEY + "\":\"" + i + "\"}}";
            sentNs[i] = System.nanoTime();
            sent.set(i + 1);
            c.send(frame);
        }

        @Override
        void onFrame(WsSession s, String type, String json, long now) {
            if (s.kind == WsSession.Kind.STAFF) {
                staffFrame(s, type, json, now);
            } else {
                customerFrame(s, type, json);
            }
        }

        private void staffFrame(WsSession s, String type, String json, long now) {
            switch (type) {
                case "offer" -> {
                    String requestId = Json.str(json, Json.REQUEST_ID);
                    String tag = Json.str(json, Json.TAG);
                    if (tag != null) {
                        offered(Integer.parseInt(tag), now);
                    }
                    s.offersTaken++;
                    s.pendingAccepts++;
                    if (recycleStaff && s.offersTaken >= capacity) {
                        s.retiring = true;
                    }
                    s.send("{\"type\":\"offer.accept\",\"id\":\"" + s.nextId('a') + "\",\"requestId\":\"" + requestId + "\"}");
                }
                case "call.started" -> {
                    callsStarted.increment();
                    s.pendingAccepts--;
                    s.liveCalls++;
                    String callId = Json.str(json, Json.CALL_ID);
                    s.channel().eventLoop().schedule(() -> s.send("{\"type\":\"call.hangup\",\"id\":\"" + s.nextId('h')
                            + "\",\"callId\":\"" + callId + "\"}"), talkMs, TimeUnit.MILLISECONDS);
                }
                case "call.ended" -> {
                    callsEnded.increment();
                    s.liveCalls--;
                    maybeRetire(s);
                }
                case "presence" -> {
                    if ("s".equals(Json.str(json, Json.ID))) {
                        staffAvailable.incrementAndGet();
                    }
                }
                case "offer.revoked" -> revoked.increment();
                case "error" -> {
                    countError(Json.str(json, Json.CODE));
                    String id = Json.str(json, Json.ID);
                    if (id != null && id.startsWith("a")) {
                        acceptFailed.increment();
                        s.pendingAccepts--;
                        maybeRetire(s);
                    } else if (id != null && id.startsWith("h")) {
                        s.liveCalls--;
                        maybeRetire(s);
                    }
                }
                default -> {
                }
            }
        }

        /** Event loop: a spent staff session with nothing in flight leaves, and a fresh subject takes its place. */
        private void maybeRetire(WsSession s) {
            if (!s.retiring || s.liveCalls > 0 || s.pendingAccepts > 0 || s.closing()) {
                return;
            }
            s.close();
            recycled.increment();
            recycler.execute(() -> {
                try {
                    int n = staffSubjects.getAndIncrement();
                    Principal p = new Principal(Subject.of(runId + "-s" + n), Role.STAFF, "Staff " + n,
                            Set.of(TOPICS[n % 4], TOPICS[(n + 1) % 4]), Set.of(LANGUAGES), capacity, 0);
                    WsSession fresh = new WsSession(n, WsSession.Kind.STAFF, p.subject().value(), tokens.mint(List.of(p)).get(0),
                            this, pingIntervalSeconds * 1000L);
                    synchronized (allStaff) {
                        allStaff.add(fresh);
                    }
                    fresh.connect(bootstrap, uri);
                } catch (Exception e) {
                    failures.computeIfAbsent("recycle: " + e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                }
            });
        }

        private void offered(int seq, long now) {
            if (seq < 0 || seq >= total) {
                return;
            }
            if (status.compareAndSet(seq, PENDING, OFFERED)) {
                offers.increment();
                long us = Math.min(MAX_TRACKED_US, Math.max(0, (now - sentNs[seq]) / 1000));
                progressRec.recordValue(us);
                if (seq >= warmupCount) {
                    measuredSendRec.recordValue(us);
                    measuredDueRec.recordValue(Math.min(MAX_TRACKED_US, Math.max(0, (now - dueNs[seq]) / 1000)));
                }
            } else if (status.get(seq) == TIMED_OUT) {
                lateOffers.increment();
            } else {
                duplicateOffers.increment();
            }
        }

        private void customerFrame(WsSession s, String type, String json) {
            switch (type) {
                case "request.queued" -> {
                    s.requestId = Json.str(json, Json.REQUEST_ID);
                    int seq = s.seq;
                    if (seq >= 0 && status.get(seq) == TIMED_OUT) {
                        cancel(s, seq);
                    }
                }
                case "call.started", "call.ended", "request.cancelled" -> {
                    if (!type.equals("call.started")) {
                        backToPool(s);
                    }
                }
                case "error" -> {
                    String code = Json.str(json, Json.CODE);
                    countError(code);
                    String id = Json.str(json, Json.ID);
                    if (id != null && id.startsWith("c")) {
                        int seq = Integer.parseInt(id.substring(1));
                        if (status.compareAndSet(seq, PENDING, ERROR) || status.compareAndSet(seq, TIMED_OUT, ERROR)) {
                            requestErrors.increment();
                        }
                        if (s.seq == seq) {
                            backToPool(s);
                        }
                    }
                }
                default -> {
                }
            }
        }

        private void backToPool(WsSession s) {
            s.seq = -1;
            s.requestId = null;
            if (s.active()) {
                idle.add(s);
            }
        }

        private void cancel(WsSession c, int seq) {
            String rid = c.requestId;
            if (rid != null) {
                c.send("{\"type\":\"request.cancel\",\"id\":\"x" + seq + "\",\"requestId\":\"" + rid + "\"}");
            }
        }

        /** Timer thread: requests older than the timeout with no offer are given up (and cancelled). */
        void scanTimeouts() {
            long now = System.nanoTime();
            int n = sent.get();
            while (scanFrom < n && status.get(scanFrom) != PENDING) {
                scanFrom++;
            }
            for (int i = scanFrom; i < n; i++) {
                if (status.get(i) != PENDING) {
                    continue;
                }
                if (now - sentNs[i] < timeoutNs) {
                    break;
                }
                if (status.compareAndSet(i, PENDING, TIMED_OUT)) {
                    timedOut.increment();
                    WsSession c = owner[i];
                    if (c != null && c.seq == i) {
                        cancel(c, i);
                    }
                }
            }
        }

        int pendingCount() {
            int n = sent.get();
            int p = 0;
            for (int i = scanFrom; i < n; i++) {
                if (status.get(i) == PENDING) {
                    p++;
                }
            }
            return p;
        }

        synchronized void flush() {
            measuredFromSend.add(measuredSendRec.getIntervalHistogram());
            measuredFromIntended.add(measuredDueRec.getIntervalHistogram());
        }

        /** Timer thread, every second. */
        void progress() {
            flush();
            Histogram h = progressRec.getIntervalHistogram();
            long s = sent.get();
            long o = offers.sum();
            if (!quiet) {
                double t = (System.nanoTime() - scheduleStart) / 1e9;
                log.printf("  t=%5.1fs%s sent %5d/s  offers %5d/s  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  idle customers %5d  no-offer %d  errors %d  skipped %d%n",
                        t, s <= warmupCount ? " (warm-up)" : "", s - lastSent, o - lastOffers,
                        h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                        idle.size(), timedOut.sum(), requestErrors.sum(), skipped.sum());
            }
            lastSent = s;
            lastOffers = o;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Opens the sessions at a bounded rate with at most maxInFlight awaiting welcome; returns the seconds taken. */
    private double open(List<WsSession> sessions, double perSecond, Tracker tracker, String what) throws InterruptedException {
        Semaphore inFlight = new Semaphore(maxInFlight);
        tracker.inFlight = inFlight;
        int before = tracker.welcomed.get() + tracker.failedCount.get();
        long t0 = System.nanoTime();
        double interval = 1e9 / perSecond;
        long lastReport = t0;
        for (int i = 0; i < sessions.size(); i++) {
            long due = t0 + (long) (i * interval);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            }
            if (!inFlight.tryAcquire(30, TimeUnit.SECONDS)) {
                log.printf("  %s: 30 s without a connect settling; stopping the ramp at %d%n", what, i);
                break;
            }
            sessions.get(i).connect(bootstrap, uri);
            if (!quiet && System.nanoTime() - lastReport > 2_000_000_000L) {
                lastReport = System.nanoTime();
                log.printf("  %s: connecting %d/%d, welcomed %d, failed %d%n", what, i + 1, sessions.size(),
                        tracker.welcomed.get(), tracker.failedCount.get());
            }
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tracker.welcomed.get() + tracker.failedCount.get() - before < sessions.size() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.printf("  %s: %d welcomed, %d failed in %.1f s%n", what, tracker.welcomed.get(), tracker.failedCount.get(), seconds);
        return seconds;
    }

    /** Opens and closes a few sessions so that class loading and JIT in both JVMs do not land in the measured ramp. */
    private void warmConnections(Role role) throws Exception {
        if (connectWarmup <= 0) {
            return;
        }
        List<Principal> principals = new ArrayList<>(connectWarmup);
        for (int i = 0; i < connectWarmup; i++) {
            principals.add(new Principal(Subject.of(runId + "-w" + i + "-" + System.nanoTime() % 100000), Role.CUSTOMER, "Warm " + i,
                    Set.of(), Set.of(), 1, 0));
        }
        List<String> minted = tokens.mint(principals);
        Tracker t = new Tracker() {
            @Override
            void onFrame(WsSession s, String type, String json, long now) {
            }
        };
        List<WsSession> sessions = new ArrayList<>();
        for (int i = 0; i < connectWarmup; i++) {
            sessions.add(new WsSession(i, WsSession.Kind.IDLE, principals.get(i).subject().value(), minted.get(i), t, 0));
        }
        int saved = maxInFlight;
        maxInFlight = 20;
        boolean q = quiet;
        quiet = true;
        try {
            open(sessions, 500, t, "connection warm-up");
        } finally {
            maxInFlight = saved;
            quiet = q;
        }
        closeAll(sessions, "warm-up");
        Thread.sleep(500);
    }

    private void closeAll(List<WsSession> sessions, String what) {
        if (sessions.isEmpty()) {
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>(sessions.size());
        for (WsSession s : sessions) {
            ChannelFuture f = s.close();
            if (f != null) {
                closing.add(f);
            }
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ChannelFuture f : closing) {
            long left = until - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(TimeUnit.NANOSECONDS.toMillis(left) + 1)) {
                break;
            }
        }
        log.printf("  closed %d %s sessions%n", closing.size(), what);
        sessions.clear();
    }

    private static int countActive(List<WsSession> sessions) {
        int n = 0;
        for (WsSession s : sessions) {
            if (s.active()) {
                n++;
            }
        }
        return n;
    }

    private Long scrapeGauge(String name) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(httpBase.resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    private static String mib(long kib) {
        return kib < 0 ? "n/a" : String.format("%.1f MiB", kib / 1024.0);
    }
}
