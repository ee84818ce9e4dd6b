package io.livedesk.bench.speech;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.speech.api.SpeechService;
import io.livedesk.speech.api.SpeechStream;
import io.livedesk.speech.api.StreamSpec;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.TranscriptEvent.Status;
import io.livedesk.speech.client.RemoteSettings;
import io.livedesk.speech.client.RemoteSpeechService;
import io.livedesk.speech.engine.Decoder;
import io.livedesk.speech.engine.EngineSettings;
import io.livedesk.speech.engine.LocalSpeechService;
import io.livedesk.speech.engine.NamedThreads;
import io.livedesk.speech.engine.SpeechModels;
import io.livedesk.speech.server.ServerSettings;
import io.livedesk.speech.server.SpeechServer;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the speech pipeline on this machine (docs/benchmarks.md). Scenarios:
 * <ul>
 *   <li>{@code rtf}: real-time factor of one stream, raw Vosk, one thread (CPU seconds per audio second).</li>
 *   <li>{@code overhead}: the same audio through raw Vosk, the local service API and the WebSocket
 *       endpoint (a node in a child JVM), same worker count; process CPU compared.</li>
 *   <li>{@code capacity}: real-time streams one worker sustains with bounded lag and nothing shed.</li>
 *   <li>{@code delay}: from the chunk at which Vosk reaches its endpoint (fed in real time) to the
 *       final arriving at the listener, locally and through the WebSocket endpoint and client.</li>
 * </ul>
 * With the synthetic test model the numbers describe the pipeline, not recognition quality or the
 * cost of a real model (whose RTF is ~100 x higher, making the pipeline's share far smaller).
 */
@Command(name = "speech", mixinStandardHelpOptions = true, sortOptions = false,
        description = "LiveDesk speech pipeline benchmark.")
public final class SpeechBenchmark implements Callable<Integer> {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Capacity runs feed this long before lag is sampled. */
    private static final long CAPACITY_WARMUP_MS = 2000;

    @Option(names = "--models", required = true, description = "Folder holding the model folder.")
    Path models;

    @Option(names = "--model", required = true, paramLabel = "LANG=FOLDER", description = "The model to use.")
    Map<String, String> model = new LinkedHashMap<>();

    @Option(names = "--scenario", split = ",", defaultValue = "rtf,overhead,capacity,delay",
            description = "Which to run (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--chunk-ms", defaultValue = "20", description = "Audio per accept/frame (default: ${DEFAULT-VALUE}, an Opus frame).")
    int chunkMs;

    @Option(names = "--workers", defaultValue = "2", description = "Threads for the overhead runs (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--streams", defaultValue = "8", description = "Streams in each overhead run (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--audio-seconds", defaultValue = "60", description = "Audio per stream, overhead and rtf (default: ${DEFAULT-VALUE}).")
    int audioSeconds;

    @Option(names = "--repeat", defaultValue = "3", description = "Measured repetitions, median taken (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--window", defaultValue = "25", description = "Chunks in flight per stream in overhead runs (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--capacity-seconds", defaultValue = "15", description = "Length of each capacity run (default: ${DEFAULT-VALUE}).")
    int capacitySeconds;

    @Option(names = "--capacity-start", defaultValue = "50", description = "First stream count tried (default: ${DEFAULT-VALUE}).")
    int capacityStart;

    @Option(names = "--capacity-max-lag-ms", defaultValue = "250",
            description = "A run passes if p99 of the sampled lag stays below this and nothing is shed (default: ${DEFAULT-VALUE}).")
    int capacityMaxLag;

    @Option(names = "--delay-streams", split = ",", defaultValue = "1,50",
            description = "Concurrent real-time streams in the delay runs (default: ${DEFAULT-VALUE}).")
    List<Integer> delayStreams;

    @Option(names = "--delay-seconds", defaultValue = "30", description = "Length of each delay run (default: ${DEFAULT-VALUE}).")
    int delaySeconds;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private String language;
    private String folder;

    @Override
    public Integer call() throws Exception {
        // Before anything logs: logback reads its configuration once, on first use.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-speech.xml");
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Map.Entry<String, String> m = model.entrySet().iterator().next();
        language = m.getKey();
        folder = m.getValue();
        results.put("benchmark", "speech");
        results.put("model", folder);
        results.put("cores", Runtime.getRuntime().availableProcessors());
        results.put("chunk_ms", chunkMs);
        results.put("loadavg_start", loadAverage());
        for (String s : scenarios) {
            switch (s.trim()) {
                case "rtf" -> rtf();
                case "overhead" -> overhead();
                case "capacity" -> capacity();
                case "delay" -> delay();
                default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario " + s);
            }
        }
        results.put("loadavg_end", loadAverage());
        System.out.println(new ObjectMapper().writeValueAsString(results));
        return 0;
    }

    // ---- rtf ----------------------------------------------------------------------------------------

    private void rtf() throws Exception {
        say("== rtf: one stream, raw Vosk, one thread, %d s of audio", audioSeconds);
        try (SpeechModels models = SpeechModels.load(this.models, Map.of(language, folder))) {
            for (int ms : new int[] {chunkMs, 100}) {
                BenchAudio audio = new BenchAudio(16000, ms, audioSeconds, 1200, 1800, 1);
                decodeOnce(models, audio);
                double[] rtfs = new double[repeat];
                for (int r = 0; r < repeat; r++) {
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    decodeOnce(models, audio);
                    rtfs[r] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9 / audio.seconds;
                }
                double rtf = median(rtfs);
                say("chunks of %d ms: RTF %.5f (CPU s per audio s; %.0f x faster than real time)", ms, rtf, 1 / rtf);
                results.put("rtf_chunk_" + ms + "ms", rtf);
            }
        }
    }

    private static void decodeOnce(SpeechModels models, BenchAudio audio) throws Exception {
        try (Decoder d = models.open(models.languages().get(0), audio.sampleRate)) {
            BenchAudio.decode(d, audio.chunks);
        }
    }

    // ---- overhead -----------------------------------------------------------------------------------

    private void overhead() throws Exception {
        BenchAudio audio = new BenchAudio(16000, chunkMs, audioSeconds, 1200, 1800, 2);
        say("== overhead: %d streams x %d s, %d ms chunks, %d threads; process CPU, median of %d", streams,
                audioSeconds, chunkMs, workers, repeat);
        double raw = measure("raw Vosk", () -> rawRun(audio));
        double local = measure("local API", () -> localRun(audio));
        double ws;
        try (NodeProcess node = NodeProcess.start(models, language, folder, workers);
             RemoteSpeechService client = new RemoteSpeechService(new RemoteSettings(
                     "ws://127.0.0.1:" + node.port() + "/{language}", Map.of(), Duration.ofSeconds(10),
                     Duration.ofSeconds(30), Duration.ofMillis(chunkMs), 4, 100000, Duration.ofSeconds(60)))) {
            ws = measure("WebSocket (node CPU)", () -> {
                Duration before = node.cpu();
                long wall = System.nanoTime();
                Feeder.run(client, language, audio, streams, window, Duration.ofMinutes(5));
                return new long[] {node.cpu().minus(before).toNanos(), System.nanoTime() - wall};
            });
        }
        double audioTotal = audio.seconds * streams;
        results.put("overhead_raw_cpu_s", raw);
        results.put("overhead_local_cpu_s", local);
        results.put("overhead_ws_node_cpu_s", ws);
        results.put("overhead_local_pct", 100 * (local / raw - 1));
        results.put("overhead_ws_pct", 100 * (ws / raw - 1));
        say("raw %.3f s CPU (RTF %.5f); local API %.3f s (%+.1f %%); WebSocket node %.3f s (%+.1f %%)", raw,
                raw / audioTotal, local, 100 * (local / raw - 1), ws, 100 * (ws / raw - 1));
    }

    /** Runs a warm-up and {@code repeat} measured runs; returns the median CPU seconds. */
    private double measure(String name, Callable<long[]> run) throws Exception {
        run.call();
        double[] cpu = new double[repeat];
        double[] wall = new double[repeat];
        for (int r = 0; r < repeat; r++) {
            long[] m = run.call();
            cpu[r] = m[0] / 1e9;
            wall[r] = m[1] / 1e9;
        }
        say("  %-22s CPU %s s, wall %s s", name, fmt(cpu), fmt(wall));
        return median(cpu);
    }

    private long[] rawRun(BenchAudio audio) throws Exception {
        try (SpeechModels models = SpeechModels.load(this.models, Map.of(language, folder))) {
            ExecutorService pool = Executors.newFixedThreadPool(workers, new NamedThreads("bench-raw"));
            try {
                LongSupplier cpuNow = SpeechBenchmark::processCpu;
                long cpu0 = cpuNow.getAsLong();
                long wall = System.nanoTime();
                List<Future<?>> jobs = new ArrayList<>();
                for (int i = 0; i < streams; i++) {
                    jobs.add(pool.submit(() -> {
                        decodeOnce(models, audio);
                        return null;
                    }));
                }
                for (Future<?> f : jobs) {
                    f.get();
                }
                return new long[] {cpuNow.getAsLong() - cpu0, System.nanoTime() - wall};
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private long[] localRun(BenchAudio audio) throws Exception {
        try (LocalSpeechService service = new LocalSpeechService(SpeechModels.load(models, Map.of(language, folder)),
                new EngineSettings(workers, streams + 10, Duration.ofSeconds(60), 1.0, Duration.ofSeconds(5)))) {
            long cpu0 = processCpu();
            long wall = System.nanoTime();
            Feeder.run(service, language, audio, streams, window, Duration.ofMinutes(5));
            return new long[] {processCpu() - cpu0, System.nanoTime() - wall};
        }
    }

    // ---- capacity -----------------------------------------------------------------------------------

    private void capacity() throws Exception {
        say("== capacity: real-time streams on 1 worker, %d ms chunks, %d s per run; pass = nothing shed and p99 lag < %d ms",
                chunkMs, capacitySeconds, capacityMaxLag);
        BenchAudio audio = new BenchAudio(16000, chunkMs, 30, 1200, 1800, 3);
        int lo = 0;
        int hi = -1;
        int n = capacityStart;
        List<Map<String, Object>> runs = new ArrayList<>();
        while (true) {
            Map<String, Object> run = capacityRun(audio, n);
            runs.add(run);
            boolean pass = (Boolean) run.get("pass");
            if (pass) {
                lo = n;
            } else {
                hi = n;
            }
            if (hi < 0) {
                if (n >= 8192) {
                    break;
                }
                n *= 2;
            } else {
                if (hi - lo <= Math.max(10, lo / 10)) {
                    break;
                }
                n = (lo + hi) / 2;
            }
        }
        results.put("capacity_runs", runs);
        results.put("capacity_streams_per_worker", lo);
        say("one worker sustains %d real-time streams (first failing count: %s)", lo, hi < 0 ? "none found" : hi);
    }

    private Map<String, Object> capacityRun(BenchAudio audio, int n) throws Exception {
        try (LocalSpeechService service = new LocalSpeechService(SpeechModels.load(models, Map.of(language, folder)),
                new EngineSettings(1, n + 10, Duration.ofSeconds(3), 1.0, Duration.ofSeconds(5)))) {
            List<SpeechStream> open = new ArrayList<>();
            AtomicLong finals = new AtomicLong();
            for (int i = 0; i < n; i++) {
                open.add(service.open(StreamSpec.captions(language, audio.sampleRate, "cap-" + i), e -> {
                    if (e instanceof Final) {
                        finals.incrementAndGet();
                    }
                }));
            }
            Histogram lag = new Histogram(60_000, 3);
            int ticks = (int) ((capacitySeconds * 1000L + CAPACITY_WARMUP_MS) / chunkMs);
            long workerCpu0 = workerCpu();
            Paced paced = Paced.looping(open, audio, ticks);
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(new NamedThreads("bench-sampler"));
            // The first seconds create every recognizer at once; judge the steady state after them.
            sampler.scheduleAtFixedRate(() -> lag.recordValue(Math.min(60_000, service.status().maxLagMillis())),
                    CAPACITY_WARMUP_MS, 100, TimeUnit.MILLISECONDS);
            paced.run(chunkMs);
            sampler.shutdownNow();
            double busy = (workerCpu() - workerCpu0) / 1e9 / (capacitySeconds + CAPACITY_WARMUP_MS / 1000.0);
            long shed = service.status().shed();
            boolean pass = shed == 0 && lag.getValueAtPercentile(99) < capacityMaxLag;
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("streams", n);
            run.put("pass", pass);
            run.put("shed", shed);
            run.put("lag_p50_ms", lag.getValueAtPercentile(50));
            run.put("lag_p99_ms", lag.getValueAtPercentile(99));
            run.put("lag_max_ms", lag.getMaxValue());
            run.put("worker_busy", busy);
            run.put("pacer_late_ms_max", paced.maxLateMillis());
            run.put("finals", finals.get());
            say("  %5d streams: %s  shed %d, lag p50 %d / p99 %d / max %d ms, worker busy %.0f %%, pacer late max %d ms",
                    n, pass ? "pass" : "FAIL", shed, lag.getValueAtPercentile(50), lag.getValueAtPercentile(99),
                    lag.getMaxValue(), 100 * busy, paced.maxLateMillis());
            for (SpeechStream s : open) {
                s.close();
            }
            return run;
        }
    }

    /** Sum of CPU time of the engine's worker threads. */
    private static long workerCpu() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = THREADS.getThreadInfo(id);
            if (info != null && info.getThreadName().matches("ld-speech-\\d+")) {
                long t = THREADS.getThreadCpuTime(id);
                sum += Math.max(0, t);
            }
        }
        return sum;
    }

    /**
     * Real-time feeding on the calling thread: every {@code chunkMs} one chunk to every stream.
     * {@link #looping}: each stream starts at its own point of the audio and loops it (capacity:
     * steady load). {@link #staggered}: each stream plays the audio once from the start, beginning
     * at its own tick (delay: every utterance is seen, endpoints do not all fall together).
     */
    private static final class Paced {
        private final List<SpeechStream> streams;
        private final BenchAudio audio;
        private final int ticks;
        private final int[] audioOffset;
        private final int[] startTick;
        private final boolean loop;
        private final long[][] fedAtTick;
        private long maxLateNanos;

        private Paced(List<SpeechStream> streams, BenchAudio audio, int ticks, int[] audioOffset, int[] startTick,
                      boolean loop) {
            this.streams = streams;
            this.audio = audio;
            this.ticks = ticks;
            this.audioOffset = audioOffset;
            this.startTick = startTick;
            this.loop = loop;
            this.fedAtTick = new long[streams.size()][ticks];
        }

        static Paced looping(List<SpeechStream> streams, BenchAudio audio, int ticks) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(42);
            int[] offset = new int[streams.size()];
            for (int i = 0; i < offset.length; i++) {
                offset[i] = random.nextInt(audio.chunks.size());
            }
            return new Paced(streams, audio, ticks, offset, new int[streams.size()], true);
        }

        static Paced staggered(List<SpeechStream> streams, BenchAudio audio, int spreadTicks) {
            java.util.SplittableRandom random = new java.util.SplittableRandom(43);
            int[] start = new int[streams.size()];
            for (int i = 1; i < start.length; i++) {
                start[i] = random.nextInt(Math.max(1, spreadTicks));
            }
            return new Paced(streams, audio, audio.chunks.size() + spreadTicks, new int[streams.size()], start, false);
        }

        /** Returns when every tick is fed; each stream's last chunk fed, nothing finished. */
        void run(int chunkMs) throws InterruptedException {
            long start = System.nanoTime();
            long period = chunkMs * 1_000_000L;
            for (int t = 0; t < ticks; t++) {
                long due = start + t * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } else {
                    maxLateNanos = Math.max(maxLateNanos, -wait);
                }
                for (int i = 0; i < streams.size(); i++) {
                    int chunk = t - startTick[i];
                    if (chunk < 0 || (!loop && chunk >= audio.chunks.size())) {
                        continue;
                    }
                    short[] c = audio.chunks.get((chunk + audioOffset[i]) % audio.chunks.size());
                    fedAtTick[i][t] = System.nanoTime();
                    streams.get(i).accept(c, 0, c.length);
                }
            }
        }

        long maxLateMillis() {
            return maxLateNanos / 1_000_000;
        }

        /** When stream {@code i} was fed chunk {@code chunk} of the audio (staggered runs), or 0. */
        long fedAt(int i, int chunk) {
            int t = chunk + startTick[i];
            return t >= 0 && t < ticks ? fedAtTick[i][t] : 0;
        }
    }

    // ---- delay --------------------------------------------------------------------------------------

    private void delay() throws Exception {
        BenchAudio audio = new BenchAudio(16000, chunkMs, delaySeconds, 1200, 1800, 4);
        List<Integer> endpoints;
        try (SpeechModels m = SpeechModels.load(models, Map.of(language, folder))) {
            endpoints = audio.endpoints(m, language);
        }
        // Audio time from the end of the voice to the end of the chunk at which Vosk saw its endpoint.
        double[] after = new double[Math.min(endpoints.size(), audio.voicedEnds.size())];
        for (int k = 0; k < after.length; k++) {
            after[k] = (endpoints.get(k) + 1 - audio.voicedEnds.get(k)) * (double) chunkMs;
        }
        double epAfterVoice = after.length == 0 ? 0 : median(after);
        say("== delay: real-time feeding, %d ms chunks; %d utterances per stream; Vosk's own endpoint comes %.0f ms"
                + " (median, audio time) after the voice ends (its trailing-silence rule)", chunkMs, endpoints.size(),
                epAfterVoice);
        results.put("vosk_endpoint_after_voice_ms", epAfterVoice);
        for (int n : delayStreams) {
            try (LocalSpeechService local = new LocalSpeechService(SpeechModels.load(models, Map.of(language, folder)),
                    new EngineSettings(2, n + 10, Duration.ofSeconds(3), 1.0, Duration.ofSeconds(5)))) {
                delayRun("local API", local, audio, endpoints, n);
                try (SpeechServer server = SpeechServer.start(local, ServerSettings.defaults(language).withPort(0))) {
                    for (int batch : new int[] {chunkMs, 100}) {
                        try (RemoteSpeechService remote = new RemoteSpeechService(new RemoteSettings(
                                "ws://127.0.0.1:" + server.port() + "/{language}", Map.of(), Duration.ofSeconds(10),
                                Duration.ofSeconds(10), Duration.ofMillis(batch), 4, n + 10, Duration.ofSeconds(5)))) {
                            delayRun("WebSocket, " + batch + " ms frames", remote, audio, endpoints, n);
                        }
                    }
                }
            }
        }
    }

    private void delayRun(String path, SpeechService service, BenchAudio audio, List<Integer> endpoints, int n)
            throws Exception {
        Histogram added = new Histogram(60_000_000, 3);
        Histogram fromVoice = new Histogram(60_000_000, 3);
        List<SpeechStream> open = new ArrayList<>();
        AtomicInteger missing = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(n);
        Paced[] paced = new Paced[1];
        for (int i = 0; i < n; i++) {
            int index = i;
            AtomicInteger k = new AtomicInteger();
            open.add(service.open(StreamSpec.captions(language, audio.sampleRate, "delay-" + i), e -> {
                long now = System.nanoTime();
                if (e instanceof Final f && !f.isEmpty()) {
                    int utterance = k.getAndIncrement();
                    if (utterance < endpoints.size() && paced[0] != null) {
                        long fed = paced[0].fedAt(index, endpoints.get(utterance));
                        long voiceEnd = paced[0].fedAt(index, audio.voicedEnds.get(utterance));
                        if (fed > 0 && voiceEnd > 0 && fed >= voiceEnd) {
                            added.recordValue(Math.max(0, (now - fed) / 1000));
                            fromVoice.recordValue(Math.max(0, (now - voiceEnd) / 1000));
                        } else {
                            missing.incrementAndGet();
                        }
                    }
                } else if (e instanceof Status) {
                    ended.countDown();
                }
            }));
        }
        // Each stream plays the whole audio (so it sees every utterance), starting within one
        // utterance period of the others.
        paced[0] = Paced.staggered(open, audio, 3000 / chunkMs);
        paced[0].run(chunkMs);
        for (SpeechStream s : open) {
            s.finish();
        }
        ended.await(30, TimeUnit.SECONDS);
        for (SpeechStream s : open) {
            s.close();
        }
        String key = path.replaceAll("[^a-zA-Z0-9]+", "_").toLowerCase(Locale.ROOT) + "_" + n;
        results.put("delay_" + key + "_p50_ms", added.getValueAtPercentile(50) / 1000.0);
        results.put("delay_" + key + "_p99_ms", added.getValueAtPercentile(99) / 1000.0);
        results.put("delay_" + key + "_max_ms", added.getMaxValue() / 1000.0);
        results.put("delay_" + key + "_from_voice_p50_ms", fromVoice.getValueAtPercentile(50) / 1000.0);
        say("  %-26s %3d streams: after Vosk's endpoint p50 %.1f / p99 %.1f / max %.1f ms; after the voice ends"
                        + " p50 %.0f ms (%d finals measured, %d unmatched, pacer late max %d ms)",
                path, n, added.getValueAtPercentile(50) / 1000.0, added.getValueAtPercentile(99) / 1000.0,
                added.getMaxValue() / 1000.0, fromVoice.getValueAtPercentile(50) / 1000.0, added.getTotalCount(),
                missing.get(), paced[0].maxLateMillis());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String fmt(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        return sb.toString();
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
