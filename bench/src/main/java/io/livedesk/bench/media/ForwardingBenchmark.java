package io.livedesk.bench.media;

import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.bridge.BenchBridges;
import io.livedesk.media.bridge.BridgeConfig;
import io.livedesk.media.bridge.EndpointLink;
import io.livedesk.media.bridge.LocalBridge;
import io.livedesk.media.transport.SrtpKeys;
import io.livedesk.media.transport.SrtpSession;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Forwarding benchmark of the media bridge, in one JVM and without sockets.
 *
 * <p>Each synthetic endpoint ("browser") has real jitsi-srtp contexts keyed like a finished DTLS-SRTP
 * handshake: the browser side protects realistic RTP (VP8-sized video in frames of several packets,
 * Opus-sized audio, one-byte header extensions) on a generator thread; a bridge worker thread plays
 * the bridge transport's receive thread: SRTP unprotect in place with the bridge's {@link SrtpSession},
 * then the real packet path (the endpoint's packet listener: accounting, SSRC routing, NACK cache,
 * fan-out), then, per receiver, the bridge's real send path as {@code EndpointTransport} does it (copy
 * into a {@code PacketBuffer}, SRTP protect with that receiver's keys), ending in an in-memory sink
 * instead of {@code component.send} (no UDP syscall, no ice4j). Endpoints are created with
 * {@link LocalBridge#apply} (ICE agents are allocated but never used; links are wrapped).
 *
 * <p>Per core = forwarded packets / worker-thread CPU seconds. Added latency = from the moment the
 * generator hands the protected packet over (realistic pacing) or the worker takes it (max pacing)
 * until that receiver's copy is protected and handed to the sink.
 */
@Command(name = "forwarding", mixinStandardHelpOptions = true,
        description = "Drives the bridge's SRTP receive path, routing and per-receiver SRTP send path.")
public final class ForwardingBenchmark implements Callable<Integer> {
    @Option(names = "--workers", description = "bridge worker threads (like receive threads); default ${DEFAULT-VALUE}")
    int workers = 1;
    @Option(names = "--conferences", description = "conferences per worker; default ${DEFAULT-VALUE}")
    int conferencesPerWorker = 40;
    @Option(names = "--endpoints", description = "endpoints per conference (fan-out = endpoints - 1); default ${DEFAULT-VALUE}")
    int endpointsPerConference = 3;
    @Option(names = "--pace", description = "max: as fast as the worker goes; realistic: real-time streams; default ${DEFAULT-VALUE}")
    String pace = "max";
    @Option(names = "--fps", description = "video frames per second; default ${DEFAULT-VALUE}")
    int fps = 30;
    @Option(names = "--packets-per-frame", description = "video packets per frame; default ${DEFAULT-VALUE}")
    int packetsPerFrame = 8;
    @Option(names = "--warmup", description = "warm-up seconds; default ${DEFAULT-VALUE}")
    double warmupSeconds = 5;
    @Option(names = "--duration", description = "measured seconds; default ${DEFAULT-VALUE}")
    double durationSeconds = 10;
    @Option(names = "--verify", description = "receiving browsers decrypt every forwarded packet (slower; for tests)")
    boolean verify;
    @Mixin
    Report report = new Report();

    @Override
    public Integer call() throws Exception {
        // ICE chatter would drown the numbers.
        QuietLogs.apply();
        return report.print(run());
    }

    /** Runs the benchmark with this object's options. */
    public Result run() throws Exception {
        boolean realistic = switch (pace.toLowerCase(Locale.ROOT)) {
            case "max" -> false;
            case "realistic" -> true;
            default -> throw new IllegalArgumentException("--pace must be max or realistic: " + pace);
        };
        if (workers < 1 || conferencesPerWorker < 1 || endpointsPerConference < 2 || packetsPerFrame < 1 || fps < 1) {
            throw new IllegalArgumentException("need workers >= 1, conferences >= 1, endpoints >= 2");
        }
        String loadBefore = loadAverage();
        SrtpWarm.run();
        BridgeConfig config = BridgeConfig.defaults("127.0.0.1", freeUdpPort())
                .withId("fwdbench").withInactivityTimeout(Duration.ofMinutes(10)).withCapacity(10_000_000);
        PendingLink pending = new PendingLink();
        List<Worker> workerList = new ArrayList<>();
        try (LocalBridge bridge = BenchBridges.open(config, pending)) {
            SecureRandom random = new SecureRandom();
            int ssrcBase = 0x10000000;
            for (int w = 0; w < workers; w++) {
                Worker worker = new Worker(w, verify);
                for (int c = 0; c < conferencesPerWorker; c++) {
                    MeetingId meetingId = new MeetingId("w" + w + "c" + c);
                    List<SyntheticEndpoint> members = new ArrayList<>();
                    for (int e = 0; e < endpointsPerConference; e++) {
                        String id = "e" + e;
                        int video = ssrcBase++;
                        int rtx = ssrcBase++;
                        int audio = ssrcBase++;
                        byte[] material = new byte[SrtpKeys.MATERIAL_LENGTH];
                        random.nextBytes(material);
                        SyntheticEndpoint ep = new SyntheticEndpoint(worker, worker.endpoints.size(), meetingId, id,
                                SrtpKeys.fromExportedMaterial(material), video, audio, members, fps, packetsPerFrame,
                                random.nextLong());
                        pending.next = ep.link;
                        List<MediaSource> sources = List.of(
                                new MediaSource(MediaType.VIDEO, meetingId + id + "v",
                                        List.of(new MediaSource.Ssrc(video & 0xFFFFFFFFL, id),
                                                new MediaSource.Ssrc(rtx & 0xFFFFFFFFL, id)),
                                        List.of(new MediaSource.SsrcGroup("FID",
                                                List.of(video & 0xFFFFFFFFL, rtx & 0xFFFFFFFFL)))),
                                new MediaSource(MediaType.AUDIO, meetingId + id + "a",
                                        List.of(new MediaSource.Ssrc(audio & 0xFFFFFFFFL, id)), List.of()));
                        bridge.apply((e == 0 ? ConferenceRequest.creating(meetingId) : ConferenceRequest.modifying(meetingId)).name(ConferenceNames.of(meetingId))
                                .endpoint(EndpointRequest.creating(id).statsId(id).sources(sources)).build());
                        if (pending.next != null) {
                            throw new IllegalStateException("the bridge did not wrap the link of " + id);
                        }
                        ep.listener = BenchBridges.packetListener(bridge, meetingId, id);
                        members.add(ep);
                        worker.endpoints.add(ep);
                    }
                }
                workerList.add(worker);
            }
            List<MeetingId> meetings = new ArrayList<>();
            workerList.forEach(w -> w.endpoints.forEach(ep -> {
                if (!meetings.contains(ep.meetingId)) {
                    meetings.add(ep.meetingId);
                }
            }));

            for (Worker w : workerList) {
                w.start(realistic);
            }
            sleepSeconds(warmupSeconds);
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long gcCount0 = gcCount();
            long gcMs0 = gcMillis();
            long proc0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long[] sched0 = workerSchedStat(workers);
            for (Worker w : workerList) {
                w.phase = Worker.MEASURE;
            }
            sleepSeconds(durationSeconds);
            long[] sched1 = workerSchedStat(workers);
            for (Worker w : workerList) {
                w.phase = Worker.STOP;
            }
            for (Worker w : workerList) {
                w.join();
            }
            long wall = System.nanoTime() - wall0;
            long proc = os.getProcessCpuTime() - proc0;
            long gcCount = gcCount() - gcCount0;
            long gcMs = gcMillis() - gcMs0;
            for (Worker w : workerList) {
                if (w.failure != null) {
                    throw new IllegalStateException("worker failed", w.failure);
                }
            }
            long dropped = 0;
            long bridgeOut = 0;
            for (MeetingId m : meetings) {
                ConferenceStats s = bridge.conferenceStats(m);
                dropped += s.dropped();
                bridgeOut += s.packetsOut();
            }
            double runqueueWaitShare = sched0 == null || sched1 == null ? -1
                    : (double) (sched1[1] - sched0[1]) / Math.max(1, (sched1[0] - sched0[0]) + (sched1[1] - sched0[1]));
            return Result.of(this, realistic, workerList, wall, proc, gcCount, gcMs, dropped, bridgeOut, runqueueWaitShare,
                    loadBefore, loadAverage());
        }
    }

    private static void sleepSeconds(double s) throws InterruptedException {
        Thread.sleep(Math.max(1, (long) (s * 1000)));
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, b.getCollectionTime());
        }
        return n;
    }

    /**
     * Sum over the worker threads of Linux's schedstat (on-CPU ns, ns runnable but waiting for a CPU):
     * how much the machine's other load kept the workers off the CPU. Null when unavailable.
     */
    static long[] workerSchedStat(int workers) {
        long[] sum = new long[2];
        int found = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    continue;
                }
                if (comm.startsWith("fwdw-")) {
                    String[] f = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                    sum[0] += Long.parseLong(f[0]);
                    sum[1] += Long.parseLong(f[1]);
                    found++;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return found == workers ? sum : null;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** The bridge's link wrapper: hands out the in-memory link of the endpoint being created. */
    private static final class PendingLink implements java.util.function.UnaryOperator<EndpointLink> {
        BenchLink next;

        @Override
        public EndpointLink apply(EndpointLink real) {
            BenchLink link = next;
            if (link == null) {
                throw new IllegalStateException("unexpected endpoint");
            }
            next = null;
            link.real = real;
            return link;
        }
    }

    /** jitsi-srtp's first use is slow; the bridge constructor warms it too, this warms the browser side. */
    private static final class SrtpWarm {
        static void run() throws GeneralSecurityException {
            byte[] material = new byte[SrtpKeys.MATERIAL_LENGTH];
            new SecureRandom().nextBytes(material);
            SrtpKeys keys = SrtpKeys.fromExportedMaterial(material);
            try (SrtpSession s = new SrtpSession(keys, "fwdbench-warmup")) {
                byte[] rtp = new byte[200];
                rtp[0] = (byte) 0x80;
                rtp[1] = 96;
                s.protectRtp(new io.livedesk.media.transport.PacketBuffer(rtp, 0, 172));
            }
        }
    }

    /** What one run measured. */
    public record Result(int workers, int conferences, int endpoints, int fanOut, String pace,
                         double seconds, long inputPackets, long forwardedPackets, long rtcpSent,
                         double forwardedPerSecond, double workerCpuSeconds, double forwardedPerCpuSecond,
                         double processCpuSeconds, double browserCpuSeconds, double bridgeProcessCpuSeconds,
                         double forwardedPerBridgeProcessCpuSecond, double forwardedMbps,
                         double p50Micros, double p90Micros, double p99Micros, double p999Micros, double maxMicros,
                         double allocBytesPerForwarded, double allocMBPerSecond, long gcCount, long gcMillis,
                         long bridgeDropped, long bridgePacketsOut, long verifiedOk, long verifyFailed,
                         long generatorBlocked, double workerRunqueueWaitShare, double serviceP50Micros,
                         double serviceP99Micros, String loadBefore, String loadAfter)
            implements Report.Printable {
        static Result of(ForwardingBenchmark o, boolean realistic, List<Worker> ws, long wallNanos, long procNanos,
                         long gcCount, long gcMs, long dropped, long bridgeOut, double runqueueWaitShare,
                         String loadBefore, String loadAfter) {
            Histogram h = new Histogram(3);
            Histogram service = new Histogram(3);
            long in = 0;
            long fwd = 0;
            long bytes = 0;
            long rtcp = 0;
            long cpu = 0;
            long alloc = 0;
            long ok = 0;
            long bad = 0;
            long blocked = 0;
            long browsers = 0;
            for (Worker w : ws) {
                h.add(w.latency);
                service.add(w.service);
                in += w.input;
                fwd += w.forwarded;
                bytes += w.forwardedBytes;
                cpu += w.cpuNanos;
                alloc += w.allocBytes;
                blocked += w.generatorBlocked;
                browsers += w.generatorCpuNanos;
                for (SyntheticEndpoint ep : w.endpoints) {
                    rtcp += ep.link.rtcpSent;
                    ok += ep.verifiedOk;
                    bad += ep.verifyFailed;
                }
            }
            double secs = wallNanos / 1e9;
            double cpuS = cpu / 1e9;
            return new Result(o.workers, o.workers * o.conferencesPerWorker,
                    o.workers * o.conferencesPerWorker * o.endpointsPerConference, o.endpointsPerConference - 1,
                    realistic ? "realistic" : "max", secs, in, fwd, rtcp, fwd / secs, cpuS,
                    cpuS > 0 ? fwd / cpuS : 0, procNanos / 1e9, browsers / 1e9, (procNanos - browsers) / 1e9,
                    procNanos - browsers > 0 ? fwd / ((procNanos - browsers) / 1e9) : 0,
                    bytes * 8 / secs / 1e6,
                    h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                    fwd > 0 ? (double) alloc / fwd : 0, alloc / secs / 1e6, gcCount, gcMs, dropped, bridgeOut, ok, bad,
                    blocked, runqueueWaitShare, service.getValueAtPercentile(50) / 1e3,
                    service.getValueAtPercentile(99) / 1e3, loadBefore, loadAfter);
        }

        @Override
        public String text() {
            return String.format(Locale.ROOT, """
                    forwarding benchmark: %d worker(s), %d conferences x %d endpoints (fan-out %d), pace %s, %.1f s measured
                      input SRTP packets      %,d
                      forwarded SRTP packets  %,d  (%,.0f/s wall, %.1f Mbit/s; RTCP sent by bridge %,d)
                      worker CPU              %.2f s  -> %,.0f forwarded packets per worker-CPU-second (per core)
                      process CPU             %.2f s, of which synthetic browsers %.2f s; bridge share %.2f s
                                              -> %,.0f forwarded per bridge-process-CPU-second (worker + GC + JIT + housekeeper)
                      added latency (us)      p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f
                      of which bridge work    p50 %.1f  p99 %.1f (from the worker taking the packet; the rest is queueing)
                      allocation (worker)     %.0f B per forwarded packet, %.0f MB/s; GCs %d (%d ms)
                      bridge drops            %d; verified by receivers (whole run) ok %d / failed %d; generator waited %d times
                      worker runnable but off-CPU (other load) %.1f%% of its runnable time
                      load average            before %s, after %s
                    """, workers, conferences, endpoints / Math.max(1, conferences), fanOut, pace, seconds,
                    inputPackets, forwardedPackets, forwardedPerSecond, forwardedMbps, rtcpSent,
                    workerCpuSeconds, forwardedPerCpuSecond, processCpuSeconds, browserCpuSeconds,
                    bridgeProcessCpuSeconds, forwardedPerBridgeProcessCpuSecond,
                    p50Micros, p90Micros, p99Micros, p999Micros, maxMicros, serviceP50Micros, serviceP99Micros,
                    allocBytesPerForwarded, allocMBPerSecond, gcCount, gcMillis,
                    bridgeDropped, verifiedOk, verifyFailed, generatorBlocked, workerRunqueueWaitShare * 100,
                    loadBefore, loadAfter);
        }

        @Override
        public String json() {
            return String.format(Locale.ROOT, "{\"benchmark\":\"media-forwarding\",\"workers\":%d,\"conferences\":%d,"
                            + "\"endpoints\":%d,\"fanOut\":%d,\"pace\":\"%s\",\"seconds\":%.3f,\"inputPackets\":%d,"
                            + "\"forwardedPackets\":%d,\"forwardedPerSecond\":%.0f,\"workerCpuSeconds\":%.3f,"
                            + "\"forwardedPerCpuSecond\":%.0f,\"processCpuSeconds\":%.3f,\"browserCpuSeconds\":%.3f,"
                            + "\"bridgeProcessCpuSeconds\":%.3f,\"forwardedPerBridgeProcessCpuSecond\":%.0f,"
                            + "\"forwardedMbps\":%.1f,\"latencyMicros\":{\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,"
                            + "\"max\":%.1f},\"serviceMicros\":{\"p50\":%.1f,\"p99\":%.1f},\"allocBytesPerForwarded\":%.1f,\"allocMBPerSecond\":%.1f,\"gcCount\":%d,"
                            + "\"gcMillis\":%d,\"bridgeDropped\":%d,\"rtcpSent\":%d,\"verifiedOk\":%d,\"verifyFailed\":%d,"
                            + "\"generatorBlocked\":%d,\"workerRunqueueWaitShare\":%.3f,\"loadBefore\":\"%s\",\"loadAfter\":\"%s\"}",
                    workers, conferences, endpoints, fanOut, pace, seconds, inputPackets, forwardedPackets,
                    forwardedPerSecond, workerCpuSeconds, forwardedPerCpuSecond, processCpuSeconds,
                    browserCpuSeconds, bridgeProcessCpuSeconds, forwardedPerBridgeProcessCpuSecond, forwardedMbps, p50Micros, p90Micros, p99Micros, p999Micros,
                    maxMicros, serviceP50Micros, serviceP99Micros, allocBytesPerForwarded, allocMBPerSecond, gcCount,
                    gcMillis, bridgeDropped, rtcpSent, verifiedOk, verifyFailed, generatorBlocked,
                    workerRunqueueWaitShare, loadBefore, loadAfter);
        }
    }
}
