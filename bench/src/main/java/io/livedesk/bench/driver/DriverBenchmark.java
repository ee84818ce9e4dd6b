package io.livedesk.bench.driver;

import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;
import io.livedesk.media.sdp.Extmap;
import io.livedesk.signaling.media.BridgePool;
import io.livedesk.signaling.media.MemberBridge;
import io.livedesk.testkit.bridge.BridgeNodeProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allocation latency through signaling's bridge driver (issue 13): a {@link BridgePool} with one remote member
 * ({@link MemberBridge#remote}, signaling's Colibri2 client) in front of a LiveDesk bridge node in its own process
 * ({@link BridgeNodeProcess}) over HTTP on loopback. Each call makes the requests a bridged call's two legs make
 * ({@code BridgeLegs.connect}): the first leg asks to add its endpoint, the pool knows no conference (NotFound, no
 * request) and the leg creates the conference with its endpoint; the second leg adds its endpoint. Each endpoint
 * carries what a browser's offer gives it: audio (Opus) and video (VP8 with RTX, transport-cc) codecs and header
 * extensions, an audio and a video SSRC, ICE credentials, a DTLS fingerprint and a host candidate. Then the
 * conference is expired (timed, not part of the allocation). Calls follow each other, one at a time.
 *
 * <p>Each round starts a new bridge process and a new pool (so a new HTTP client); a round's first call is its cold
 * one, reported on its own; the warm figures are every other call of every round.
 */
@Command(name = "driver", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Allocation latency through signaling's bridge driver (BridgePool + Colibri2 client) against a "
                + "local bridge node process over loopback HTTP: conference create + endpoint per call, cold and warm.")
public final class DriverBenchmark implements Callable<Integer> {
    @Option(names = "--io", description = "the bridge node's media I/O (and options); default ${DEFAULT-VALUE}")
    String io = "netty";
    @Option(names = "--calls", description = "calls per round; default ${DEFAULT-VALUE}")
    int calls = 300;
    @Option(names = "--rounds", description = "rounds, each with a new bridge process and pool; default ${DEFAULT-VALUE}")
    int rounds = 3;
    @Option(names = "--bridge-heap", description = "the bridge process's -Xmx; default ${DEFAULT-VALUE}")
    String heap = "512m";
    @Option(names = "--pause-ms", description = "pause between calls; default ${DEFAULT-VALUE}")
    long pauseMillis = 0;
    @Mixin
    Report report = new Report();

    /** One call's request times, in nanoseconds. */
    record CallTimes(long create, long add, long expire) {
        long allocation() {
            return create + add;
        }
    }

    @Override
    public Integer call() throws Exception {
        QuietLogs.apply();
        List<CallTimes> cold = new ArrayList<>();
        List<CallTimes> warm = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            try (BridgeNodeProcess bridge = BridgeNodeProcess.start(io, heap, List.of());
                 BridgePool pool = pool(bridge)) {
                pool.start();
                for (int i = 0; i < calls; i++) {
                    CallTimes t = oneCall(pool, new MeetingId("driver-" + round + "-" + i));
                    (i == 0 ? cold : warm).add(t);
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            }
        }
        Summary summary = Summary.of(cold, warm);
        return report.print(new Report.Printable() {
            @Override
            public String text() {
                return String.format(Locale.ROOT, "driver: %d round(s) of %d calls against a bridge node (--io %s) on "
                        + "loopback HTTP, one call at a time%n", rounds, calls, io) + summary.text();
            }

            @Override
            public String json() {
                return "{\"tool\":\"livedesk-bench driver\",\"io\":\"" + io + "\",\"rounds\":" + rounds + ",\"calls\":"
                        + calls + "," + summary.json() + "}";
            }
        });
    }

    /** As signaling builds it for {@code livedesk.bridge.remote}, with its default timeouts and health interval. */
    private static BridgePool pool(BridgeNodeProcess bridge) {
        MemberBridge member = MemberBridge.remote(URI.create(bridge.colibriUrl()), Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
        return new BridgePool("bench", List.of(member),
                new BridgePool.Options(Duration.ofSeconds(2), 3, Duration.ofSeconds(7)));
    }

    private static CallTimes oneCall(BridgePool pool, MeetingId meeting) throws BridgeException {
        long t0 = System.nanoTime();
        EndpointRequest staff = endpoint("staff", 0);
        try {
            pool.apply(ConferenceRequest.modifying(meeting).endpoint(staff).build());
            throw new IllegalStateException("the pool knew " + meeting + " before it was created");
        } catch (BridgeException.NotFound e) {
            pool.apply(ConferenceRequest.creating(meeting).name(ConferenceNames.of(meeting)).endpoint(staff).build());
        }
        long t1 = System.nanoTime();
        pool.apply(ConferenceRequest.modifying(meeting).endpoint(endpoint("customer", 1)).build());
        long t2 = System.nanoTime();
        pool.expire(meeting);
        long t3 = System.nanoTime();
        return new CallTimes(t1 - t0, t2 - t1, t3 - t2);
    }

    /** What a browser's offer gives a leg's endpoint. */
    static EndpointRequest endpoint(String id, int leg) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] fingerprint = new byte[32];
        random.nextBytes(fingerprint);
        TransportDescription transport = new TransportDescription(Long.toString(random.nextLong() & Long.MAX_VALUE, 36),
                "bench" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "pwd0123456789",
                List.of(new TransportDescription.Fingerprint("sha-256",
                        HexFormat.ofDelimiter(":").withUpperCase().formatHex(fingerprint), SetupRole.ACTIVE)),
                List.of(new TransportDescription.Candidate("1", 1, "udp", 2122260223L, "127.0.0.1", 50000 + leg,
                        "host")), true);
        long audio = 1000L + 10L * leg;
        long video = audio + 1;
        long rtx = audio + 2;
        List<MediaSource> sources = List.of(
                new MediaSource(MediaType.AUDIO, id + "-a0", List.of(new MediaSource.Ssrc(audio, id)), List.of()),
                new MediaSource(MediaType.VIDEO, id + "-v0", List.of(new MediaSource.Ssrc(video, id),
                        new MediaSource.Ssrc(rtx, id)), List.of(new MediaSource.SsrcGroup("FID", List.of(video, rtx)))));
        List<PayloadType.RtcpFeedback> videoFeedback = List.of(new PayloadType.RtcpFeedback("nack", ""),
                new PayloadType.RtcpFeedback("nack", "pli"), new PayloadType.RtcpFeedback("ccm", "fir"),
                new PayloadType.RtcpFeedback("transport-cc", ""));
        List<Media> medias = List.of(
                new Media(MediaType.AUDIO, List.of(new PayloadType(111, "opus", 48000, 2,
                        Map.of("minptime", "10", "useinbandfec", "1"), List.of(new PayloadType.RtcpFeedback("transport-cc", "")))),
                        List.of(new HeaderExtension(1, Extmap.AUDIO_LEVEL), new HeaderExtension(3, Extmap.TRANSPORT_WIDE_CC),
                                new HeaderExtension(4, Extmap.MID))),
                new Media(MediaType.VIDEO, List.of(new PayloadType(96, "VP8", 90000, 1, Map.of(), videoFeedback),
                        new PayloadType(97, "rtx", 90000, 1, Map.of("apt", "96"), List.of())),
                        List.of(new HeaderExtension(3, Extmap.TRANSPORT_WIDE_CC), new HeaderExtension(4, Extmap.MID))));
        return EndpointRequest.creating(id).statsId(id).medias(medias).remoteTransport(transport).sources(sources)
                .build();
    }

    /** Cold (each round's first call) and warm (the rest) request times. */
    record Summary(Percentiles coldCreate, Percentiles coldAdd, Percentiles coldCall, Percentiles create,
                   Percentiles add, Percentiles call, Percentiles expire) {
        static Summary of(List<CallTimes> cold, List<CallTimes> warm) {
            return new Summary(Percentiles.of(times(cold, CallTimes::create)), Percentiles.of(times(cold, CallTimes::add)),
                    Percentiles.of(times(cold, CallTimes::allocation)), Percentiles.of(times(warm, CallTimes::create)),
                    Percentiles.of(times(warm, CallTimes::add)), Percentiles.of(times(warm, CallTimes::allocation)),
                    Percentiles.of(times(warm, CallTimes::expire)));
        }

        private static long[] times(List<CallTimes> calls, java.util.function.ToLongFunction<CallTimes> which) {
            return calls.stream().mapToLong(which).toArray();
        }

        String text() {
            return "  cold (each round's first call): conference create + first endpoint " + coldCreate.text()
                    + "; second endpoint " + coldAdd.text() + "; both " + coldCall.text() + "\n"
                    + "  warm: conference create + first endpoint " + create.text() + "\n"
                    + "        second endpoint " + add.text() + "\n"
                    + "        a call's allocation (both) " + call.text() + "\n"
                    + "        expire (not in the allocation) " + expire.text();
        }

        String json() {
            return "\"coldCreate\":" + coldCreate.json() + ",\"coldAdd\":" + coldAdd.json() + ",\"coldCall\":"
                    + coldCall.json() + ",\"create\":" + create.json() + ",\"add\":" + add.json() + ",\"call\":"
                    + call.json() + ",\"expire\":" + expire.json();
        }
    }
}
