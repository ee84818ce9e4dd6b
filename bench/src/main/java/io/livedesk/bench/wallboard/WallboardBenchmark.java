package io.livedesk.bench.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.bench.RunSupport;
import io.livedesk.bench.live.RedisInfo;
import io.livedesk.bench.load.ProcInfo;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.auth.TokenService;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The wallboard's cost (docs/benchmarks.md, issue 11): customers waiting, staff away and supervisors spread
 * over the nodes; the same script of events (a request, its answer, the hang-up) runs twice, first with no
 * wallboard open, then with every supervisor's open. Redis commands per second and the nodes' and Redis's
 * CPU in both phases give what the wallboard adds; in the second, the delay from each event to each
 * supervisor's first snapshot showing it.
 */
@Command(name = "wallboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Wallboard cost: Redis commands and CPU added, and event-to-wallboard delay.")
public final class WallboardBenchmark implements Callable<Integer> {
    private static final List<String> TOPICS = List.of("accounts", "cards", "loans");
    private static final List<String> LANGUAGES = List.of("en", "zh");

    @Option(names = "--urls", split = ",", required = true, description = "the nodes' WebSocket URLs (ws://host:port/ws)")
    List<URI> urls;
    @Option(names = "--jwt-secret", required = true)
    String jwtSecret;
    @Option(names = "--issuer", defaultValue = "livedesk")
    String issuer;
    @Option(names = "--redis", required = true, description = "redis://host:port of the nodes' Redis")
    URI redis;
    @Option(names = "--node-pids", split = ",", required = true)
    List<Long> nodePids;
    @Option(names = "--customers", defaultValue = "2000")
    int customers;
    @Option(names = "--staff", defaultValue = "300")
    int staff;
    @Option(names = "--supervisors", defaultValue = "100")
    int supervisors;
    @Option(names = "--phase-seconds", defaultValue = "60")
    int phaseSeconds;
    /**
     * Each event's state stays at least two snapshot intervals, so that every watcher is sent it rather than a
     * later one superseding it (which would time the event to the next cycle's).
     */
    @Option(names = "--cycle-ms", defaultValue = "7500", description = "one request, answer and hang-up cycle")
    long cycleMs;
    @Mixin
    Report report = new Report();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        QuietLogs.apply();
        TokenService tokens = new TokenService(jwtSecret.getBytes(StandardCharsets.UTF_8), issuer, Clock.systemUTC());
        ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-pings"));
        List<BoardClient> all = new CopyOnWriteArrayList<>();
        try (RedisInfo info = new RedisInfo(redis)) {
            // Everyone who only has to be there: staff away (so nobody answers the waiting customers), waiting
            // customers, and supervisors; spread over the nodes in turn.
            for (int i = 0; i < staff; i++) {
                BoardClient s = open(tokens, new Principal(Subject.of("bench-staff-" + i), Role.STAFF, "Staff " + i,
                        Set.of(TOPICS.get(i % TOPICS.size())), Set.copyOf(LANGUAGES), 1, 0), i, all);
                s.requestOk(Map.of("type", "presence.set", "status", "away")).join();
            }
            openAll(tokens, customers, all, i -> new Principal(Subject.of("bench-cust-" + i), Role.CUSTOMER,
                    "Customer " + i, Set.of(), Set.of(), 1, 0), (c, i) -> c.requestOk(Map.of("type", "request.create",
                    "topic", TOPICS.get(i % TOPICS.size()), "language", LANGUAGES.get(i % 2))));
            List<List<EventDelays.Snapshot>> seen = new ArrayList<>();
            List<BoardClient> boards = new ArrayList<>();
            for (int i = 0; i < supervisors; i++) {
                List<EventDelays.Snapshot> mine = Collections.synchronizedList(new ArrayList<>());
                seen.add(mine);
                BoardClient b = BoardClient.open(http, urls.get(i % urls.size()), tokens.mint(new Principal(
                        Subject.of("bench-sup-" + i), Role.SUPERVISOR, "Supervisor " + i, Set.of(), Set.of(), 1, 0),
                        Duration.ofHours(2)), (m, at) -> {
                            if ("wallboard".equals(m.path("type").asText())) {
                                mine.add(new EventDelays.Snapshot(at, m));
                            }
                        }).join();
                boards.add(b);
                all.add(b);
            }
            // The event script's own people: an advisor for wealth in Chinese on the first node, a customer on the last.
            BoardClient answerer = open(tokens, new Principal(Subject.of("bench-answerer"), Role.STAFF, "Answerer",
                    Set.of("wealth"), Set.of("zh"), 1, 0), 0, all);
            BoardClient caller = open(tokens, new Principal(Subject.of("bench-caller"), Role.CUSTOMER, "Caller",
                    Set.of(), Set.of(), 1, 0), urls.size() - 1, all);
            answerer.requestOk(Map.of("type", "presence.set", "status", "available")).join();
            pings.scheduleAtFixedRate(() -> all.forEach(c -> c.request(Map.of("type", "ping"))), 20, 20, TimeUnit.SECONDS);

            Phase quiet = run("without wallboards", info, answerer, caller);
            for (BoardClient b : boards) {
                b.requestOk(Map.of("type", "wallboard.subscribe")).join();
            }
            seen.forEach(List::clear);
            Phase watched = run("with " + supervisors + " wallboards open", info, answerer, caller);
            List<List<EventDelays.Snapshot>> copies = new ArrayList<>();
            long bytes = 0;
            long snapshots = 0;
            for (List<EventDelays.Snapshot> s : seen) {
                synchronized (s) {
                    copies.add(List.copyOf(s));
                    for (EventDelays.Snapshot snap : s) {
                        bytes += snap.board().toString().length();
                        snapshots++;
                    }
                }
            }
            EventDelays.Result delays = EventDelays.measure(watched.events, copies);
            return report.print(result(quiet, watched, delays, snapshots, bytes));
        } finally {
            pings.shutdownNow();
            all.forEach(BoardClient::close);
        }
    }

    private BoardClient open(TokenService tokens, Principal p, int node, List<BoardClient> all) throws Exception {
        BoardClient c = BoardClient.open(http, urls.get(node % urls.size()), tokens.mint(p, Duration.ofHours(2)),
                (m, at) -> { }).join();
        all.add(c);
        return c;
    }

    private interface Make {
        Principal principal(int i);
    }

    private interface Then {
        CompletableFuture<JsonNode> after(BoardClient c, int i);
    }

    /** Opens {@code n} sessions, at most 100 signing in at once, each doing {@code then} once signed in. */
    private void openAll(TokenService tokens, int n, List<BoardClient> all, Make make, Then then) throws Exception {
        Semaphore inFlight = new Semaphore(100);
        List<CompletableFuture<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            int index = i;
            done.add(BoardClient.open(http, urls.get(i % urls.size()), tokens.mint(make.principal(i), Duration.ofHours(2)),
                            (m, at) -> { })
                    .thenCompose(c -> {
                        all.add(c);
                        return then.after(c, index);
                    })
                    .whenComplete((r, e) -> inFlight.release()));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
    }

    /** What one phase measured. */
    record Phase(String name, double seconds, long commands, double redisCpu, double nodesCpu,
                 List<EventDelays.Event> events) {
    }

    /** Runs the event script for the phase's length and measures Redis and the nodes meanwhile. */
    private Phase run(String name, RedisInfo info, BoardClient answerer, BoardClient caller) throws Exception {
        List<EventDelays.Event> events = new ArrayList<>();
        RedisInfo.Snapshot before = info.snapshot();
        double nodesBefore = nodesCpu();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(phaseSeconds);
        while (System.nanoTime() < end) {
            long cycleStart = System.nanoTime();
            String requestId = caller.requestOk(Map.of("type", "request.create", "topic", "wealth", "language", "zh"))
                    .join().path("requestId").asText();
            events.add(new EventDelays.Event("request", System.nanoTime(), b -> waiting(b, "wealth", "zh") >= 1));
            pause(cycleStart, cycleMs / 3);
            answerer.requestOk(Map.of("type", "offer.accept", "requestId", requestId)).join();
            events.add(new EventDelays.Event("answer", System.nanoTime(), b -> hasCall(b, requestId)));
            pause(cycleStart, 2 * cycleMs / 3);
            caller.requestOk(Map.of("type", "call.hangup", "callId", requestId)).join();
            events.add(new EventDelays.Event("end", System.nanoTime(), b -> !hasCall(b, requestId)
                    && waiting(b, "wealth", "zh") == 0));
            pause(cycleStart, cycleMs);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        RedisInfo.Snapshot after = info.snapshot();
        long commands = 0;
        for (String c : after.commands().keySet()) {
            commands += after.calls(c) - before.calls(c);
        }
        return new Phase(name, seconds, commands, after.cpuSeconds() - before.cpuSeconds(), nodesCpu() - nodesBefore,
                events);
    }

    private static void pause(long fromNanos, long ms) throws InterruptedException {
        long left = fromNanos + TimeUnit.MILLISECONDS.toNanos(ms) - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private double nodesCpu() {
        double s = 0;
        for (long pid : nodePids) {
            s += ProcInfo.cpuSeconds(pid);
        }
        return s;
    }

    static int waiting(JsonNode board, String topic, String language) {
        for (JsonNode q : board.path("queues")) {
            if (topic.equals(q.path("topic").asText()) && language.equals(q.path("language").asText())) {
                return q.path("waiting").asInt() + q.path("ringing").asInt();
            }
        }
        return -1;
    }

    static boolean hasCall(JsonNode board, String callId) {
        for (JsonNode c : board.path("calls")) {
            if (callId.equals(c.path("callId").asText())) {
                return true;
            }
        }
        return false;
    }

    private Report.Printable result(Phase quiet, Phase watched, EventDelays.Result delays, long snapshots, long bytes) {
        Map<String, Histogram> byKind = new LinkedHashMap<>();
        Histogram overall = new Histogram(60_000_000L, 3);
        for (int i = 0; i < delays.delaysNanos().size(); i++) {
            long us = Math.min(60_000_000L, delays.delaysNanos().get(i) / 1000);
            overall.recordValue(us);
            byKind.computeIfAbsent(delays.kinds().get(i), k -> new Histogram(60_000_000L, 3)).recordValue(us);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("customersWaiting", customers);
        values.put("staff", staff);
        values.put("supervisors", supervisors);
        values.put("nodes", urls.size());
        for (Phase p : List.of(quiet, watched)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", RunSupport.round(p.seconds(), 1));
            m.put("events", p.events().size());
            m.put("redisCommandsPerSecond", RunSupport.round(p.commands() / p.seconds(), 1));
            m.put("redisCpuCores", RunSupport.round(p.redisCpu() / p.seconds(), 3));
            m.put("nodesCpuCores", RunSupport.round(p.nodesCpu() / p.seconds(), 3));
            values.put(p == quiet ? "without" : "with", m);
        }
        values.put("addedRedisCommandsPerSecond", RunSupport.round(watched.commands() / watched.seconds()
                - quiet.commands() / quiet.seconds(), 1));
        values.put("addedRedisCpuCores", RunSupport.round(watched.redisCpu() / watched.seconds() - quiet.redisCpu() / quiet.seconds(), 3));
        values.put("addedNodesCpuCores", RunSupport.round(watched.nodesCpu() / watched.seconds() - quiet.nodesCpu() / quiet.seconds(), 3));
        values.put("snapshotsPerSecondPerSupervisor", RunSupport.round(snapshots / watched.seconds() / Math.max(1, supervisors), 2));
        values.put("bytesPerSnapshot", snapshots == 0 ? 0 : bytes / snapshots);
        values.put("delayMs", RunSupport.percentiles(overall));
        byKind.forEach((k, h) -> values.put("delayMs." + k, RunSupport.percentiles(h)));
        values.put("missed", delays.missed());
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        String line;
        try {
            line = json.writeValueAsString(values);
        } catch (Exception e) {
            line = "{}";
        }
        String jsonLine = line;
        return new Report.Printable() {
            @Override
            public String text() {
                return text.toString().trim();
            }

            @Override
            public String json() {
                return jsonLine;
            }
        };
    }
}
