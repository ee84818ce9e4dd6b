package io.livedesk.bench.sockets;

import io.livedesk.bench.BenchMain;
import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.bench.load.ProcInfo;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Media servers over real sockets (issue 12), in one run so that the comparison is a ratio: LiveDesk bridge
 * nodes, one process per media I/O ({@code ice4j}, {@code netty}), driven over Colibri2, and Janus 1.1 (its
 * videoroom plugin, {@code janus}) as a child process driven over its HTTP API. Synthetic endpoints in this
 * process do real ICE, a real DTLS 1.2 handshake and SRTP over loopback UDP.
 *
 * <p>Scenarios: {@code live} (one sender, N receive-only viewers), {@code calls} (pairs sending to each other,
 * fan-out 1), {@code three} (groups of three, each sending one stream and receiving the other two, fan-out 2).
 * Every receiver decrypts and checks every packet against what was sent on the stream it expects on that SSRC
 * (a server may rewrite SSRC, sequence number and timestamp, as Janus does) and records the time the server
 * added. Reported per target: forwarded SRTP packets per server-process CPU-second (user + system time from
 * /proc), p50/p99 added latency, packets lost or bad, and the ratio of each LiveDesk row to Janus's.
 *
 * <p>{@code --simulcast} (live only) makes the sender simulcast three VP8 layers by rid; every second viewer shows video
 * {@value SimulcastLayers#CAPPED_HEIGHT} px high (LiveDesk: {@code maxVideoHeight}; Janus: {@code configure} with
 * substream 0). Each receiver checks the one layer the server rewrites onto its SSRC ({@link LayerCheck}); the report
 * says per target which layer receivers ended on.
 *
 * <p>{@code relay} (LiveDesk only): two bridge processes per media I/O joined by a relay, opened over Colibri2
 * {@code relays} as signaling opens one ({@link RelayTarget}); one sender on bridge A, {@code --receivers} viewers on
 * A and as many on B, so that the run compares the same fan-out with and without the relay: copies per CPU-second
 * of each bridge process and of both, each side's added latency, and the relay's packet counters against the packets
 * sent ({@link RelayResult}).
 *
 * <p>With {@code janus} among the targets the run happens in a private network namespace
 * ({@link LoopbackNamespace}): Janus gathers no loopback candidates otherwise.
 */
@Command(name = "sockets", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Real-socket forwarding: LiveDesk bridge processes (one per media I/O) and Janus's videoroom, "
                + "synthetic ICE/DTLS/SRTP endpoints over loopback; forwarded packets per server CPU-second.",
                "With janus among the targets it re-runs itself in a private network namespace (unshare --net; "
                        + "root), so that Janus's ICE stays on a loopback address."})
public final class SocketBenchmark implements Callable<Integer> {
    /** One endpoint's ICE and DTLS. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);
    /** How long the sender threads get to stop. */
    private static final Duration SENDER_STOP_TIMEOUT = Duration.ofSeconds(2);
    private static final String JANUS = "janus";

    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = {"--targets", "--io"}, split = ",", description = "servers to compare: LiveDesk media I/Os "
            + "(ice4j, netty) and janus; default ${DEFAULT-VALUE}")
    List<String> targets = List.of("ice4j", "netty");
    @Option(names = "--scenario", description = "live (one sender, --receivers viewers), calls (--pairs pairs, "
            + "each sending to the other), three (--groups groups of three, each receiving the other two) or relay "
            + "(two bridges joined by a relay: one sender and --receivers viewers on A, --receivers viewers on B; "
            + "LiveDesk I/Os only); default ${DEFAULT-VALUE}")
    String scenario = "live";
    @Option(names = "--receivers", description = "live: viewers of the one sender; default ${DEFAULT-VALUE}")
    int receivers = 50;
    @Option(names = "--pairs", description = "calls: pairs of endpoints; default ${DEFAULT-VALUE}")
    int pairs = 20;
    @Option(names = "--groups", description = "three: groups of three endpoints; default ${DEFAULT-VALUE}")
    int groups = 10;
    @Option(names = "--simulcast", description = "live: the sender simulcasts three VP8 layers by rid (f/h/q, each "
            + "--rate packets/s); every second viewer shows video 180 px high (LiveDesk: maxVideoHeight; Janus: substream 0)")
    boolean simulcast;
    @Option(names = "--rate", description = "packets per second each sender sends; default ${DEFAULT-VALUE}")
    int rate = 1000;
    @Option(names = "--warmup", description = "warm-up seconds; default ${DEFAULT-VALUE}")
    double warmupSeconds = 5;
    @Option(names = "--duration", description = "measured seconds; default ${DEFAULT-VALUE}")
    double durationSeconds = 15;
    @Option(names = "--connect-parallelism", description = "endpoints connected at once; default ${DEFAULT-VALUE}")
    int connectParallelism = 8;
    @Option(names = "--bridge-heap", description = "a LiveDesk bridge process's -Xmx; default ${DEFAULT-VALUE}")
    String heap = "1g";
    @Option(names = "--bridge-jvm", split = " ", description = "more JVM options for the bridge process, e.g. "
            + "\"-XX:StartFlightRecording=filename=bridge.jfr\" (the I/O's name is appended to a filename)")
    List<String> bridgeJvm = List.of();
    @Option(names = "--janus-bin", description = "the janus executable; default ${DEFAULT-VALUE}")
    String janusBinary = "janus";
    @Option(names = "--janus-lib", description = "the folder with Janus's plugins/ and transports/; "
            + "default: the first of " + "/usr/lib/<arch>/janus, /usr/lib/janus, /usr/local/lib/janus, /opt/janus/lib/janus")
    Path janusLibrary;
    @Option(names = "--janus-event-loops", description = "Janus's event_loops: 0 for its default, a thread per "
            + "handle; default ${DEFAULT-VALUE}")
    int janusEventLoops = 0;
    @Option(names = "--janus-debug-level", description = "Janus's log level, 0-7; default ${DEFAULT-VALUE} (warnings)")
    int janusDebugLevel = 3;
    @Option(names = "--janus-start-timeout", description = "seconds until Janus's API answers; default ${DEFAULT-VALUE}")
    long janusStartSeconds = 30;
    @Option(names = "--janus-request-timeout", description = "seconds for one Janus API request and its event; "
            + "default ${DEFAULT-VALUE}")
    long janusRequestSeconds = 30;
    @Option(names = "--receive", description = "how the synthetic endpoints read: shared (one thread per core for"
            + " all, see SharedReceiver) or per-peer (a blocked thread each, as in the first runs); default ${DEFAULT-VALUE}")
    String receive = "shared";
    @Mixin
    Report report = new Report();

    /**
     * @param allocatedPerPacket  bytes the server's JVM allocated per forwarded packet in the window; negative when
     *                            the server cannot tell (Janus)
     * @param cpuSeconds          the server process's user + system time in the measured window
     * @param generatorCpuSeconds this process's (the synthetic endpoints') in the same window
     */
    record Result(String target, long sent, long forwardedExpected, long received, long bad, String firstBad,
                  String problems, int endpoints, double cpuSeconds, double generatorCpuSeconds, double seconds,
                  Histogram latency, double allocatedPerPacket, String layers) {
        double perCpuSecond() {
            return cpuSeconds <= 0 ? 0 : received / cpuSeconds;
        }

        double lossPercent() {
            return forwardedExpected == 0 ? 0 : 100.0 * Math.max(0, forwardedExpected - received) / forwardedExpected;
        }

        boolean isJanus() {
            return target.startsWith(JANUS);
        }
    }

    @Override
    public Integer call() throws Exception {
        Scenario plan = Scenario.of(scenario, receivers, pairs, groups, simulcast);
        if (plan.name().equals("relay")) {
            return relay(plan);
        }
        String janusIce = null;
        if (targets.stream().anyMatch(t -> t.startsWith(JANUS))) {
            Optional<String> alias = LoopbackNamespace.aliasAddress();
            if (alias.isEmpty()) {
                if (LoopbackNamespace.inside()) {
                    throw new IllegalStateException("no loopback address on a non-loopback interface in this namespace");
                }
                System.err.println("janus: re-running in a private network namespace with " + LoopbackNamespace.ALIAS
                        + " on " + LoopbackNamespace.INTERFACE + " (Janus gathers no candidates on lo)");
                return LoopbackNamespace.rerunInside(BenchMain.class,
                        spec.root().commandLine().getParseResult().originalArgs());
            }
            janusIce = alias.get();
        }
        QuietLogs.apply();
        List<Result> results = new ArrayList<>();
        for (String target : targets) {
            results.add(run(target, plan, janusIce));
        }
        return report.print(new Report.Printable() {
            @Override
            public String text() {
                return SocketBenchmark.this.text(plan, results);
            }

            @Override
            public String json() {
                return SocketBenchmark.this.json(results);
            }
        });
    }

    /** The relay scenario: its own runs, one per LiveDesk I/O, and its own report. */
    private int relay(Scenario plan) throws Exception {
        if (targets.stream().anyMatch(t -> t.startsWith(JANUS))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the relay scenario is for LiveDesk bridges only");
        }
        QuietLogs.apply();
        List<RelayResult> results = new ArrayList<>();
        for (String io : targets) {
            results.add(runRelay(io, plan));
        }
        return report.print(new Report.Printable() {
            @Override
            public String text() {
                StringBuilder out = new StringBuilder(header(plan));
                results.forEach(r -> out.append(r.text()));
                return out.toString().stripTrailing();
            }

            @Override
            public String json() {
                StringBuilder out = new StringBuilder("{\"tool\":\"livedesk-bench sockets\",\"scenario\":\"relay\",\"rate\":"
                        + rate + ",\"receivers\":" + receivers + ",\"cpus\":" + Runtime.getRuntime().availableProcessors()
                        + ",\"results\":[");
                for (int i = 0; i < results.size(); i++) {
                    out.append(i == 0 ? "" : ",").append(results.get(i).json());
                }
                return out.append("]}").toString();
            }
        });
    }

    private RelayResult runRelay(String io, Scenario plan) throws Exception {
        Recorder latencyA = new Recorder(3);
        Recorder latencyB = new Recorder(3);
        try (SharedReceiver shared = receive.equals("shared")
                     ? new SharedReceiver(Runtime.getRuntime().availableProcessors()) : null;
             Peers onA = new Peers(latencyA, shared); Peers onB = new Peers(latencyB, shared);
             RelayTarget target = RelayTarget.start(io, heap, bridgeJvm, CONNECT_TIMEOUT, connectParallelism)) {
            Flow flow = target.connect(plan, onA, onB);
            LongAdder[] sent = new LongAdder[1];
            Thread[] senders = startSenders(List.of(flow), sent);
            sleep(warmupSeconds);
            long aBefore = onA.received();
            long bBefore = onB.received();
            long badBefore = onA.bad() + onB.bad();
            long sentBefore = sent[0].sum();
            long relayOutBefore = target.relayOnA().packetsOut();
            long relayInBefore = target.relayOnB().packetsIn();
            double cpuABefore = ProcInfo.cpuSeconds(target.pidA());
            double cpuBBefore = ProcInfo.cpuSeconds(target.pidB());
            double generatorBefore = ProcInfo.cpuSeconds(ProcessHandle.current().pid());
            latencyA.getIntervalHistogram();
            latencyB.getIntervalHistogram();
            long started = System.nanoTime();
            sleep(durationSeconds);
            double seconds = (System.nanoTime() - started) / 1e9;
            long sentInWindow = sent[0].sum() - sentBefore;
            double cpuA = ProcInfo.cpuSeconds(target.pidA()) - cpuABefore;
            double cpuB = ProcInfo.cpuSeconds(target.pidB()) - cpuBBefore;
            double generator = ProcInfo.cpuSeconds(ProcessHandle.current().pid()) - generatorBefore;
            Histogram windowA = latencyA.getIntervalHistogram();
            Histogram windowB = latencyB.getIntervalHistogram();
            long receivedA = onA.received() - aBefore;
            long receivedB = onB.received() - bBefore;
            long bad = onA.bad() + onB.bad() - badBefore;
            long relayOut = target.relayOnA().packetsOut() - relayOutBefore;
            long relayIn = target.relayOnB().packetsIn() - relayInBefore;
            for (Thread t : senders) {
                t.interrupt();
                t.join(SENDER_STOP_TIMEOUT.toMillis());
            }
            String firstBad = onA.firstBadReason() != null ? onA.firstBadReason() : onB.firstBadReason();
            return new RelayResult(target.name(), sentInWindow, receivers, receivedA, receivedB, bad, firstBad, cpuA,
                    cpuB, generator, seconds, windowA, windowB, relayOut, relayIn);
        }
    }

    private String header(Scenario plan) {
        return String.format(Locale.ROOT,
                "scenario %s, %s, %d packets/s per sender (%,d forwarded/s offered), %.0f s measured after %.0f s warm-up,"
                        + " %s receive%n",
                plan.name(), plan.describe(), rate, (long) rate * plan.copiesPerRound(), durationSeconds, warmupSeconds,
                receive);
    }

    private Target start(String target, String janusIce) throws Exception {
        if (target.equals(JANUS)) {
            return JanusTarget.start(new JanusTarget.Options(janusBinary,
                    janusLibrary != null ? janusLibrary : JanusConfig.findLibraryFolder(), janusIce, janusDebugLevel,
                    janusEventLoops, Duration.ofSeconds(janusStartSeconds), Duration.ofSeconds(janusRequestSeconds),
                    CONNECT_TIMEOUT, connectParallelism));
        }
        return LiveDeskTarget.start(target, heap, bridgeJvm.stream().map(o -> o.replace(".jfr", "-" + target + ".jfr")).toList(),
                CONNECT_TIMEOUT, connectParallelism);
    }

    private Result run(String name, Scenario plan, String janusIce) throws Exception {
        Recorder latency = new Recorder(3);
        try (SharedReceiver shared = receive.equals("shared")
                     ? new SharedReceiver(Runtime.getRuntime().availableProcessors()) : null;
             Peers peers = new Peers(latency, shared); Target target = start(name, janusIce)) {
            List<Flow> flows = target.connect(plan, peers);
            LongAdder[] sent = new LongAdder[flows.size()];
            Thread[] senders = startSenders(flows, sent);
            // A first scrape registers the bridge's per-endpoint meters: during the warm-up, not the window.
            target.allocatedBytes();
            sleep(warmupSeconds);
            long receivedBefore = peers.received();
            long badBefore = peers.bad();
            long[] sentBefore = sums(sent);
            double cpuBefore = ProcInfo.cpuSeconds(target.pid());
            double generatorBefore = ProcInfo.cpuSeconds(ProcessHandle.current().pid());
            long allocatedBefore = target.allocatedBytes();
            latency.getIntervalHistogram(); // drop the warm-up's
            long started = System.nanoTime();
            sleep(durationSeconds);
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] sentAfter = sums(sent);
            double cpu = ProcInfo.cpuSeconds(target.pid()) - cpuBefore;
            long allocatedAfter = target.allocatedBytes();
            double generator = ProcInfo.cpuSeconds(ProcessHandle.current().pid()) - generatorBefore;
            Histogram window = latency.getIntervalHistogram();
            long received = peers.received() - receivedBefore;
            long bad = peers.bad() - badBefore;
            for (Thread t : senders) {
                t.interrupt();
                t.join(SENDER_STOP_TIMEOUT.toMillis());
            }
            long sentTotal = 0;
            long expected = 0;
            for (int i = 0; i < flows.size(); i++) {
                long n = sentAfter[i] - sentBefore[i];
                sentTotal += n;
                expected += n * flows.get(i).receivers().size();
            }
            return new Result(target.name(), sentTotal, expected, received, bad, peers.firstBadReason(),
                    target.problems(), peers.count(), cpu, generator, seconds, window,
                    AllocatedBytes.perPacket(allocatedBefore, allocatedAfter, received),
                    plan.simulcast() ? layers(peers.layerChecks()) : null);
        }
    }

    /**
     * Which layer receivers ended on (their last packet's) against the one they should, the packets each layer
     * brought over the whole run, the packets of a layer other than a receiver's own (while it climbed), switches.
     */
    static String layers(List<LayerCheck> checks) {
        StringBuilder out = new StringBuilder("receivers on");
        for (SimulcastLayers.Layer l : SimulcastLayers.LAYERS) {
            long on = checks.stream().filter(c -> c.current() == l).count();
            long should = checks.stream().filter(c -> c.expected() == l).count();
            long packets = checks.stream().mapToLong(c -> c.received(l.index())).sum();
            out.append(String.format(Locale.ROOT, " %s (%dp) %d of %d expected [%,d packets];", l.rid(), l.height(),
                    on, should, packets));
        }
        long none = checks.stream().filter(c -> c.current() == null).count();
        return out.append(String.format(Locale.ROOT, " none %d; off-layer packets %,d; switches %d", none,
                checks.stream().mapToLong(LayerCheck::offLayer).sum(),
                checks.stream().mapToLong(LayerCheck::switches).sum())).toString();
    }

    private static long[] sums(LongAdder[] adders) {
        long[] out = new long[adders.length];
        for (int i = 0; i < adders.length; i++) {
            out[i] = adders[i].sum();
        }
        return out;
    }

    /** One thread per sender, paced to {@code rate}: 30 frames a second, the frame's last packet marked. */
    private Thread[] startSenders(List<Flow> flows, LongAdder[] sent) {
        Thread[] threads = new Thread[flows.size()];
        for (int i = 0; i < flows.size(); i++) {
            Flow flow = flows.get(i);
            LongAdder counter = sent[i] = new LongAdder();
            Thread t = new Thread(() -> {
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                long next = System.nanoTime();
                int perFrame = Math.max(1, rate / 30);
                long n = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        long frame = n / perFrame;
                        boolean marker = ++n % perFrame == 0;
                        if (flow.layer() != null) {
                            flow.sender().sendLayer(flow.layer(), marker,
                                    frame % SimulcastLayers.KEYFRAME_INTERVAL_FRAMES == 0);
                        } else {
                            flow.sender().send(flow.ssrc(), marker);
                        }
                    } catch (Exception e) {
                        return;
                    }
                    counter.increment();
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }, "bench-sender-" + i);
            t.setDaemon(true);
            t.start();
            threads[i] = t;
        }
        return threads;
    }

    private String text(Scenario plan, List<Result> results) {
        StringBuilder out = new StringBuilder(header(plan));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT,
                    "  %-6s forwarded %,d (%.0f/s), lost %.3f %%, bad %d; server CPU %.2f s (%.2f cores) ->"
                            + " %,.0f forwarded per CPU-second; added latency p50 %.3f ms p99 %.3f ms max %.3f ms;"
                            + " allocated %s B/packet; %d endpoints; load generator %.2f cores%n",
                    r.target(), r.received(), r.received() / r.seconds(), r.lossPercent(), r.bad(),
                    r.cpuSeconds(), r.cpuSeconds() / r.seconds(), r.perCpuSecond(),
                    r.latency().getValueAtPercentile(50) / 1000.0, r.latency().getValueAtPercentile(99) / 1000.0,
                    r.latency().getMaxValue() / 1000.0, AllocatedBytes.format(r.allocatedPerPacket(), "n/a"),
                    r.endpoints(), r.generatorCpuSeconds() / r.seconds()));
            if (r.layers() != null) {
                out.append("         simulcast: ").append(r.layers()).append('\n');
            }
            if (r.firstBad() != null) {
                out.append("         first bad packet: ").append(r.firstBad()).append('\n');
            }
            if (r.problems() != null) {
                out.append("         ").append(r.problems()).append('\n');
            }
        }
        Optional<Result> janus = results.stream().filter(Result::isJanus).findFirst();
        if (janus.isPresent() && janus.get().perCpuSecond() > 0) {
            for (Result r : results) {
                if (!r.isJanus()) {
                    out.append(String.format(Locale.ROOT, "  ratio %s / %s per CPU-second: %.2f%n", r.target(),
                            janus.get().target(), r.perCpuSecond() / janus.get().perCpuSecond()));
                }
            }
        } else if (results.size() == 2 && results.get(0).perCpuSecond() > 0) {
            out.append(String.format(Locale.ROOT, "  ratio %s / %s per CPU-second: %.2f%n", results.get(1).target(),
                    results.get(0).target(), results.get(1).perCpuSecond() / results.get(0).perCpuSecond()));
        }
        return out.toString().stripTrailing();
    }

    private String json(List<Result> results) {
        StringBuilder out = new StringBuilder("{\"tool\":\"livedesk-bench sockets\",\"scenario\":\"" + scenario
                + "\",\"receive\":\"" + receive + "\",\"rate\":" + rate + ",\"receivers\":" + receivers + ",\"pairs\":" + pairs + ",\"groups\":" + groups
                + ",\"cpus\":" + Runtime.getRuntime().availableProcessors() + ",\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"target\":\"%s\",\"received\":%d,\"expected\":%d,\"bad\":%d,\"endpoints\":%d,"
                            + "\"serverCpuSeconds\":%.3f,\"generatorCpuSeconds\":%.3f,"
                            + "\"seconds\":%.3f,\"perCpuSecond\":%.0f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,"
                            + "\"allocatedBytesPerPacket\":%s}",
                    r.target(), r.received(), r.forwardedExpected(), r.bad(), r.endpoints(), r.cpuSeconds(),
                    r.generatorCpuSeconds(), r.seconds(),
                    r.perCpuSecond(), r.latency().getValueAtPercentile(50) / 1000.0,
                    r.latency().getValueAtPercentile(99) / 1000.0, r.latency().getMaxValue() / 1000.0,
                    AllocatedBytes.format(r.allocatedPerPacket(), "null")));
        }
        return out.append("]}").toString();
    }

    private static void sleep(double seconds) throws InterruptedException {
        // The warm-up and the measured window are durations to wait, not conditions.
        Thread.sleep((long) (seconds * 1000));
    }
}
