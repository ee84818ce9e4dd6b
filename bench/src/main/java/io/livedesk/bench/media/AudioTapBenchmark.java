package io.livedesk.bench.media;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusMode;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import io.livedesk.bench.QuietLogs;
import io.livedesk.bench.Report;
import io.livedesk.media.rtp.RtpPacket;
import io.livedesk.media.tap.AudioTap;
import io.livedesk.media.tap.AudioTapPool;
import io.livedesk.media.tap.AudioTapSettings;
import io.livedesk.media.tap.AudioTapStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * CPU cost of the audio tap for one Opus stream on one thread: the tap pool's single thread orders,
 * decodes (Concentus, 48 kHz) and resamples 20 ms packets and hands them to a sink that only counts.
 * Cost = that thread's CPU time / packets. The packets are encoded beforehand (not measured) from a
 * voice-like signal (a gliding 120-180 Hz fundamental with harmonics to 4 kHz, syllable-rate
 * amplitude modulation, a little noise), or a pure tone. Also reports what offering a packet costs the
 * receive thread (copy, queue, wake the pool).
 */
@Command(name = "audio-tap", mixinStandardHelpOptions = true,
        description = "Measures the audio tap's decode + resample CPU per 20 ms Opus frame.")
public final class AudioTapBenchmark implements Callable<Integer> {
    @Option(names = "--rate", description = "the tap's output rate; 48000 = decode only; default ${DEFAULT-VALUE}")
    int rate = 16_000;
    @Option(names = "--bitrate", description = "Opus bitrate of the encoded stream; default ${DEFAULT-VALUE}")
    int bitrate = 32_000;
    @Option(names = "--signal", description = "voice or tone; default ${DEFAULT-VALUE}")
    String signal = "voice";
    @Option(names = "--warmup-frames", description = "20 ms frames decoded before measuring; default ${DEFAULT-VALUE}")
    int warmupFrames = 5_000;
    @Option(names = "--frames", description = "20 ms frames measured; default ${DEFAULT-VALUE}")
    int frames = 10_000;
    @Mixin
    Report report = new Report();

    @Override
    public Integer call() throws Exception {
        // One log line per tap would drown the numbers.
        QuietLogs.apply();
        return report.print(run());
    }

    public Result run() throws Exception {
        if (!AudioTapSettings.isSupportedRate(rate) || frames < 1 || warmupFrames < 0) {
            throw new IllegalArgumentException("unsupported --rate, or --frames < 1");
        }
        List<byte[]> packets = encode(Math.max(frames, warmupFrames));
        Map<OpusMode, Integer> modes = new EnumMap<>(OpusMode.class);
        for (byte[] p : packets) {
            modes.merge(OpusPacketInfo.getEncoderMode(p, 12), 1, Integer::sum);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (AudioTapPool pool = new AudioTapPool("bench", AudioTapSettings.defaults().withThreads(1))) {
            if (warmupFrames > 0) {
                drive(pool, packets, warmupFrames, threads);
            }
            return drive(pool, packets, frames, threads).withModes(modes);
        }
    }

    /** Feeds {@code n} packets to a fresh tap, never more than its queue holds; measures its thread. */
    private Result drive(AudioTapPool pool, List<byte[]> packets, int n, ThreadMXBean threads) {
        AtomicLong worker = new AtomicLong(-1);
        AtomicLong samples = new AtomicLong();
        AudioTap tap = pool.open("bench", rate, (pcm, t) -> {
            worker.set(Thread.currentThread().getId());
            samples.addAndGet(pcm.length);
        }, pt -> pt == 111, t -> { });
        RtpPacket view = new RtpPacket();
        int queue = AudioTapSettings.defaults().queuePackets();
        long cpu0 = -1;
        long offerNanos = 0;
        long wall0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            byte[] rtp = packets.get(i % packets.size());
            setSequence(rtp, i);
            view.wrap(rtp, 0, rtp.length);
            while (i - tap.stats().decoded() >= queue - 1) {
                LockSupport.parkNanos(20_000);
            }
            long t0 = System.nanoTime();
            tap.offer(view, t0);
            offerNanos += System.nanoTime() - t0;
            if (i == 0) {
                // The first packet tells which thread decodes; its cost is left out.
                while (worker.get() < 0) {
                    LockSupport.parkNanos(20_000);
                }
                cpu0 = threads.getThreadCpuTime(worker.get());
                wall0 = System.nanoTime();
            }
        }
        while (tap.stats().decoded() + tap.stats().decodeErrors() < n) {
            LockSupport.parkNanos(20_000);
        }
        long wall = System.nanoTime() - wall0;
        long cpu = threads.getThreadCpuTime(worker.get()) - cpu0;
        AudioTapStats stats = tap.stats();
        tap.close();
        return new Result(rate, bitrate, signal, n - 1, cpu / 1e3 / (n - 1), wall / 1e3 / (n - 1),
                offerNanos / 1e3 / n, 20_000.0 / (cpu / 1e3 / (n - 1)), samples.get(), stats, Map.of());
    }

    /** Packets i = 0.. of one RTP stream (PT 111): sequence numbers and timestamps follow i. */
    private static void setSequence(byte[] rtp, int i) {
        rtp[2] = (byte) (i >>> 8);
        rtp[3] = (byte) i;
        int ts = i * 960;
        rtp[4] = (byte) (ts >>> 24);
        rtp[5] = (byte) (ts >>> 16);
        rtp[6] = (byte) (ts >>> 8);
        rtp[7] = (byte) ts;
    }

    private List<byte[]> encode(int n) throws OpusException {
        OpusEncoder encoder = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.setBitrate(bitrate);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(5);
        boolean tone = switch (signal.toLowerCase(Locale.ROOT)) {
            case "voice" -> false;
            case "tone" -> true;
            default -> throw new IllegalArgumentException("--signal must be voice or tone: " + signal);
        };
        SplittableRandom random = new SplittableRandom(1);
        short[] pcm = new short[960];
        byte[] out = new byte[1500];
        List<byte[]> packets = new ArrayList<>(n);
        double phase = 0;
        for (int f = 0; f < n; f++) {
            for (int i = 0; i < 960; i++) {
                double t = (f * 960 + i) / 48_000.0;
                double v;
                if (tone) {
                    v = 0.25 * Math.sin(2 * Math.PI * 1000 * t);
                } else {
                    double f0 = 150 + 30 * Math.sin(2 * Math.PI * 0.7 * t);
                    phase += 2 * Math.PI * f0 / 48_000;
                    v = 0;
                    for (int k = 1; k * f0 < 4000; k++) {
                        v += Math.sin(k * phase) / k;
                    }
                    double syllables = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
                    v = 0.12 * v * syllables + 0.005 * (random.nextDouble() - 0.5);
                }
                pcm[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
            }
            int len = encoder.encode(pcm, 0, 960, out, 0, out.length);
            byte[] rtp = new byte[12 + len];
            rtp[0] = (byte) 0x80;
            rtp[1] = 111;
            rtp[11] = 1;
            System.arraycopy(out, 0, rtp, 12, len);
            packets.add(rtp);
        }
        return packets;
    }

    /** What one run measured; micros are per 20 ms frame (packet). */
    public record Result(int rate, int bitrate, String signal, int frames, double cpuMicrosPerFrame,
                         double wallMicrosPerFrame, double offerMicrosPerPacket, double realtimeFactor,
                         long samplesOut, AudioTapStats stats, Map<OpusMode, Integer> modes)
            implements Report.Printable {
        Result withModes(Map<OpusMode, Integer> m) {
            return new Result(rate, bitrate, signal, frames, cpuMicrosPerFrame, wallMicrosPerFrame,
                    offerMicrosPerPacket, realtimeFactor, samplesOut, stats, Map.copyOf(m));
        }

        @Override
        public String text() {
            return String.format(Locale.ROOT, """
                    audio tap benchmark: one Opus stream (%s, %d bit/s, 20 ms; encoder modes %s) -> %d Hz PCM
                      frames measured          %,d
                      tap thread CPU           %.1f us per 20 ms frame (decode + resample + sink), %.0fx real time
                                               -> one core keeps up with about %.0f such streams
                      wall per frame           %.1f us (includes handing over between threads)
                      receive-thread offer     %.2f us per packet (copy, queue, wake the pool)
                      tap counters             %s
                    """, signal, bitrate, modes, rate, frames, cpuMicrosPerFrame, realtimeFactor, realtimeFactor,
                    wallMicrosPerFrame, offerMicrosPerPacket, stats);
        }

        @Override
        public String json() {
            return String.format(Locale.ROOT, "{\"benchmark\":\"audio-tap\",\"rate\":%d,\"bitrate\":%d,\"signal\":\"%s\","
                            + "\"frames\":%d,\"cpuMicrosPerFrame\":%.2f,\"wallMicrosPerFrame\":%.2f,"
                            + "\"offerMicrosPerPacket\":%.3f,\"realtimeFactor\":%.1f,\"decodeErrors\":%d,\"dropped\":%d}",
                    rate, bitrate, signal, frames, cpuMicrosPerFrame, wallMicrosPerFrame, offerMicrosPerPacket,
                    realtimeFactor, stats.decodeErrors(), stats.dropped());
        }
    }
}
