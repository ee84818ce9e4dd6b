package io.livedesk.bench.sockets;

import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.bench.load.ProcInfo;
import io.livedesk.media.api.Bridge;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.colibri.Colibri2Client;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The bridge over real sockets (issue 12): a bridge node in its own process per media I/O, and synthetic
 * endpoints in this one doing real ICE, a real DTLS 1.2 handshake and SRTP over loopback UDP, driven through
 * the Colibri2 REST API. Scenarios: {@code calls} (pairs sending to each other, fan-out 1) and {@code live}
 * (one sender, N receive-only viewers). Each receiver decrypts and checks every packet and records the time
 * the bridge added. Reported per I/O, in one run so the comparison is a ratio: forwarded SRTP packets per
 * bridge-process CPU-second, p50/p99 added latency, packets lost or bad, and bytes the bridge allocated per
 * forwarded packet ({@link AllocatedBytes}).
 */
@Command(name = "sockets", mixinStandardHelpOptions = true,
        description = "Real-socket forwarding: bridge process per media I/O, synthetic ICE/DTLS/SRTP endpoints.")
public final class SocketBenchmark implements Callable<Integer> {
    @Option(names = "--io", split = ",", description = "media I/O to compare, each optionally with more bridge options"
            + " (\"netty --io-threads 2\"); default ${DEFAULT-VALUE}")
    List<String> ios = List.of("ice4j", "netty");
    @Option(names = "--scenario", description = "calls or live; default ${DEFAULT-VALUE}")
    String scenario = "live";
    @Option(names = "--receivers", description = "live: viewers of the one sender; default ${DEFAULT-VALUE}")
    int receivers = 50;
    @Option(names = "--pairs", description = "calls: pairs of endpoints; default ${DEFAULT-VALUE}")
    int pairs = 20;
    @Option(names = "--rate", description = "packets per second each sender sends; default ${DEFAULT-VALUE}")
    int rate = 1000;
    @Option(names = "--warmup", description = "warm-up seconds; default ${DEFAULT-VALUE}")
    double warmupSeconds = 5;
    @Option(names = "--duration", description = "measured seconds; default ${DEFAULT-VALUE}")
    double durationSeconds = 15;
    @Option(names = "--bridge-heap", description = "the bridge process's -Xmx; default ${DEFAULT-VALUE}")
    String heap = "1g";
    @Option(names = "--bridge-jvm", split = " ", description = "more JVM options for the bridge process, e.g. "
            + "\"-XX:StartFlightRecording=filename=bridge.jfr\" (the I/O's name is appended to a filename)")
    List<String> bridgeJvm = List.of();
    @Option(names = "--receive", description = "how the synthetic endpoints read: shared (one thread for all,"
            + " see SharedReceiver) or per-peer (a blocked thread each, as in the first runs); default ${DEFAULT-VALUE}")
    String receive = "shared";
    @Mixin
    Report report = new Report();

    record Result(String io, long sent, long forwardedExpected, long received, long bad, double bridgeCpuSeconds,
                  double seconds, Histogram latency, double allocatedPerPacket) {
        double perCpuSecond() {
            return bridgeCpuSeconds <= 0 ? 0 : received / bridgeCpuSeconds;
        }

        double lossPercent() {
            return forwardedExpected == 0 ? 0 : 100.0 * Math.max(0, forwardedExpected - received) / forwardedExpected;
        }
    }

    @Override
    public Integer call() throws Exception {
        QuietLogs.apply();
        if (!receive.equals("shared") && !receive.equals("per-peer")) {
            throw new IllegalArgumentException("--receive must be shared or per-peer: " + receive);
        }
        List<Result> results = new ArrayList<>();
        for (String io : ios) {
            results.add(run(io));
        }
        return report.print(new Report.Printable() {
            @Override
            public String text() {
                StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                        "scenario %s, %s, %d packets/s per sender, %.0f s measured after %.0f s warm-up, %s receive%n",
                        scenario,
                        scenario.equals("live") ? receivers + " viewers" : pairs + " pairs", rate, durationSeconds,
                        warmupSeconds, receive));
                for (Result r : results) {
                    out.append(String.format(Locale.ROOT,
                            "  %-6s forwarded %,d (%.0f/s), lost %.3f %%, bad %d; bridge CPU %.2f s (%.2f cores) ->"
                                    + " %,.0f forwarded per CPU-second; added latency p50 %.3f ms p99 %.3f ms max %.3f ms;"
                                    + " allocated %s B/packet%n",
                            r.io(), r.received(), r.received() / r.seconds(), r.lossPercent(), r.bad(),
                            r.bridgeCpuSeconds(), r.bridgeCpuSeconds() / r.seconds(), r.perCpuSecond(),
                            r.latency().getValueAtPercentile(50) / 1000.0, r.latency().getValueAtPercentile(99) / 1000.0,
                            r.latency().getMaxValue() / 1000.0, AllocatedBytes.format(r.allocatedPerPacket(), "n/a")));
                }
                if (results.size() == 2 && results.get(0).perCpuSecond() > 0) {
                    out.append(String.format(Locale.ROOT, "  ratio %s / %s per CPU-second: %.2f",
                            results.get(1).io(), results.get(0).io(),
                            results.get(1).perCpuSecond() / results.get(0).perCpuSecond()));
                }
                return out.toString();
            }

            @Override
            public String json() {
                StringBuilder out = new StringBuilder("{\"tool\":\"livedesk-bench sockets\",\"scenario\":\"" + scenario
                        + "\",\"receive\":\"" + receive + "\",\"rate\":" + rate + ",\"receivers\":" + receivers + ",\"pairs\":" + pairs
                        + ",\"cpus\":" + Runtime.getRuntime().availableProcessors() + ",\"results\":[");
                for (int i = 0; i < results.size(); i++) {
                    Result r = results.get(i);
                    out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                            "{\"io\":\"%s\",\"received\":%d,\"expected\":%d,\"bad\":%d,\"bridgeCpuSeconds\":%.3f,"
                                    + "\"seconds\":%.3f,\"perCpuSecond\":%.0f,\"p50Ms\":%.3f,\"p99Ms\":%.3f,\"maxMs\":%.3f,"
                                    + "\"allocatedBytesPerPacket\":%s}",
                            r.io(), r.received(), r.forwardedExpected(), r.bad(), r.bridgeCpuSeconds(), r.seconds(),
                            r.perCpuSecond(), r.latency().getValueAtPercentile(50) / 1000.0,
                            r.latency().getValueAtPercentile(99) / 1000.0, r.latency().getMaxValue() / 1000.0,
                            AllocatedBytes.format(r.allocatedPerPacket(), "null")));
                }
                return out.append("]}").toString();
            }
        });
    }

    /** One sender and who receives it. */
    private record Flow(SrtpPeer sender, long ssrc, List<SrtpPeer> receivers) {
    }

    private Result run(String io) throws Exception {
        Recorder latency = new Recorder(3);
        List<SrtpPeer> peers = new ArrayList<>();
        try (SharedReceiver shared = receive.equals("shared")
                     ? new SharedReceiver(Runtime.getRuntime().availableProcessors()) : null;
             BridgeProcess bridgeProcess = BridgeProcess.start(io, heap,
                bridgeJvm.stream().map(o -> o.replace(".jfr", "-" + io.replaceAll("[^A-Za-z0-9.]+", "_") + ".jfr")).toList());
             Colibri2Client bridge = new Colibri2Client("bench-" + io, Colibri2Client.Options.of(URI.create(bridgeProcess.colibriUrl())))) {
            List<Flow> flows = build(bridge, peers, latency, shared);
            long[] counters = new long[1];
            Thread[] senders = startSenders(flows, counters);
            // A first scrape registers the bridge's per-endpoint meters: during the warm-up, not the window.
            AllocatedBytes allocated = new AllocatedBytes(bridgeProcess.colibriUrl());
            allocated.read();
            sleep(warmupSeconds);
            long allocatedBefore = allocated.read();
            long receivedBefore = received(peers);
            long badBefore = bad(peers);
            long sentBefore = counters[0];
            double cpuBefore = ProcInfo.cpuSeconds(bridgeProcess.pid());
            latency.getIntervalHistogram(); // drop the warm-up's
            long started = System.nanoTime();
            sleep(durationSeconds);
            double seconds = (System.nanoTime() - started) / 1e9;
            long sent = counters[0] - sentBefore;
            double cpu = ProcInfo.cpuSeconds(bridgeProcess.pid()) - cpuBefore;
            long allocatedAfter = allocated.read();
            Histogram window = latency.getIntervalHistogram();
            long received = received(peers) - receivedBefore;
            long bad = bad(peers) - badBefore;
            for (Thread t : senders) {
                t.interrupt();
                t.join(2_000);
            }
            int fanOut = flows.get(0).receivers().size();
            return new Result(io, sent, sent * fanOut, received, bad, cpu, seconds, window,
                    AllocatedBytes.perPacket(allocatedBefore, allocatedAfter, received));
        } finally {
            peers.forEach(SrtpPeer::close);
        }
    }

    /** The conference(s) on the bridge, every endpoint connected (ICE, DTLS, SRTP keys) before it returns. */
    private List<Flow> build(Bridge bridge, List<SrtpPeer> peers, Recorder latency, SharedReceiver shared)
            throws Exception {
        List<Flow> flows = new ArrayList<>();
        if (scenario.equals("live")) {
            MeetingId meeting = new MeetingId("bench-live");
            SrtpPeer host = new SrtpPeer("host", latency, shared);
            peers.add(host);
            Map<String, SrtpPeer> endpoints = new LinkedHashMap<>();
            endpoints.put("host", host);
            for (int i = 0; i < receivers; i++) {
                SrtpPeer viewer = new SrtpPeer("v" + i, latency, shared);
                peers.add(viewer);
                endpoints.put("v" + i, viewer);
            }
            connect(bridge, meeting, endpoints, Map.of("host", 0x11110000L));
            flows.add(new Flow(host, 0x11110000L, peers.subList(1, peers.size())));
        } else if (scenario.equals("calls")) {
            for (int p = 0; p < pairs; p++) {
                SrtpPeer a = new SrtpPeer("a" + p, latency, shared);
                SrtpPeer b = new SrtpPeer("b" + p, latency, shared);
                peers.add(a);
                peers.add(b);
                long ssrcA = 0x20000000L + 2L * p;
                long ssrcB = ssrcA + 1;
                Map<String, SrtpPeer> endpoints = new LinkedHashMap<>();
                endpoints.put("a", a);
                endpoints.put("b", b);
                connect(bridge, new MeetingId("bench-call-" + p), endpoints, Map.of("a", ssrcA, "b", ssrcB));
                flows.add(new Flow(a, ssrcA, List.of(b)));
                flows.add(new Flow(b, ssrcB, List.of(a)));
            }
        } else {
            throw new IllegalArgumentException("scenario must be calls or live: " + scenario);
        }
        return flows;
    }

    private static void connect(Bridge bridge, MeetingId meeting, Map<String, SrtpPeer> endpoints,
                                Map<String, Long> senders) throws Exception {
        ConferenceRequest.Builder request = ConferenceRequest.creating(meeting).name(meeting.value());
        for (Map.Entry<String, SrtpPeer> e : endpoints.entrySet()) {
            Long ssrc = senders.get(e.getKey());
            List<MediaSource> sources = ssrc == null ? List.of() : List.of(new MediaSource(MediaType.VIDEO,
                    e.getKey() + "-v0", List.of(new MediaSource.Ssrc(ssrc, e.getKey())), List.of()));
            request.endpoint(EndpointRequest.creating(e.getKey()).statsId(e.getKey())
                    .remoteTransport(e.getValue().description()).sources(sources).build());
        }
        ConferenceReply reply = bridge.apply(request.build());
        List<String> ids = new ArrayList<>(endpoints.keySet());
        for (int i = 0; i < ids.size(); i++) {
            endpoints.get(ids.get(i)).connect(reply.endpoints().get(i).transport(), Duration.ofSeconds(20));
        }
    }

    /** One thread per sender, paced to {@code rate}: 30 frames a second, the frame's last packet marked. */
    private Thread[] startSenders(List<Flow> flows, long[] sent) {
        Thread[] threads = new Thread[flows.size()];
        for (int i = 0; i < flows.size(); i++) {
            Flow flow = flows.get(i);
            Thread t = new Thread(() -> {
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                long next = System.nanoTime();
                int perFrame = Math.max(1, rate / 30);
                long n = 0;
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        flow.sender().send(flow.ssrc(), ++n % perFrame == 0);
                    } catch (Exception e) {
                        return;
                    }
                    synchronized (sent) {
                        sent[0]++;
                    }
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

    private static long received(List<SrtpPeer> peers) {
        return peers.stream().mapToLong(SrtpPeer::received).sum();
    }

    private static long bad(List<SrtpPeer> peers) {
        return peers.stream().mapToLong(SrtpPeer::bad).sum();
    }

    private static void sleep(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
    }
}
