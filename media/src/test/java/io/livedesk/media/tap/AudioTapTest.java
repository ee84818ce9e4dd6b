package io.livedesk.media.tap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.livedesk.media.rtp.RtpPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A tap on its own pool, fed RTP directly (the bridge's part is in {@link AudioTapBridgeTest}). */
class AudioTapTest {
    private static final int PT = 111;
    private static final int SSRC = 0x0A0B0C0D;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final AudioTapPool pool = new AudioTapPool("unit", AudioTapSettings.defaults().withThreads(2));
    private final RtpPacket view = new RtpPacket();
    private long clock = 5_000_000_000L;

    @AfterEach
    void closePool() {
        pool.close();
    }

    private AudioTap open(int rate, AudioSink sink) {
        return pool.open("test", rate, sink, pt -> pt == PT, t -> { });
    }

    /** Offers one RTP packet as the receive path does, 20 ms after the last. */
    private void offer(AudioTap tap, byte[] rtp) {
        assertTrue(view.wrap(rtp, 0, rtp.length));
        clock += 20_000_000L;
        tap.offer(view, clock);
    }

    /** Offers {@code n} packets of {@code source}, letting the tap catch up so its queue never overflows. */
    private void feed(AudioTap tap, OpusSource source, int n) {
        for (int i = 0; i < n; i++) {
            offer(tap, source.nextRtp());
            if (i % 20 == 19) {
                awaitIdle(tap);
            }
        }
        awaitIdle(tap);
    }

    /** Until every packet offered has been handled (decoded, undecodable, ignored, late or held for reordering). */
    private static void awaitIdle(AudioTap tap) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> {
            AudioTapStats s = tap.stats();
            return s.decoded() + s.decodeErrors() + s.dropped() + s.late() + s.lost() >= s.tapped() - s.ignored();
        });
    }

    @Test
    void aToneComesOutWithItsFrequencyAndLevelAtEveryRate() {
        for (int rate : new int[] {16_000, 8_000, 48_000, 44_100}) {
            RecordingSink sink = new RecordingSink();
            AudioTap tap = open(rate, sink);
            feed(tap, new OpusSource(SSRC, PT, 1000, -12, 32_000, rate), 100);
            short[] pcm = sink.pcmFrom(500);
            assertTrue(pcm.length >= rate * 1.4, rate + " Hz: " + pcm.length + " samples");
            assertEquals(1000, Tones.dominantHz(pcm, 0, pcm.length, rate), 20, rate + " Hz: frequency");
            assertEquals(0, Tones.levelDb(pcm, 0, pcm.length, -12), 2, rate + " Hz: level");
            assertTrue(sink.lastThread().getName().startsWith("ld-audio-tap-unit-"), sink.lastThread().getName());
            tap.close();
        }
    }

    @Test
    void malformedPayloadsAreCountedAndDroppedAndTheToneCarriesOn() {
        RecordingSink sink = new RecordingSink();
        AudioTap tap = open(16_000, sink);
        OpusSource source = new OpusSource(SSRC, PT, 440, -12, 32_000, 1);
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> hostile = List.of(
                new byte[] {(byte) 0xFF},                               // code 3, no frame count byte
                new byte[] {(byte) 0x03, (byte) 0xFF, 1, 2},            // code 3, 63 frames, VBR, no sizes
                new byte[] {(byte) 0x01, 5},                            // code 1: two equal frames of an odd length
                new byte[] {(byte) 0x02, (byte) 0xFC, (byte) 0xFF, 1},  // code 2: first frame longer than the packet
                new byte[1400]);                                        // zeros: a silent CELT frame at best
        feed(tap, source, 20);
        for (byte[] junk : hostile) {
            offer(tap, rtp(source, junk));
        }
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + random.nextInt(400)];
            random.nextBytes(junk);
            offer(tap, rtp(source, junk));
            if (i % 20 == 19) {
                awaitIdle(tap);
            }
        }
        feed(tap, source, 60);
        AudioTapStats s = tap.stats();
        assertTrue(s.decodeErrors() >= 3, s.toString());
        assertEquals(285, s.decoded() + s.decodeErrors(), "every packet decoded or counted: " + s);
        assertEquals(0, s.dropped(), s.toString());

        // The tone after the junk is intact, and media time never went backwards.
        List<RecordingSink.Frame> frames = sink.frames();
        long last = -1;
        for (RecordingSink.Frame f : frames) {
            assertTrue(f.mediaTimeMs() >= last, "media time " + f.mediaTimeMs() + " after " + last);
            last = f.mediaTimeMs();
        }
        long junkEndMs = (20 + hostile.size() + 200) * 20L;
        short[] tail = sink.pcmFrom(junkEndMs + 300);
        assertTrue(tail.length > 8000, "tail " + tail.length);
        assertEquals(440, Tones.dominantHz(tail, 0, tail.length, 16_000), 9);
    }

    /** The next RTP packet of the stream carrying {@code payload} instead of its Opus. */
    private static byte[] rtp(OpusSource source, byte[] payload) {
        byte[] good = source.nextRtp();
        RtpPacket p = new RtpPacket();
        p.wrap(good, 0, good.length);
        return OpusSource.rtp(PT, p.sequenceNumber(), p.timestamp(), p.ssrc(), payload);
    }

    @Test
    void lostPacketsAreConcealedAndTheTimelineKept() {
        RecordingSink sink = new RecordingSink();
        AudioTap tap = open(16_000, sink);
        OpusSource source = new OpusSource(SSRC, PT, 1000, -12, 32_000, 2);
        for (int i = 0; i < 10; i++) {
            feed(tap, source, 9);
            source.lose(1);
        }
        feed(tap, source, 5);
        // awaitIdle counts a lost packet as handled as soon as its gap is seen, before the packets after it
        // are decoded: wait for the audio itself.
        await().atMost(WAIT).until(() -> sink.samples() >= 105 * 320 - 100);
        AudioTapStats s = tap.stats();
        assertEquals(10, s.lost(), s.toString());
        assertEquals(10, s.concealed(), s.toString());
        assertEquals(0, s.silenceMs(), s.toString());
        // 105 packets of 20 ms, at 16 kHz: everything but the resampler's run-in.
        assertEquals(105 * 320, sink.samples(), 100);
        short[] pcm = sink.pcmFrom(300);
        assertEquals(1000, Tones.dominantHz(pcm, 0, pcm.length, 16_000), 20);
        assertEquals(0, Tones.levelDb(pcm, 0, pcm.length, -12), 3, "PLC/FEC keep the tone's level roughly");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        AudioTapPool small = new AudioTapPool("small", AudioTapSettings.defaults().withThreads(1).withQueuePackets(10));
        try {
            AudioTap tap = small.open("slow", 16_000, (pcm, t) -> {
                entered.countDown();
                try {
                    release.await(); // a sink breaking its contract: it blocks
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, pt -> pt == PT, t -> { });
            OpusSource source = new OpusSource(SSRC, PT, 440, -12, 32_000, 3);
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                packets.add(source.nextRtp());
            }
            offer(tap, packets.get(0));
            assertTrue(entered.await(20, TimeUnit.SECONDS));
            // The sink is stuck in its first frame; offering must still return every time (a blocking
            // offer would hang here, and the guard would fail the test instead).
            assertTimeoutPreemptively(WAIT, () -> {
                for (byte[] p : packets.subList(1, packets.size())) {
                    offer(tap, p);
                }
            });
            assertEquals(1, release.getCount(), "all offered while the sink was still blocked");
            AudioTapStats s = tap.stats();
            assertEquals(101, s.tapped());
            assertEquals(90, s.dropped(), "10 queued, the rest dropped: " + s);
            release.countDown();
            await().atMost(WAIT).until(() -> tap.stats().decoded() == 11);
            tap.close();
        } finally {
            release.countDown();
            small.close();
        }
    }

    @Test
    void sinkFailuresAreCountedAndTheTapCarriesOn() {
        int[] calls = new int[1];
        AudioTap tap = open(16_000, (pcm, t) -> {
            if (calls[0]++ % 2 == 0) {
                throw new IllegalStateException("sink bug");
            }
        });
        feed(tap, new OpusSource(SSRC, PT, 440, -12, 32_000, 4), 10);
        AudioTapStats s = tap.stats();
        assertEquals(10, s.decoded());
        assertEquals(5, s.sinkErrors());
    }

    @Test
    void otherPayloadTypesAreIgnoredButKeepTheirPlace() {
        RecordingSink sink = new RecordingSink();
        AudioTap tap = open(16_000, sink);
        OpusSource source = new OpusSource(SSRC, PT, 440, -12, 32_000, 5);
        feed(tap, source, 5);
        byte[] opus = source.nextRtp();
        RtpPacket p = new RtpPacket();
        p.wrap(opus, 0, opus.length);
        offer(tap, OpusSource.rtp(126, p.sequenceNumber(), p.timestamp(), SSRC, new byte[] {1, 0, 0, (byte) 160}));
        feed(tap, source, 5);
        AudioTapStats s = tap.stats();
        assertEquals(1, s.ignored(), s.toString());
        assertEquals(0, s.lost(), s.toString());
        assertEquals(10, s.decoded(), s.toString());
    }

    @Test
    void closingEndsTheTapOnceAndReleasesIt() throws Exception {
        RecordingSink sink = new RecordingSink();
        int[] unhooked = new int[1];
        AudioTap tap = pool.open("closing", 16_000, sink, pt -> pt == PT, t -> unhooked[0]++);
        OpusSource source = new OpusSource(SSRC, PT, 440, -12, 32_000, 6);
        feed(tap, source, 5);
        assertEquals(1, pool.openTaps());
        tap.close();
        tap.close();
        assertTrue(sink.closed.await(20, TimeUnit.SECONDS));
        await().atMost(WAIT).until(() -> pool.openTaps() == 0);
        assertEquals(1, sink.closes.get());
        assertEquals(1, unhooked[0]);
        assertTrue(tap.isFinished());
        offer(tap, source.nextRtp());
        assertEquals(5, tap.stats().tapped(), "a closed tap takes nothing");
        assertEquals(5, pool.totals().decoded(), "the pool's totals keep a finished tap's counts");
    }

    @Test
    void closingThePoolEndsItsTapsAndThreads() throws Exception {
        AudioTapPool own = new AudioTapPool("ending", AudioTapSettings.defaults().withThreads(2));
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        AudioTap ta = own.open("a", 16_000, a, pt -> pt == PT, t -> { });
        AudioTap tb = own.open("b", 8_000, b, pt -> pt == PT, t -> { });
        feed(ta, new OpusSource(SSRC, PT, 440, -12, 32_000, 7), 5);
        feed(tb, new OpusSource(SSRC + 1, PT, 440, -12, 32_000, 8), 5);
        own.close();
        assertEquals(1, a.closes.get());
        assertEquals(1, b.closes.get());
        assertEquals(0, own.openTaps());
        assertEquals(0, own.threads());
        // The pool has terminated; its threads are on their way out (a thread outlives its last task briefly).
        await().atMost(WAIT).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("ld-audio-tap-ending-")));
    }
}
