package io.livedesk.bench.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.bench.RunSupport;
import io.livedesk.bench.load.ProcInfo;
import io.livedesk.signaling.auth.Permission;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.auth.TokenService;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import static io.livedesk.bench.RunSupport.ownCpuSeconds;
import static io.livedesk.bench.RunSupport.percentiles;
import static io.livedesk.bench.RunSupport.round;
import static io.livedesk.bench.RunSupport.sum;

/**
 * Livestream benchmark (issue 9): simulated viewers on one broadcast held by several signaling nodes that share
 * presence and chat in Redis. Signaling and presence only, no media.
 *
 * <ol>
 *   <li>Creates a broadcast over REST on the first node (a staff token with the livestream permission, minted
 *   locally with the shared secret) and takes it live.</li>
 *   <li><b>Ramp</b>: N viewers (viewer tokens) arrive on an open-loop schedule at R per second, round-robin over
 *   the nodes; each connects, signs in with {@code hello} and sends {@code broadcast.join} on {@code welcome}
 *   ({@code --preconnect}: all connect first, then only the joins are paced).</li>
 *   <li>Chat from the first K viewers at a total rate (each far under the 1 message a second per viewer
 *   limit), and a few likes a second so that the count frame ({@code broadcast.stats}) changes, and so goes
 *   out, every second.</li>
 *   <li><b>Window</b>: once all have joined (plus a settling pause), H seconds during which chat latency,
 *   chat fan-out completeness, the count frames' fan-out, and the cost (nodes' CPU and memory from /proc,
 *   Redis's CPU and commands from {@code INFO}) are measured.</li>
 * </ol>
 * Everything is bounded (counts, durations, {@code --max-runtime}), on loopback only, and closed at the end.
 */
@Command(name = "live", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Livestream signaling benchmark: viewers joining one broadcast over several nodes, counts and chat fan-out.")
public final class LiveBenchmark implements Callable<Integer> {
    private static final long MAX_US = ChatBook.MAX_US;
    private static final String[] CHAT_TEXTS = {
            "What is the fixed rate for five years?", "Can I repay early without a fee?",
            "Is the offer open to first-time buyers only?", "How long does approval take?",
            "Does the rate change after the fixed period?", "Thanks, very clear!"};

    @Option(names = "--url", split = ",", defaultValue = "ws://127.0.0.1:18081/ws,ws://127.0.0.1:18082/ws",
            description = "the nodes' WebSocket URLs, comma-separated; viewers are spread round-robin (default ${DEFAULT-VALUE})")
    List<String> urls;

    @Option(names = "--server-pid", split = ",", description = "the nodes' process ids, in --url order, for CPU and RSS from /proc")
    List<Long> serverPids = new ArrayList<>();

    @Option(names = "--redis-url", description = "the nodes' Redis, for INFO commandstats/cpu deltas (e.g. redis://127.0.0.1:6390)")
    URI redisUrl;

    @Option(names = "--jwt-secret", defaultValue = "${env:LIVEDESK_JWT_SECRET}",
            description = "the nodes' shared HS256 secret; all tokens are minted locally. Default: $LIVEDESK_JWT_SECRET")
    String jwtSecret;

    @Option(names = "--issuer", defaultValue = "livedesk", description = "token issuer (default ${DEFAULT-VALUE})")
    String issuer;

    @Option(names = "--viewers", defaultValue = "10000", description = "viewers (default ${DEFAULT-VALUE})")
    int viewerCount;

    @Option(names = "--join-rate", defaultValue = "1000", description = "viewers arriving per second (default ${DEFAULT-VALUE})")
    double joinRate;

    @Option(names = "--preconnect", description = "connect and sign in every viewer first, then pace only broadcast.join")
    boolean preconnect;

    @Option(names = "--connect-rate", defaultValue = "1000", description = "with --preconnect: connects per second (default ${DEFAULT-VALUE})")
    double connectRate;

    @Option(names = "--max-inflight", defaultValue = "2000",
            description = "viewers between connect (or join) and broadcast.joined at once; the schedule waits beyond (default ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--chatters", defaultValue = "200", description = "viewers who chat, the first K to join (default ${DEFAULT-VALUE})")
    int chatters;

    @Option(names = "--chat-rate", defaultValue = "50", description = "chat messages per second, all chatters together (default ${DEFAULT-VALUE})")
    double chatRate;

    @Option(names = "--chat-during-ramp", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "chat from the moment the chatters have joined (default), or only from the end of the ramp")
    boolean chatDuringRamp;

    @Option(names = "--likes-per-second", defaultValue = "2",
            description = "likes per second from the chatters, so the count frame changes every second (default ${DEFAULT-VALUE})")
    double likesPerSecond;

    @Option(names = "--settle", defaultValue = "15",
            description = "seconds between the last join and the window: the nodes need about 10 s to work off the ramp (default ${DEFAULT-VALUE})")
    double settleSeconds;

    @Option(names = "--hold", defaultValue = "60", description = "seconds measured with everyone watching (default ${DEFAULT-VALUE})")
    double holdSeconds;

    @Option(names = "--warmup-viewers", defaultValue = "2000",
            description = "viewers that join (and chat on) a throwaway broadcast first, to warm both sides' JIT (default ${DEFAULT-VALUE})")
    int warmupViewers;

    @Option(names = "--warmup-rate", defaultValue = "400", description = "warm-up viewers arriving per second (default ${DEFAULT-VALUE})")
    double warmupRate;

    @Option(names = "--warmup-hold", defaultValue = "5",
            description = "seconds the warm-up viewers stay, with chat at --chat-rate fanned out to them (default ${DEFAULT-VALUE})")
    double warmupHold;

    @Option(names = "--warmup-wait", defaultValue = "32",
            description = "seconds to wait after the warm-up before measuring: longer than the nodes' reconnect grace (30 s), "
                    + "so that reaping the warm-up's sessions does not land in the measured run (default ${DEFAULT-VALUE})")
    double warmupWait;

    @Option(names = "--io-threads", defaultValue = "2", description = "generator event loop threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--transport", defaultValue = "auto",
            description = "generator sockets: epoll (Linux native, cheaper per frame), nio, or auto: epoll where available (default ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--ping-interval", defaultValue = "20", description = "seconds between a viewer's pings (default ${DEFAULT-VALUE})")
    int pingIntervalSeconds;

    @Option(names = "--progress-sample", defaultValue = "50",
            description = "one viewer in this many feeds the per-second chat latency lines (all feed the results) (default ${DEFAULT-VALUE})")
    int progressSample;

    @Option(names = "--live-heap", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "before the ramp and after the window, run a full GC in each node (jcmd PID GC.run) and read its heap from /metrics")
    boolean liveHeap;

    @Option(names = "--run-id", description = "prefix for subjects (default: random), so runs do not collide")
    String runId;

    @Option(names = "--json-out", description = "also append the JSON line to this file")
    Path jsonOut;

    @Option(names = "--max-runtime", defaultValue = "600", description = "hard stop after this many seconds (default ${DEFAULT-VALUE})")
    int maxRuntimeSeconds;

    @Option(names = "--quiet", description = "no per-second progress lines")
    boolean quiet;

    @Mixin
    Report report = new Report();

    private final PrintStream log = System.err;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private List<Node> nodes;
    private TokenService tokens;
    private EventLoopGroup group;
    private Bootstrap bootstrap;
    private RedisInfo redis;
    private final long startNs = System.nanoTime();

    record Node(int index, URI ws, URI http, long pid) {
    }

    @Override
    public Integer call() throws Exception {
        QuietLogs.apply();
        Result r = run();
        if (jsonOut != null) {
            Files.writeString(jsonOut, r.json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return report.print(r);
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() throws Exception {
        CommandLine cl = new CommandLine(this);
        if (jwtSecret == null || jwtSecret.isBlank()) {
            throw new CommandLine.ParameterException(cl, "give --jwt-secret (or set LIVEDESK_JWT_SECRET): tokens are minted locally");
        }
        if (viewerCount < 1 || joinRate <= 0 || chatRate < 0 || likesPerSecond < 0 || holdSeconds <= 0) {
            throw new CommandLine.ParameterException(cl, "--viewers, --join-rate and --hold must be positive, rates not negative");
        }
        chatters = Math.max(1, Math.min(chatters, viewerCount));
        if (chatRate / chatters > 1.0) {
            throw new CommandLine.ParameterException(cl, "--chat-rate / --chatters must be at most 1: a viewer may send "
                    + "1 chat message a second (burst 3); raise --chatters");
        }
        nodes = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            URI ws = URI.create(urls.get(i).trim());
            if (!"ws".equals(ws.getScheme()) || ws.getPort() < 0 || !InetAddress.getByName(ws.getHost()).isLoopbackAddress()) {
                throw new CommandLine.ParameterException(cl, "--url must be ws://LOOPBACK:PORT/ws (loopback only): " + ws);
            }
            long pid = i < serverPids.size() ? serverPids.get(i) : 0;
            nodes.add(new Node(i, ws, URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/"), pid));
        }
        if (redisUrl != null) {
            if (!InetAddress.getByName(redisUrl.getHost()).isLoopbackAddress()) {
                throw new CommandLine.ParameterException(cl, "--redis-url must be on loopback");
            }
            redis = new RedisInfo(redisUrl);
        }
        if (runId == null) {
            runId = "lv" + HexFormat.of().formatHex(new byte[]{(byte) ThreadLocalRandom.current().nextInt(),
                    (byte) ThreadLocalRandom.current().nextInt(), (byte) ThreadLocalRandom.current().nextInt()});
        }
        tokens = new TokenService(jwtSecret.getBytes(StandardCharsets.UTF_8), issuer, Clock.systemUTC());
        boolean epoll = switch (transport) {
            case "epoll" -> {
                Epoll.ensureAvailability();
                yield true;
            }
            case "nio" -> false;
            case "auto" -> Epoll.isAvailable();
            default -> throw new CommandLine.ParameterException(cl, "--transport must be epoll, nio or auto");
        };
        transport = epoll ? "epoll" : "nio";
        group = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("lv-io", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
    }

    Result run() throws Exception {
        RunSupport.startWatchdog(log, maxRuntimeSeconds, "lv-watchdog");
        setUp();
        List<Viewer> all = new ArrayList<>();
        String broadcastId = null;
        String hostToken = tokens.mint(new Principal(Subject.of(runId + "-host"), Role.STAFF, "Bench Host",
                Set.of("loans"), Set.of("en"), 1, 0, Set.of(Permission.LIVESTREAM)), Duration.ofHours(2));
        try {
            if (warmupViewers > 0) {
                warmUp(hostToken);
            }
            broadcastId = createLive(hostToken, "Livestream benchmark " + runId);
            log.printf("%n== live: broadcast %s on %d node(s); %d viewers at %.0f/s%s; chat %.0f/s from %d viewers; likes %.1f/s; hold %.0f s ==%n",
                    broadcastId, nodes.size(), viewerCount, joinRate, preconnect ? " (joins only; connected first)" : "",
                    chatRate, chatters, likesPerSecond, holdSeconds);
            return measure(hostToken, broadcastId, all);
        } finally {
            closeAll(all);
            if (broadcastId != null) {
                end(hostToken, broadcastId);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            if (redis != null) {
                redis.close();
            }
        }
    }

    // ------------------------------------------------------------------ the measured run

    private Result measure(String hostToken, String broadcastId, List<Viewer> all) throws Exception {
        long mint0 = System.nanoTime();
        List<String> viewerTokens = new ArrayList<>(viewerCount);
        for (int i = 0; i < viewerCount; i++) {
            viewerTokens.add(tokens.mint(new Principal(Subject.of(runId + "-v" + i), Role.VIEWER, "Viewer " + i,
                    Set.of(), Set.of(), 1, 0), Duration.ofHours(2)));
        }
        log.printf("  minted %d viewer tokens in %.2f s%n", viewerCount, (System.nanoTime() - mint0) / 1e9);

        int chatCapacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.ceil(chatRate * maxRuntimeSeconds) + 16);
        Run run = new Run(new ChatBook(chatCapacity), chatters);
        for (int i = 0; i < viewerCount; i++) {
            Node n = nodes.get(i % nodes.size());
            all.add(new Viewer(i, n.index(), viewerTokens.get(i), broadcastId, run, !preconnect,
                    pingIntervalSeconds * 1000L, progressSample > 0 && i % progressSample == 0));
        }
        run.viewers = all;

        long[] heapBefore = liveHeap();
        Marks before = marks();

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("lv-progress", true));
        Progress progress = new Progress(run);
        timer.scheduleAtFixedRate(progress::tick, 1000, 1000, TimeUnit.MILLISECONDS);
        ChatDriver driver = new ChatDriver(run, broadcastId);
        progressChat = driver;
        Thread driverThread = new Thread(driver, "lv-chat");
        driverThread.setDaemon(true);
        driverThread.start();

        // ---- ramp
        Marks connected = null;
        Marks rampStart;
        double scheduleLateMs;
        if (preconnect) {
            progress.phase = "connect";
            Semaphore permits = new Semaphore(maxInFlight);
            run.connectPermits = permits;
            paced(all.size(), connectRate, permits, i -> all.get(i).connect(bootstrap, nodes.get(all.get(i).node).ws()), "connect");
            awaitSettled(() -> run.welcomed.get() + run.failedCount.get() >= all.size(), 30);
            connected = marks();
            log.printf("  connected %d, failed %d%n", run.welcomed.get(), run.failedCount.get());
            progress.phase = "ramp";
            Semaphore joinPermits = new Semaphore(maxInFlight);
            run.joinPermits = joinPermits;
            rampStart = marks();
            run.rampStartNs = rampStart.ns;
            scheduleLateMs = paced(all.size(), joinRate, joinPermits, i -> {
                Viewer v = all.get(i);
                if (v.welcomed() && v.open()) {
                    v.join();
                } else {
                    joinPermits.release();
                }
            }, "join");
        } else {
            progress.phase = "ramp";
            Semaphore permits = new Semaphore(maxInFlight);
            run.joinPermits = permits;
            rampStart = marks();
            run.rampStartNs = rampStart.ns;
            scheduleLateMs = paced(all.size(), joinRate, permits,
                    i -> all.get(i).connect(bootstrap, nodes.get(all.get(i).node).ws()), "arrive");
        }
        long scheduleDoneNs = System.nanoTime();
        awaitSettled(() -> run.joinedCount.get() + run.failedCount.get() >= all.size(), 30);
        Marks rampEnd = marks();
        long lastJoined = run.lastJoinedNs.get();
        long rampNs = Math.max(1, (lastJoined > 0 ? lastJoined : rampEnd.ns) - rampStart.ns);
        int joined = run.joinedCount.get();
        log.printf("  ramp: %d joined, %d failed in %.2f s (%.0f joins/s); schedule late at end %.1f ms%n", joined,
                run.failedCount.get(), rampNs / 1e9, joined / (rampNs / 1e9), scheduleLateMs);
        driver.start(System.nanoTime()); // no-op if the chat began during the ramp

        // ---- window
        progress.phase = "settle";
        sleepUntil(rampEnd.ns + (long) (settleSeconds * 1e9));
        Marks windowStart = marks();
        run.chat.windowFrom(windowStart.ns);
        run.windowFromNs = windowStart.ns;
        run.ticks.open(true);
        progress.phase = "window";
        long windowEndNs = windowStart.ns + (long) (holdSeconds * 1e9);
        run.chat.windowTo(windowEndNs);
        run.windowToNs = windowEndNs;
        sleepUntil(windowEndNs);
        Marks windowEnd = marks();
        driver.stop();
        progress.phase = "drain";
        Thread.sleep(2000);
        run.ticks.open(false);
        timer.shutdownNow();
        driverThread.join(2000);

        int[] perNode = new int[nodes.size()];
        int watching = 0;
        for (Viewer v : all) {
            if (v.joined() && v.open()) {
                perNode[v.node]++;
                watching++;
            }
        }
        int fewestStats = Integer.MAX_VALUE;
        long statsFrames = 0;
        for (Viewer v : all) {
            if (v.joined()) {
                fewestStats = Math.min(fewestStats, v.statsInWindow);
                statsFrames += v.statsInWindow;
            }
        }
        Map<Integer, Long> gauges = new TreeMap<>();
        for (Node n : nodes) {
            gauges.put(n.index(), scrapeGauge(n, "livedesk_ws_connections"));
        }
        long[] heapAfter = liveHeap();
        closeAll(all);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly(); // the event loops are quiet: merge their books

        return result(run, driver, broadcastId, before, connected, rampStart, rampEnd, windowStart, windowEnd,
                heapBefore, heapAfter, perNode, watching, gauges, rampNs, scheduleLateMs, scheduleDoneNs, fewestStats, statsFrames);
    }

    /** Calls {@code action} for 0..count-1 at {@code perSecond}, each with a permit; returns how late the last was, in ms. */
    private double paced(int count, double perSecond, Semaphore permits, java.util.function.IntConsumer action, String what)
            throws InterruptedException {
        long t0 = System.nanoTime() + 1_000_000;
        double interval = 1e9 / perSecond;
        long late = 0;
        for (int i = 0; i < count; i++) {
            long due = t0 + (long) (i * interval);
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            }
            if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                log.printf("  %s: 30 s without a permit; stopping the schedule at %d%n", what, i);
                break;
            }
            late = Math.max(0, System.nanoTime() - due);
            action.accept(i);
        }
        return late / 1e6;
    }

    private static void awaitSettled(java.util.function.BooleanSupplier done, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
    }

    private static void sleepUntil(long ns) throws InterruptedException {
        long left;
        while ((left = ns - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(200, left / 1_000_000)));
        }
    }

    // ------------------------------------------------------------------ viewers' events

    /** Everything the viewers report, shared by the event loops, the schedulers and the progress lines. */
    final class Run implements Viewer.Events {
        final ChatBook chat;
        final StatsTicks ticks = new StatsTicks();
        final int chatterCount;
        volatile List<Viewer> viewers;
        final Recorder connectToWelcome = new Recorder(MAX_US, 3);
        final Recorder joinToJoined = new Recorder(MAX_US, 3);
        final Recorder joinToFirstCount = new Recorder(MAX_US, 3);
        final Recorder statsGap = new Recorder(MAX_US, 3);
        final Recorder progressJoin = new Recorder(MAX_US, 3);
        final Histogram allConnect = new Histogram(MAX_US, 3);
        final Histogram allJoin = new Histogram(MAX_US, 3);
        final Histogram allFirstCount = new Histogram(MAX_US, 3);
        final Histogram allGap = new Histogram(MAX_US, 3);
        final AtomicInteger welcomed = new AtomicInteger();
        final AtomicInteger joinedCount = new AtomicInteger();
        final AtomicInteger chattersJoined = new AtomicInteger();
        final AtomicInteger firstCounts = new AtomicInteger();
        final AtomicInteger failedCount = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        final AtomicLong lastJoinedNs = new AtomicLong();
        final AtomicLong maxCount = new AtomicLong();
        final LongAdder statsFrames = new LongAdder();
        final LongAdder likesAcked = new LongAdder();
        final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
        volatile Semaphore connectPermits;
        volatile Semaphore joinPermits;
        volatile long rampStartNs = Long.MAX_VALUE;
        volatile long windowFromNs = Long.MAX_VALUE;
        volatile long windowToNs = Long.MAX_VALUE;

        Run(ChatBook chat, int chatterCount) {
            this.chat = chat;
            this.chatterCount = chatterCount;
        }

        @Override
        public void welcomed(Viewer v, long ns) {
            connectToWelcome.recordValue(us(ns));
            welcomed.incrementAndGet();
            if (preconnect) {
                release(connectPermits);
            }
        }

        @Override
        public void joined(Viewer v, long ns, long count) {
            joinToJoined.recordValue(us(ns));
            progressJoin.recordValue(us(ns));
            joinedCount.incrementAndGet();
            if (v.index < chatterCount) {
                chattersJoined.incrementAndGet();
            }
            lastJoinedNs.accumulateAndGet(System.nanoTime(), Math::max);
            maxCount.accumulateAndGet(count, Math::max);
            release(joinPermits);
        }

        @Override
        public void firstCount(Viewer v, long ns) {
            joinToFirstCount.recordValue(us(ns));
            firstCounts.incrementAndGet();
        }

        @Override
        public void stats(Viewer v, long viewers, long likes, long ns) {
            statsFrames.increment();
            maxCount.accumulateAndGet(viewers, Math::max);
            ticks.seen(v.node, viewers, likes, ns);
            if (ns >= windowFromNs && ns < windowToNs) {
                v.statsInWindow++;
                if (v.lastStatsNs >= windowFromNs) {
                    statsGap.recordValue(us(ns - v.lastStatsNs));
                }
            }
            v.lastStatsNs = ns;
        }

        @Override
        public void chatSeen(Viewer v, int seq, long ns) {
            chat.seen(seq, ns, v.sampled);
        }

        @Override
        public void acked(Viewer v, String id, long ns) {
            if (id == null || id.isEmpty()) {
                return;
            }
            if (id.charAt(0) == 'c') {
                chat.acked(Integer.parseInt(id.substring(1)), ns);
            } else if (id.charAt(0) == 'l') {
                likesAcked.increment();
            }
        }

        @Override
        public void error(Viewer v, String id, String code) {
            errors.computeIfAbsent((id != null && id.startsWith("c") ? "chat.send: " : id != null && id.startsWith("l")
                    ? "broadcast.like: " : "other: ") + code, k -> new LongAdder()).increment();
            if (id != null && id.startsWith("c")) {
                chat.refused(Integer.parseInt(id.substring(1)));
            }
        }

        @Override
        public void failed(Viewer v, String why) {
            failures.computeIfAbsent(why, k -> new LongAdder()).increment();
            failedCount.incrementAndGet();
            if (preconnect && !v.welcomed()) {
                release(connectPermits);
            } else {
                release(joinPermits);
            }
        }

        @Override
        public void lost(Viewer v) {
            lost.incrementAndGet();
        }

        private void release(Semaphore s) {
            if (s != null) {
                s.release();
            }
        }

        /** Drains the recorders into the run's totals (the progress thread, and once at the end). */
        synchronized void collect() {
            allConnect.add(connectToWelcome.getIntervalHistogram());
            allJoin.add(joinToJoined.getIntervalHistogram());
            allFirstCount.add(joinToFirstCount.getIntervalHistogram());
            allGap.add(statsGap.getIntervalHistogram());
        }
    }

    /** Sends the chat and the likes on their schedules, from the first K viewers in turn. */
    private final class ChatDriver implements Runnable {
        private final Run run;
        private final String broadcastId;
        private volatile long startNs;
        private volatile boolean stopped;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger likesSent = new AtomicInteger();
        volatile long lateNs;

        ChatDriver(Run run, String broadcastId) {
            this.run = run;
            this.broadcastId = broadcastId;
        }

        void start(long ns) {
            if (startNs == 0) {
                startNs = ns;
            }
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            try {
                while (startNs == 0 && !stopped) {
                    if (chatDuringRamp && run.chattersJoined.get() >= run.chatterCount) {
                        start(System.nanoTime());
                    }
                    Thread.sleep(5);
                }
            } catch (InterruptedException e) {
                return;
            }
            long t0 = startNs;
            double chatInterval = chatRate > 0 ? 1e9 / chatRate : Double.MAX_VALUE;
            double likeInterval = likesPerSecond > 0 ? 1e9 / likesPerSecond : Double.MAX_VALUE;
            int i = 0;
            int j = 0;
            List<Viewer> viewers = run.viewers;
            int k = run.chatterCount;
            while (!stopped) {
                long nextChat = chatRate > 0 && i < run.chat.capacity() ? t0 + (long) (i * chatInterval) : Long.MAX_VALUE;
                long nextLike = likesPerSecond > 0 ? t0 + (long) ((j + 0.5) * likeInterval) : Long.MAX_VALUE;
                long due = Math.min(nextChat, nextLike);
                if (due == Long.MAX_VALUE) {
                    return;
                }
                long now;
                while ((now = System.nanoTime()) < due && !stopped) {
                    LockSupport.parkNanos(Math.min(due - now, 50_000_000L));
                }
                if (stopped) {
                    return;
                }
                lateNs = Math.max(0, now - due);
                if (due == nextChat) {
                    Viewer v = viewers.get(i % k);
                    if (v.joined() && v.open()) {
                        String text = "#" + i + " " + CHAT_TEXTS[i % CHAT_TEXTS.length];
                        String frame = "{\"type\":\"chat.send\",\"id\":\"c" + i + "\",\"broadcastId\":\"" + broadcastId
                                + "\",\"text\":\"" + text + "\"}";
                        run.chat.sent(i, System.nanoTime());
                        v.send(frame);
                        sent.incrementAndGet();
                    } else {
                        run.chat.skipped(i);
                        skipped.incrementAndGet();
                    }
                    i++;
                } else {
                    Viewer v = viewers.get(j % k);
                    if (v.joined() && v.open()) {
                        v.send("{\"type\":\"broadcast.like\",\"id\":\"l" + j + "\",\"broadcastId\":\"" + broadcastId + "\"}");
                        likesSent.incrementAndGet();
                    }
                    j++;
                }
            }
        }
    }

    /** The per-second lines on stderr. */
    private final class Progress {
        private final Run run;
        volatile String phase = "";
        private long lastJoined;
        private long lastDeliveries;
        private long lastStats;
        private int lastChat;
        private long lastNs = System.nanoTime();
        private double[] lastCpu;
        private double lastRedisCpu = -1;

        Progress(Run run) {
            this.run = run;
            lastCpu = serverCpu();
        }

        void tick() {
            try {
                long now = System.nanoTime();
                double dt = (now - lastNs) / 1e9;
                lastNs = now;
                Histogram join = run.progressJoin.getIntervalHistogram();
                Histogram chat = run.chat.progressSendToSeen.getIntervalHistogram();
                run.collect();
                long joined = run.joinedCount.get();
                long deliveries = run.chat.deliveries();
                long stats = run.statsFrames.sum();
                int chatSent = chatSentSoFar();
                double[] cpu = serverCpu();
                StringBuilder cpus = new StringBuilder();
                for (int i = 0; i < cpu.length; i++) {
                    cpus.append(String.format(" n%d %.2f", i, (cpu[i] - lastCpu[i]) / dt));
                }
                lastCpu = cpu;
                String redisCpu = "";
                double rc = redisCpuSeconds();
                if (rc >= 0 && lastRedisCpu >= 0) {
                    redisCpu = String.format(" redis %.2f", (rc - lastRedisCpu) / dt);
                }
                lastRedisCpu = rc;
                if (!quiet) {
                    log.printf("  t=%5.1fs %-6s joined %5d (+%4.0f/s) join p99 %7.1f ms | count %5d stats %5.0f/s | chat %3.0f/s seen %6.0f/s p50 %6.1f p99 %6.1f ms | cores%s%s%n",
                            (now - startNs) / 1e9, phase, joined, (joined - lastJoined) / dt,
                            join.getTotalCount() == 0 ? 0.0 : join.getValueAtPercentile(99) / 1000.0, run.maxCount.get(),
                            (stats - lastStats) / dt, (chatSent - lastChat) / dt, (deliveries - lastDeliveries) / dt,
                            chat.getTotalCount() == 0 ? 0.0 : chat.getValueAtPercentile(50) / 1000.0,
                            chat.getTotalCount() == 0 ? 0.0 : chat.getValueAtPercentile(99) / 1000.0, cpus, redisCpu);
                }
                lastJoined = joined;
                lastDeliveries = deliveries;
                lastStats = stats;
                lastChat = chatSent;
            } catch (RuntimeException e) {
                log.println("  progress: " + e);
            }
        }

        private int chatSentSoFar() {
            return progressChat == null ? 0 : progressChat.sent.get();
        }
    }

    private volatile ChatDriver progressChat;

    // ------------------------------------------------------------------ marks: CPU, memory, Redis at one moment

    private record Marks(long ns, double[] serverCpu, long[] serverRss, double generatorCpu, long[] machine,
                         RedisInfo.Snapshot redis, List<Map<String, Object[]>> serverThreads,
                         Map<String, Object[]> generatorThreads) {
    }

    private Marks marks() {
        long[] rss = new long[nodes.size()];
        for (Node n : nodes) {
            rss[n.index()] = ProcInfo.rssKib(n.pid());
        }
        RedisInfo.Snapshot r = null;
        if (redis != null) {
            try {
                r = redis.snapshot();
            } catch (IOException e) {
                log.println("  redis INFO failed: " + e);
            }
        }
        List<Map<String, Object[]>> threads = new ArrayList<>();
        for (Node n : nodes) {
            threads.add(ThreadCpu.snapshot(n.pid()));
        }
        return new Marks(System.nanoTime(), serverCpu(), rss, ownCpuSeconds(), ProcInfo.machineJiffies(), r, threads,
                ThreadCpu.snapshot(ProcessHandle.current().pid()));
    }

    private double[] serverCpu() {
        double[] cpu = new double[nodes.size()];
        for (Node n : nodes) {
            cpu[n.index()] = ProcInfo.cpuSeconds(n.pid());
        }
        return cpu;
    }

    private double redisCpuSeconds() {
        if (redis == null) {
            return -1;
        }
        try {
            return redis.snapshot().cpuSeconds();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Per node: heap in use right after a full GC (bytes), or -1; only with --live-heap and a pid. */
    private long[] liveHeap() {
        long[] out = new long[nodes.size()];
        for (Node n : nodes) {
            out[n.index()] = -1;
            if (!liveHeap || n.pid() <= 0) {
                continue;
            }
            try {
                Process p = new ProcessBuilder("jcmd", Long.toString(n.pid()), "GC.run").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    continue;
                }
                out[n.index()] = scrapeSum(n, "jvm_memory_used_bytes{area=\"heap\"");
            } catch (IOException | InterruptedException e) {
                log.println("  live heap of node " + n.index() + ": " + e);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ REST

    private String createLive(String hostToken, String title) throws Exception {
        Node n = nodes.get(0);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("description", "Simulated viewers, signaling and presence only");
        body.put("language", "en");
        body.put("topic", "loans");
        body.put("scheduledAt", Instant.now().toString());
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(n.http().resolve("/api/broadcasts"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + hostToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST /api/broadcasts: HTTP " + created.statusCode() + " " + created.body());
        }
        JsonNode record = json.readTree(created.body());
        String id = record.path("id").asText();
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(n.http().resolve("/api/broadcasts/" + id + "/live"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + hostToken)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (live.statusCode() != 200) {
            throw new IllegalStateException("POST /api/broadcasts/" + id + "/live: HTTP " + live.statusCode() + " " + live.body());
        }
        return id;
    }

    private void end(String hostToken, String id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(nodes.get(0).http().resolve("/api/broadcasts/" + id + "/end"))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + hostToken)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                log.printf("  ending broadcast %s: HTTP %d %s%n", id, r.statusCode(), r.body());
            }
        } catch (Exception e) {
            log.printf("  ending broadcast %s: %s%n", id, e);
        }
    }

    private Long scrapeGauge(Node n, String name) {
        long v = scrapeSum(n, name + " ");
        return v < 0 ? null : v;
    }

    /** Sums the /metrics lines that start with {@code prefix}; -1 if none or unreachable. */
    private long scrapeSum(Node n, String prefix) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(n.http().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            boolean any = false;
            for (String line : r.body().split("\n")) {
                if (line.startsWith(prefix)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    any = true;
                }
            }
            return any ? (long) sum : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ warm-up

    /**
     * A throwaway broadcast, so that both sides' JIT has compiled the join, chat and fan-out paths before the
     * measured ramp: viewers join on every node at --warmup-rate, chat and likes run at the measured rates for
     * --warmup-hold seconds, then all leave and the broadcast ends.
     */
    private void warmUp(String hostToken) throws Exception {
        String id = createLive(hostToken, "Livestream benchmark warm-up " + runId);
        log.printf("  warm-up: %d viewers at %.0f/s on broadcast %s, then %.0f s of chat%n", warmupViewers, warmupRate, id,
                warmupHold);
        int capacity = (int) Math.ceil(chatRate * (warmupHold + 60)) + 16;
        Run run = new Run(new ChatBook(capacity), Math.max(1, Math.min(chatters, warmupViewers)));
        List<Viewer> vs = new ArrayList<>();
        for (int i = 0; i < warmupViewers; i++) {
            Node n = nodes.get(i % nodes.size());
            String token = tokens.mint(new Principal(Subject.of(runId + "-w" + i), Role.VIEWER, "Warm " + i, Set.of(),
                    Set.of(), 1, 0), Duration.ofHours(1));
            vs.add(new Viewer(i, n.index(), token, id, run, true, 0, false));
        }
        run.viewers = vs;
        boolean saved = preconnect;
        preconnect = false;
        ChatDriver driver = new ChatDriver(run, id);
        Thread t = new Thread(driver, "lv-warm-chat");
        t.setDaemon(true);
        try {
            t.start();
            Semaphore permits = new Semaphore(maxInFlight);
            run.joinPermits = permits;
            paced(vs.size(), warmupRate, permits, i -> vs.get(i).connect(bootstrap, nodes.get(vs.get(i).node).ws()), "warm-up");
            awaitSettled(() -> run.joinedCount.get() + run.failedCount.get() >= vs.size(), 30);
            driver.start(System.nanoTime());
            Thread.sleep((long) (warmupHold * 1000));
            driver.stop();
            Thread.sleep(500);
            log.printf("  warm-up: %d joined, %d failed %s; %d chat messages, %d sightings%n", run.joinedCount.get(),
                    run.failedCount.get(), sum(run.failures), driver.sent.get(), run.chat.deliveries());
        } finally {
            driver.stop();
            preconnect = saved;
            closeAll(vs);
            end(hostToken, id);
            log.printf("  warm-up: done; waiting %.0f s for the nodes to reap its sessions%n", warmupWait);
            Thread.sleep((long) (warmupWait * 1000));
        }
    }

    private void closeAll(List<Viewer> viewers) {
        if (viewers.isEmpty()) {
            return;
        }
        List<ChannelFuture> closing = new ArrayList<>(viewers.size());
        for (Viewer v : viewers) {
            ChannelFuture f = v.close();
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
        viewers.clear();
    }

    // ------------------------------------------------------------------ result

    private Result result(Run run, ChatDriver driver, String broadcastId, Marks before, Marks connected, Marks rampStart,
                          Marks rampEnd, Marks windowStart, Marks windowEnd, long[] heapBefore, long[] heapAfter,
                          int[] perNode, int watching, Map<Integer, Long> gauges, long rampNs, double scheduleLateMs,
                          long scheduleDoneNs, int minStats, long statsInWindow) {
        run.collect();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "livestream");
        m.put("startedAt", Instant.now().minusNanos(System.nanoTime() - startNs).toString());
        m.put("runId", runId);
        m.put("broadcastId", broadcastId);
        m.put("nodes", nodes.stream().map(n -> n.ws().toString()).toList());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("generatorIoThreads", ioThreads);
        m.put("generatorTransport", transport);

        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("viewers", viewerCount);
        cfg.put("joinRate", joinRate);
        cfg.put("preconnect", preconnect);
        cfg.put("maxInFlight", maxInFlight);
        cfg.put("chatters", chatters);
        cfg.put("chatRate", chatRate);
        cfg.put("chatDuringRamp", chatDuringRamp);
        cfg.put("likesPerSecond", likesPerSecond);
        cfg.put("settleSeconds", settleSeconds);
        cfg.put("holdSeconds", holdSeconds);
        cfg.put("warmupViewers", warmupViewers);
        cfg.put("warmupRate", warmupRate);
        cfg.put("warmupHold", warmupHold);
        cfg.put("warmupWait", warmupWait);
        m.put("config", cfg);

        // ---- ramp
        int joined = run.joinedCount.get();
        double rampSeconds = rampNs / 1e9;
        Map<String, Object> ramp = new LinkedHashMap<>();
        ramp.put("joined", joined);
        ramp.put("failed", run.failedCount.get());
        ramp.put("failures", new TreeMap<>(sum(run.failures)));
        ramp.put("seconds", round(rampSeconds, 3));
        ramp.put("joinsPerSecond", round(joined / rampSeconds, 1));
        ramp.put("scheduleLateMsAtEnd", round(scheduleLateMs, 1));
        ramp.put("scheduleSeconds", round((scheduleDoneNs - rampStart.ns) / 1e9, 3));
        ramp.put("connectToWelcomeMs", percentiles(run.allConnect));
        ramp.put("joinToJoinedMs", percentiles(run.allJoin));
        ramp.put("joinToFirstCountMs", percentiles(run.allFirstCount));
        ramp.put("viewersWithoutFirstCount", joined - run.firstCounts.get());
        ramp.put("cost", cost(rampStart, rampEnd, joined, "Join"));
        if (connected != null) {
            ramp.put("connectPhaseCost", cost(before, connected, run.welcomed.get(), "Connect"));
        }
        m.put("ramp", ramp);

        // ---- window
        double windowSeconds = (windowEnd.ns - windowStart.ns) / 1e9;
        ChatBook.Result chat = run.chat.result(watching);
        StatsTicks.Result ticks = run.ticks.result(windowStart.ns + 1_500_000_000L, windowEnd.ns, perNode);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("seconds", round(windowSeconds, 3));
        w.put("watchingAtEnd", watching);
        w.put("watchingPerNode", perNode);
        w.put("serverConnectionsGauge", gauges);
        w.put("lostConnections", run.lost.get());
        w.put("highestCountSeen", run.maxCount.get());
        Map<String, Object> cw = new LinkedHashMap<>();
        cw.put("sent", chat.sentInWindow());
        cw.put("sentPerSecond", round(chat.sentInWindow() / windowSeconds, 2));
        cw.put("acked", chat.acked());
        cw.put("refused", chat.refused());
        cw.put("unanswered", chat.unanswered());
        cw.put("skippedNoChatterAllRun", chat.skippedNoChatter());
        cw.put("deliveries", chat.deliveries());
        cw.put("expectedDeliveries", chat.expectedDeliveries());
        cw.put("deliveredShare", chat.expectedDeliveries() == 0 ? null
                : round(chat.deliveries() / (double) chat.expectedDeliveries(), 6));
        cw.put("messagesSeenByAll", chat.messagesSeenByAll());
        cw.put("fewestViewersPerMessage", chat.minViewersPerMessage());
        cw.put("deliveriesPerSecond", round(chat.deliveries() / windowSeconds, 1));
        cw.put("sendToSeenMs", percentiles(chat.sendToSeen()));
        cw.put("ackToSeenMs", percentiles(chat.ackToSeen()));
        cw.put("seenBeforeAck", chat.seenBeforeAck());
        cw.put("sendToAckMsAllRun", percentiles(run.chat.sendToAck.getIntervalHistogram()));
        cw.put("sendToSeenMsOutsideWindow", percentiles(chat.outsideWindow()));
        cw.put("errors", new TreeMap<>(sum(run.errors)));
        w.put("chat", cw);
        Map<String, Object> sw = new LinkedHashMap<>();
        sw.put("framesPerViewerPerSecond", watching == 0 ? null : round(statsInWindow / (double) watching / windowSeconds, 3));
        sw.put("fewestFramesOneViewer", minStats == Integer.MAX_VALUE ? null : minStats);
        sw.put("gapBetweenFramesMs", percentiles(run.allGap));
        sw.put("ticks", ticks.ticks());
        sw.put("ticksReachingAllViewersOfNode", ticks.reachedAll());
        sw.put("smallestShareReached", round(ticks.minShareReached(), 4));
        sw.put("fanOutSpreadMs", percentiles(ticks.spreadUs()));
        w.put("stats", sw);
        w.put("cost", cost(windowStart, windowEnd, watching, "Viewer"));
        w.put("likesSent", driver.likesSent.get());
        m.put("window", w);

        // ---- memory
        Map<String, Object> mem = new LinkedHashMap<>();
        List<Map<String, Object>> perNodeMem = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, Object> nm = new LinkedHashMap<>();
            int here = perNode[n.index()];
            long rssBefore = before.serverRss()[n.index()];
            long rssAfter = windowEnd.serverRss()[n.index()];
            nm.put("viewers", here);
            nm.put("rssKibBefore", rssBefore);
            nm.put("rssKibWindowEnd", rssAfter);
            if (rssBefore > 0 && here > 0) {
                nm.put("rssKibPerViewer", round((rssAfter - rssBefore) / (double) here, 2));
            }
            nm.put("liveHeapBytesBefore", heapBefore[n.index()]);
            nm.put("liveHeapBytesAfter", heapAfter[n.index()]);
            if (heapBefore[n.index()] > 0 && heapAfter[n.index()] > 0 && here > 0) {
                nm.put("liveHeapKibPerViewer", round((heapAfter[n.index()] - heapBefore[n.index()]) / 1024.0 / here, 2));
            }
            perNodeMem.add(nm);
        }
        mem.put("nodes", perNodeMem);
        if (before.redis() != null && windowEnd.redis() != null && watching > 0) {
            mem.put("redisUsedMemoryBytesBefore", before.redis().usedMemory());
            mem.put("redisUsedMemoryBytesWindowEnd", windowEnd.redis().usedMemory());
            mem.put("redisBytesPerViewer", round((windowEnd.redis().usedMemory() - before.redis().usedMemory()) / (double) watching, 1));
        }
        m.put("memory", mem);
        return new Result(m, text(m));
    }

    /**
     * CPU of each node, Redis and the generator between two marks, and Redis's commands; also per event
     * ({@code per} "Join" or "Connect": CPU ms and commands per event) or, for {@code per} "Viewer", per viewer
     * and second.
     */
    private Map<String, Object> cost(Marks a, Marks b, int units, String per) {
        boolean perViewer = per.equals("Viewer");
        double seconds = (b.ns() - a.ns()) / 1e9;
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("seconds", round(seconds, 3));
        List<Object> cores = new ArrayList<>();
        double serverTotal = 0;
        boolean known = true;
        for (Node n : nodes) {
            double x = b.serverCpu()[n.index()] - a.serverCpu()[n.index()];
            if (a.serverCpu()[n.index()] < 0) {
                known = false;
                cores.add(null);
            } else {
                serverTotal += x;
                cores.add(round(x / seconds, 3));
            }
        }
        c.put("serverCores", cores);
        if (known) {
            c.put("serverCoresTotal", round(serverTotal / seconds, 3));
            if (units > 0) {
                // per join: CPU ms per join; per viewer: CPU microseconds per viewer per second
                if (perViewer) {
                    c.put("serverCpuUsPerViewerSecond", round(serverTotal * 1e6 / seconds / units, 3));
                } else {
                    c.put("serverCpuMsPer" + per, round(serverTotal * 1000 / units, 3));
                }
            }
        }
        double gen = b.generatorCpu() - a.generatorCpu();
        c.put("generatorCores", round(gen / seconds, 3));
        // Per thread group: [cores, of which kernel]
        List<Map<String, double[]>> threads = new ArrayList<>();
        for (Node n : nodes) {
            threads.add(ThreadCpu.cores(a.serverThreads().get(n.index()), b.serverThreads().get(n.index()), seconds));
        }
        c.put("serverThreadCores", threads);
        c.put("generatorThreadCores", ThreadCpu.cores(a.generatorThreads(), b.generatorThreads(), seconds));
        double redisCpu = -1;
        if (a.redis() != null && b.redis() != null) {
            redisCpu = b.redis().cpuSeconds() - a.redis().cpuSeconds();
            c.put("redisCores", round(redisCpu / seconds, 3));
            Map<String, Long> calls = RedisInfo.callDeltas(a.redis(), b.redis());
            long total = calls.values().stream().mapToLong(Long::longValue).sum();
            c.put("redisCommands", total);
            c.put("redisCommandsPerSecond", round(total / seconds, 1));
            if (units > 0) {
                if (perViewer) {
                    c.put("redisCommandsPerViewerPerSecond", round(total / seconds / units, 5));
                } else {
                    c.put("redisCommandsPer" + per, round(total / (double) units, 2));
                }
            }
            c.put("redisCommandsByName", calls);
        }
        if (a.machine() != null && b.machine() != null && b.machine()[1] > a.machine()[1]) {
            double busy = (b.machine()[0] - a.machine()[0]) / (double) (b.machine()[1] - a.machine()[1]);
            int cpus = Runtime.getRuntime().availableProcessors();
            c.put("machineBusyPercent", round(100 * busy, 1));
            if (known) {
                c.put("otherCores", round(busy * cpus - (serverTotal + gen + Math.max(0, redisCpu)) / seconds, 3));
            }
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private String text(Map<String, Object> m) {
        StringBuilder b = new StringBuilder();
        Map<String, Object> ramp = (Map<String, Object>) m.get("ramp");
        Map<String, Object> w = (Map<String, Object>) m.get("window");
        Map<String, Object> chat = (Map<String, Object>) w.get("chat");
        Map<String, Object> stats = (Map<String, Object>) w.get("stats");
        Map<String, Object> rc = (Map<String, Object>) ramp.get("cost");
        Map<String, Object> wc = (Map<String, Object>) w.get("cost");
        b.append(String.format("%nLIVESTREAM (%d viewers over %d node(s), %.0f arrivals/s%s, chat %.0f/s, likes %.1f/s, %.0f s window)%n",
                viewerCount, nodes.size(), joinRate, preconnect ? " (joins only)" : "", chatRate, likesPerSecond, holdSeconds));
        b.append(String.format("  ramp: %s joined, %s failed %s in %s s = %s joins/s (schedule late at end %s ms)%n",
                ramp.get("joined"), ramp.get("failed"), ramp.get("failures"), ramp.get("seconds"), ramp.get("joinsPerSecond"),
                ramp.get("scheduleLateMsAtEnd")));
        b.append("  connect -> welcome ms:          ").append(pct(ramp.get("connectToWelcomeMs"))).append('\n');
        b.append("  broadcast.join -> joined ms:    ").append(pct(ramp.get("joinToJoinedMs"))).append('\n');
        b.append("  broadcast.join -> first count:  ").append(pct(ramp.get("joinToFirstCountMs")))
                .append("  (without one: ").append(ramp.get("viewersWithoutFirstCount")).append(")\n");
        b.append(String.format("  ramp cost: server cores %s, %s ms CPU per join; redis cores %s, %s commands per join; generator %s; other %s%n",
                rc.get("serverCores"), rc.get("serverCpuMsPerJoin"), rc.get("redisCores"), rc.get("redisCommandsPerJoin"),
                rc.get("generatorCores"), rc.get("otherCores")));
        if (ramp.containsKey("connectPhaseCost")) {
            Map<String, Object> cc = (Map<String, Object>) ramp.get("connectPhaseCost");
            b.append(String.format("  connect phase (before the joins): %s s; server cores %s, %s ms CPU per connect; redis %s commands per connect%n",
                    cc.get("seconds"), cc.get("serverCores"), cc.get("serverCpuMsPerConnect"), cc.get("redisCommandsPerConnect")));
        }
        b.append(String.format("  window: %s watching %s (lost %s), highest count seen %s%n", w.get("watchingAtEnd"),
                java.util.Arrays.toString((int[]) w.get("watchingPerNode")), w.get("lostConnections"), w.get("highestCountSeen")));
        b.append(String.format("  chat: sent %s (%s/s), acked %s, refused %s, unanswered %s; deliveries %s of %s expected (share %s), "
                        + "seen by all %s, fewest viewers for one message %s; errors %s%n",
                chat.get("sent"), chat.get("sentPerSecond"), chat.get("acked"), chat.get("refused"), chat.get("unanswered"),
                chat.get("deliveries"), chat.get("expectedDeliveries"), chat.get("deliveredShare"), chat.get("messagesSeenByAll"),
                chat.get("fewestViewersPerMessage"), chat.get("errors")));
        b.append("  chat.send -> seen in chat.batch ms: ").append(pct(chat.get("sendToSeenMs"))).append('\n');
        b.append("  ack -> seen in chat.batch ms:       ").append(pct(chat.get("ackToSeenMs"))).append('\n');
        b.append("  chat.send -> ack ms (whole run):    ").append(pct(chat.get("sendToAckMsAllRun"))).append('\n');
        b.append(String.format("  stats: %s frames per viewer per second (fewest for one viewer %s); %s ticks, %s reached all of their node's viewers%n",
                stats.get("framesPerViewerPerSecond"), stats.get("fewestFramesOneViewer"), stats.get("ticks"),
                stats.get("ticksReachingAllViewersOfNode")));
        b.append("  stats gap between frames ms:  ").append(pct(stats.get("gapBetweenFramesMs"))).append('\n');
        b.append("  stats fan-out spread ms:      ").append(pct(stats.get("fanOutSpreadMs"))).append('\n');
        b.append(String.format("  window cost: server cores %s (total %s, %s us CPU per viewer-second); redis cores %s, %s commands/s, "
                        + "%s per viewer per second; generator %s; other %s; machine busy %s%%%n",
                wc.get("serverCores"), wc.get("serverCoresTotal"), wc.get("serverCpuUsPerViewerSecond"), wc.get("redisCores"),
                wc.get("redisCommandsPerSecond"), wc.get("redisCommandsPerViewerPerSecond"), wc.get("generatorCores"),
                wc.get("otherCores"), wc.get("machineBusyPercent")));
        b.append("  window redis commands: ").append(wc.get("redisCommandsByName")).append('\n');
        b.append("  ramp threads (cores, kernel):   nodes ").append(threads(rc.get("serverThreadCores")))
                .append("; generator ").append(threads(List.of(rc.get("generatorThreadCores")))).append('\n');
        b.append("  window threads (cores, kernel): nodes ").append(threads(wc.get("serverThreadCores")))
                .append("; generator ").append(threads(List.of(wc.get("generatorThreadCores")))).append('\n');
        b.append("  ramp redis commands:   ").append(rc.get("redisCommandsByName")).append('\n');
        b.append("  memory: ").append(m.get("memory"));
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static String threads(Object perProcess) {
        StringBuilder b = new StringBuilder();
        for (Object o : (List<Object>) perProcess) {
            b.append(b.length() == 0 ? "" : " | ");
            int shown = 0;
            for (Map.Entry<String, double[]> e : ((Map<String, double[]>) o).entrySet()) {
                if (shown++ == 6) {
                    break;
                }
                b.append(String.format("%s %.3f (%.3f) ", e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
        }
        return b.toString().trim();
    }

    @SuppressWarnings("unchecked")
    private static String pct(Object o) {
        Map<String, Object> p = (Map<String, Object>) o;
        if (p == null || !p.containsKey("p50")) {
            return "n/a";
        }
        return String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (n=%s)", p.get("p50"), p.get("p90"), p.get("p99"),
                p.get("p999"), p.get("max"), p.get("count"));
    }

    record Result(Map<String, Object> values, String text) implements Report.Printable {
        @Override
        public String json() {
            try {
                return new ObjectMapper().writeValueAsString(values);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static long us(long ns) {
        return Math.min(MAX_US, Math.max(0, ns / 1000));
    }
}
